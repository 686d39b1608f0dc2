import Foundation
import Testing

/// Runs the built `digest` program, as staff would.
struct DigestProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Thrown when the `digest` program has not been built.
    struct NoBinary: Error, CustomStringConvertible {
        var description: String { "build the digest program first: swift build" }
    }

    /// The `digest` binary beside the test bundle in `.build/<config>/`.
    static var binary: URL? {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(repository.appendingPathComponent(".build/debug"))
        return folders.map { $0.appendingPathComponent("digest") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ arguments: [String], in folder: URL = repository, executable: URL? = nil) throws -> Result {
        let process = Process()
        guard let found = executable ?? binary else { throw NoBinary() }
        process.executableURL = found
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("The digest program, end to end", .serialized)
struct EndToEndTests {
    @Test("check on the sample data: no problems, exit 0")
    func check() throws {
        let result = try DigestProcess.run(["check"])
        #expect(result.status == 0)
        // The member list is counted, never listed: no address is printed.
        #expect(
            result.stdout.hasPrefix(
                "no problems found\ndata/members.csv: 40 members, 35 subscribed\n"
                    + "data/members.csv: the digest goes out in English to 25, French to 5 and Spanish to 5; 12 of them asked for a language the coalition does not write in (hi, id, it, ky, mk, ne, ro, sq, sw, uk, ur) and get English\n"
                    + "Not yet translated (calls/YYYY-MM-DD.<language>.md, the title_<language> columns):\n"))
        // The sample translates June 2019's notes, events and actions: the month is not listed.
        #expect(
            result.stdout.contains(
                "  2019-05: in French (5 members) 1 call's notes; in Spanish (5 members) 1 call's notes stay in English\n"
            ))
        #expect(!result.stdout.contains("  2019-06:"))
        #expect(!result.stdout.contains("@"))
    }

    @Test("a report far outside the record is refused at once with the record's months, exit 64, nothing written")
    func reportOutOfReach() throws {
        let folder = NSTemporaryDirectory() + "digest-e2e-" + UUID().uuidString
        let result = try DigestProcess.run(["report", "--period", "0001-01..9999-12", "--out", folder])
        #expect(result.status == 64)
        #expect(
            result.stderr
                == "error: --period 0001-01..9999-12: the record runs from 2018-06 to 2020-03, so a period must lie between 2016-06 and 2022-03 (two years either side)\n"
        )
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test("check on broken data: every problem, a count, exit 1")
    func checkBroken() throws {
        let folder = NSTemporaryDirectory() + "digest-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/data/calls", withIntermediateDirectories: true)
        let coalition = try String(
            contentsOf: repository.appendingPathComponent("data/coalition.yaml"), encoding: .utf8)
        try Data(coalition.utf8).write(to: URL(fileURLWithPath: folder + "/data/coalition.yaml"))
        try Data(
            "date,country,actor,framework,title,status\n2019-02-19,Kirghistan,government,OGP,T,announced\n\"open,x\n"
                .utf8
        )
        .write(to: URL(fileURLWithPath: folder + "/data/commitments.csv"))
        let result = try DigestProcess.run(["check"], in: URL(fileURLWithPath: folder))
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                data/commitments.csv:2:12: error: unknown country "Kirghistan"; did you mean "Kyrgyzstan"?
                data/commitments.csv:3:1: error: this quoted value is never closed, so the rest of the file would be read into it; add the closing " at the end of the value
                2 errors, 0 warnings

                """)
        // render refuses too, and writes nothing.
        let render = try DigestProcess.run(["render", "--month", "2019-02"], in: URL(fileURLWithPath: folder))
        #expect(render.status == 1)
        #expect(!FileManager.default.fileExists(atPath: folder + "/output"))
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test("render writes the month's files; bad data later leaves them untouched")
    func render() throws {
        let out = NSTemporaryDirectory() + "digest-e2e-out-" + UUID().uuidString
        let result = try DigestProcess.run(["render", "--month", "2020-02", "--out", out])
        #expect(result.status == 0)
        #expect(
            result.stdout
                == ["digest.eml", "digest.html", "digest.json", "digest.txt", "next-call.ics", "report.xlsx"].map {
                    "wrote \(out)/2020-02/\($0)\n"
                }.joined())
        let text = try String(contentsOfFile: out + "/2020-02/digest.txt", encoding: .utf8)
        #expect(text.hasPrefix("Justice For All digest — February 2020\n"))

        let broken = NSTemporaryDirectory() + "digest-e2e-bad-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        try Data("name: [".utf8).write(to: URL(fileURLWithPath: broken + "/coalition.yaml"))
        let failed = try DigestProcess.run(["render", "--month", "2020-02", "--data", broken, "--out", out])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("coalition.yaml:2:1: error: this is not valid YAML"))
        #expect(try String(contentsOfFile: out + "/2020-02/digest.txt", encoding: .utf8) == text)
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: broken)
    }

    @Test("render --all renders every month from the first to the last with data")
    func renderAll() throws {
        let out = NSTemporaryDirectory() + "digest-e2e-all-" + UUID().uuidString
        let result = try DigestProcess.run(["render", "--all", "--format", "text", "--out", out])
        #expect(result.status == 0)
        let months = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(months.first == "2018-06")
        #expect(months.last == "2020-03")
        #expect(months.count == 22)
        try? FileManager.default.removeItem(atPath: out)
    }

    @Test("a wrong command line exits 64 with the reason")
    func usage() throws {
        let result = try DigestProcess.run(["render", "--month", "2020-13"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("is not a month"))
    }

    @Test("next-call prints the start in every zone")
    func nextCall() throws {
        let result = try DigestProcess.run(["next-call", "--after", "2018-11-01"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Africa/Cairo                    2018-11-13  17:00  UTC+02:00"))
        #expect(result.stdout.contains("UTC  2018-11-13T15:00:00Z"))
    }

    @Test("report writes a period's workbook; a bad period exits 64")
    func report() throws {
        let out = NSTemporaryDirectory() + "digest-e2e-report-" + UUID().uuidString
        let result = try DigestProcess.run(["report", "--period", "2019-Q3", "--out", out])
        #expect(result.status == 0)
        #expect(result.stdout == "wrote \(out)/2019-Q3/report.xlsx\n")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/2019-Q3/report.xlsx"))
        #expect(bytes.prefix(2) == Data("PK".utf8))
        let bad = try DigestProcess.run(["report", "--period", "2019-Q5"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("is not a period"))
        try? FileManager.default.removeItem(atPath: out)
    }

    @Test("check lists a template error with the data's problems")
    func checkTemplates() throws {
        let folder = NSTemporaryDirectory() + "digest-e2e-tpl-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("{{#call}} never closed".utf8).write(to: URL(fileURLWithPath: folder + "/digest.txt.mustache"))
        let result = try DigestProcess.run(["check", "--templates", folder])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("\(folder)/digest.txt.mustache:1:"))
        #expect(result.stdout.hasSuffix("1 error, 0 warnings\n"))
        try? FileManager.default.removeItem(atPath: folder)
    }
}
