import CoalitionData
import DigestApplication
import DigestModel
import DigestSend
import Foundation
import Testing
import WholeFiles

@testable import DigestCommands

/// A copy of the sample data, with edits, in a folder removed at the end.
struct SampleCopy {
    let root: String
    var data: String { root + "/data" }
    var output: String { root + "/output" }

    init() throws {
        root = NSTemporaryDirectory() + "digest-copy-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repository.appendingPathComponent("data").path, toPath: data)
    }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: data + "/" + name))
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: data + "/" + name, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Every file under `folder` (relative path -> bytes).
    static func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var isFolder: ObjCBool = false
            let full = folder + "/" + path
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder)
            if !isFolder.boolValue { files[path] = try Data(contentsOf: URL(fileURLWithPath: full)) }
        }
        return files
    }

    /// Paths under `folder` whose name starts with the temporary prefix.
    static func temporaryLeftovers(_ folder: String) -> [String] {
        (FileManager.default.subpaths(atPath: folder) ?? []).filter {
            ($0 as NSString).lastPathComponent.hasPrefix(".digest-tmp-")
        }
    }
}

@Suite("A month's files change together; nothing is left behind", .serialized)
struct OutputIntegrityTests {
    @Test("a folder where a month's file goes: exit 73, and every file of the month is as it was")
    func folderInTheWay() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let first = try DigestProcess.run(["render", "--month", "2020-03", "--data", copy.data, "--out", copy.output])
        #expect(first.status == 0)
        let month = copy.output + "/2020-03"
        try FileManager.default.removeItem(atPath: month + "/digest.html")
        try FileManager.default.createDirectory(atPath: month + "/digest.html", withIntermediateDirectories: false)
        let before = try SampleCopy.snapshot(month)
        try copy.write(
            try copy.read("coalition.yaml").replacingOccurrences(
                of: "name: Justice For All", with: "name: Justice For Everyone"), to: "coalition.yaml")
        let second = try DigestProcess.run(["render", "--month", "2020-03", "--data", copy.data, "--out", copy.output])
        #expect(second.status == 73)
        #expect(second.stderr.contains("digest.html: error: cannot write output: a folder stands where this file goes"))
        #expect(try SampleCopy.snapshot(month) == before)
        #expect(SampleCopy.temporaryLeftovers(copy.output).isEmpty)
    }

    @Test("a failure part way through writing leaves the whole month old and no temporary file")
    func failureMidWrite() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let project = Project(
            dataPath: copy.data, templatesPath: repository.appendingPathComponent("templates").path,
            outputPath: copy.output)
        let dataset = try #require(project.load().dataset)
        let march = try #require(YearMonth(iso: "2020-03"))
        let rendered = try project.render(dataset, months: [march], formats: [.text, .html, .json])
        try project.write(rendered.map { ($0.month.description, $0.files) })
        let before = try SampleCopy.snapshot(copy.output + "/2020-03")

        var changed = rendered[0].files
        for name in changed.keys { changed[name] = Data("new \(name)".utf8) }
        for limit in 0..<changed.count {
            var failing = FolderSwap(root: copy.output)
            failing.failAfterFiles = limit
            #expect(throws: WriteError.self) { try failing.replace("2020-03", files: changed) }
            #expect(try SampleCopy.snapshot(copy.output + "/2020-03") == before)
        }
        #expect(SampleCopy.temporaryLeftovers(copy.output).isEmpty)
        // Without a failure, all of them change at once.
        _ = try FolderSwap(root: copy.output).replace("2020-03", files: changed)
        #expect(try SampleCopy.snapshot(copy.output + "/2020-03") == changed)
    }

    @Test("files a render does not make (a ledger, an outbox, a link) stay in the month folder")
    func othersStay() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let month = copy.output + "/2020-03"
        #expect(try DigestProcess.run(["render", "--data", copy.data, "--out", copy.output]).status == 0)
        try FileManager.default.createDirectory(atPath: month + "/outbox", withIntermediateDirectories: true)
        try Data("ledger".utf8).write(to: URL(fileURLWithPath: month + "/send.sqlite"))
        try Data("message".utf8).write(to: URL(fileURLWithPath: month + "/outbox/1.eml"))
        try FileManager.default.createSymbolicLink(atPath: month + "/latest.html", withDestinationPath: "digest.html")
        let html = try Data(contentsOf: URL(fileURLWithPath: month + "/digest.html"))
        #expect(
            try DigestProcess.run(["render", "--format", "text", "--data", copy.data, "--out", copy.output]).status == 0
        )
        #expect(try String(contentsOfFile: month + "/send.sqlite", encoding: .utf8) == "ledger")
        #expect(try String(contentsOfFile: month + "/outbox/1.eml", encoding: .utf8) == "message")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: month + "/latest.html") == "digest.html")
        #expect(try Data(contentsOf: URL(fileURLWithPath: month + "/digest.html")) == html)
    }

    @Test("a render waits for a running send: exit 73 while the month's send lock is held, and the month as it was")
    func sendRunning() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let month = copy.output + "/2020-03"
        #expect(try DigestProcess.run(["render", "--data", copy.data, "--out", copy.output]).status == 0)
        let before = try SampleCopy.snapshot(month)
        var lock: SendLock? = try SendLock(path: month + "/send.lock")
        #expect(lock != nil)  // nil would mean another process holds it
        // Unchanged files are left alone whatever the lock; a correction would change the month.
        let unchanged = try DigestProcess.run(["render", "--data", copy.data, "--out", copy.output])
        #expect(unchanged.status == 0 && unchanged.stderr.contains("0 written"))
        let march = try copy.read("calls/2020-03-10.md")
        try copy.write(march.replacingOccurrences(of: "attended:", with: "attended: 1\n#"), to: "calls/2020-03-10.md")
        let result = try DigestProcess.run(["render", "--data", copy.data, "--out", copy.output])
        #expect(result.status == 73)
        #expect(result.stderr.contains("digest send is sending this month now"))
        #expect(try SampleCopy.snapshot(month).filter { $0.key != "send.lock" } == before)
        #expect(lock != nil)
        lock = nil  // the send ends
        #expect(try DigestProcess.run(["render", "--data", copy.data, "--out", copy.output]).status == 0)
    }

    @Test("the next run removes what killed runs left, and nothing of a running process")
    func staleCleanup() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        // A process that has ended: its id is free.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = ended.processIdentifier
        let alive = getpid()  // this test process, running while the program runs
        let month = copy.output + "/2020-03"
        try FileManager.default.createDirectory(atPath: month, withIntermediateDirectories: true)
        let leftovers = [
            copy.output + "/.digest-tmp-\(dead)-abc", month + "/.digest-tmp-\(dead)-def.tmp",
            copy.output + "/.digest-tmp-\(dead)-ghi.xlsx",
        ]
        try FileManager.default.createDirectory(atPath: leftovers[0], withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: leftovers[0] + "/digest.txt"))
        try Data("half".utf8).write(to: URL(fileURLWithPath: leftovers[1]))
        try Data("half".utf8).write(to: URL(fileURLWithPath: leftovers[2]))
        let running = copy.output + "/.digest-tmp-\(alive)-jkl"
        try Data("in use".utf8).write(to: URL(fileURLWithPath: running))
        let mine = copy.output + "/notes.txt"
        try Data("a person's file".utf8).write(to: URL(fileURLWithPath: mine))

        #expect(try DigestProcess.run(["render", "--data", copy.data, "--out", copy.output]).status == 0)
        for path in leftovers { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        #expect(FileManager.default.fileExists(atPath: running))
        #expect(FileManager.default.fileExists(atPath: mine))
    }

    @Test("killed with kill -9 at random moments of render --all, then run again: every month whole, nothing left")
    func killed() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let reference = copy.root + "/reference"
        #expect(try DigestProcess.run(["render", "--all", "--data", copy.data, "--out", reference]).status == 0)
        let expected = try SampleCopy.snapshot(reference)
        // Fixed moments (20 to 900 ms), so every run kills at the same points.
        let delays: [UInt32] = [35_000, 180_000, 420_000, 90_000, 650_000, 880_000]
        var pids: [Int32] = []
        let binary = DigestProcess.binary
        try #require(binary != nil, "build the digest program first: swift build")
        for delay in delays {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["render", "--all", "--data", copy.data, "--out", copy.output]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            pids.append(process.processIdentifier)
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Whatever moment it died at, each month is a whole set: all old or all new.
            for month in (try? FileManager.default.contentsOfDirectory(atPath: copy.output)) ?? []
            where !month.hasPrefix(".") {
                let files = try SampleCopy.snapshot(copy.output + "/" + month)
                // March 2020 has no next-call.ics: the schedule ended with its call.
                #expect(files.count == (month == "2020-03" ? 5 : 6), "\(month): \(files.keys.sorted())")
            }
        }
        #expect(try DigestProcess.run(["render", "--all", "--data", copy.data, "--out", copy.output]).status == 0)
        #expect(SampleCopy.temporaryLeftovers(copy.output).isEmpty)
        // Nothing else either: libxlsxwriter's own temporary files (tmp.…) live in a work folder of ours.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: copy.output).allSatisfy {
                $0.range(of: #"^\d{4}-\d{2}$"#, options: .regularExpression) != nil
            })
        #expect(try SampleCopy.snapshot(copy.output) == expected)
        let system = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
        for pid in pids {
            #expect(
                !system.contains { $0.hasPrefix(".digest-tmp-\(pid)-") || $0.hasPrefix("coalition-digest-\(pid)-") })
        }
    }

    @Test("two calls in a month: both in the text, the newsletter and the JSON, in date order")
    func twoCalls() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let second = try copy.read("calls/2019-06-11.md")
            .replacingOccurrences(of: "date: 2019-06-11", with: "date: 2019-06-18")
            .replacingOccurrences(of: "title:", with: "title: Follow-up —")
        try copy.write(second, to: "calls/2019-06-18.md")
        let result = try DigestProcess.run(["render", "--month", "2019-06", "--data", copy.data, "--out", copy.output])
        #expect(result.status == 0)
        let text = try String(contentsOfFile: copy.output + "/2019-06/digest.txt", encoding: .utf8)
        let html = try String(contentsOfFile: copy.output + "/2019-06/digest.html", encoding: .utf8)
        let first = try #require(text.range(of: "The call of 11 June"))
        let later = try #require(text.range(of: "The call of 18 June: Follow-up"))
        #expect(first.lowerBound < later.lowerBound)
        #expect(html.contains("The call of 11 June") && html.contains("The call of 18 June: Follow-up"))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: copy.output + "/2019-06/digest.json")))
        let calls = try #require((json as? [String: Any])?["calls"] as? [[String: Any]])
        #expect(calls.compactMap { $0["date"] as? String } == ["2019-06-11", "2019-06-18"])
        #expect(((json as? [String: Any])?["call"] as? [String: Any])?["date"] as? String == "2019-06-11")
    }

    @Test("render --all leaves out far-off months and says so")
    func farMonths() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let commitments = try copy.read("commitments.csv")
        try copy.write(commitments + "2109-02-19,Kenya,,government,OGP,A typo,announced,,,\n", to: "commitments.csv")
        let check = try DigestProcess.run(["check", "--data", copy.data])
        #expect(check.status == 0)
        #expect(check.stdout.contains("warning: date 2109-02-19 is more than 2 years after the last call (2020-03-10)"))
        let result = try DigestProcess.run([
            "render", "--all", "--format", "text", "--data", copy.data, "--out", copy.output,
        ])
        #expect(result.status == 0)
        #expect(
            result.stderr.contains(
                "warning: --all leaves out 1 month with data more than a year after the last regular call: 2109-02"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: copy.output).filter { !$0.hasPrefix(".") }.count == 22)
    }

    @Test("check prints control characters from the data escaped, never raw")
    func checkEscapes() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        try copy.write(
            try copy.read("commitments.csv") + "2019-02-19,Narn\u{1B}[2Jia,,government,OGP,T,announced,,,\n",
            to: "commitments.csv")
        let result = try DigestProcess.run(["check", "--data", copy.data])
        #expect(result.status == 1)
        #expect(!result.stdout.utf8.contains(0x1B))
        #expect(result.stdout.contains("error: this value holds an invisible control character (ESC, U+001B)"))
        #expect(result.stdout.contains("unknown country \"Narn\\u{1B}[2Jia\""))
    }

    @Test("a 1,350-character coalition name: no mail header line passes 998 characters")
    func longName() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let name = String(repeating: "Justice", count: 193).prefix(1350)
        try copy.write(
            try copy.read("coalition.yaml").replacingOccurrences(
                of: "name: Justice For All", with: "name: \(name)"), to: "coalition.yaml")
        let result = try DigestProcess.run(
            ["render", "--month", "2020-02", "--format", "eml", "--data", copy.data, "--out", copy.output])
        #expect(result.status == 0)
        let message = try String(contentsOfFile: copy.output + "/2020-02/digest.eml", encoding: .utf8)
        let header = message.components(separatedBy: "\r\n\r\n")[0]
        // Folded headers keep to 78; the Message-ID is one token, built from bounded parts.
        let longest =
            header.components(separatedBy: "\r\n").filter { !$0.hasPrefix("Message-ID:") }
            .map(\.utf8.count).max() ?? 0
        #expect(longest <= 78)
        #expect(message.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
        let id = try #require(header.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID:") })
        #expect(id.utf8.count < 120)
    }

    @Test("next-call past the year 9999 is an error, not January 10000")
    func nextCallBounds() throws {
        let result = try DigestProcess.run(["next-call", "--after", "9999-12-20"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("where the calendar ends"))
        #expect(!result.stdout.contains("10000"))
    }

    @Test("a calls/ folder and a file the user may not read: check names each and the reason")
    func unreadableCalls() throws {
        let copy = try SampleCopy()
        defer {
            chmod(copy.data + "/calls", 0o755)
            chmod(copy.data + "/vnr.csv", 0o644)
            copy.remove()
        }
        chmod(copy.root, 0o755)
        chmod(copy.data + "/calls", 0o000)
        chmod(copy.data + "/vnr.csv", 0o000)
        var arguments = ["check", "--data", copy.data]
        var result: DigestProcess.Result
        if getuid() == 0 {
            // root reads everything: run as the unprivileged user "nobody", where permissions apply,
            // from a copy of the program (the build folder may be in a home nobody cannot enter).
            try #require(
                FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                "as root the test needs setpriv (util-linux) to read as another user")
            let binary = try #require(DigestProcess.binary)
            let bin = copy.root + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: binary.path, toPath: bin + "/digest")
            let resources = "CoalitionDigest_CoalitionData.resources"
            try FileManager.default.copyItem(
                atPath: binary.deletingLastPathComponent().appendingPathComponent(resources).path,
                toPath: bin + "/" + resources)
            for path in [bin, bin + "/" + resources] { chmod(path, 0o755) }
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "--", bin + "/digest"] + arguments
            result = try DigestProcess.run(arguments, executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
        } else {
            result = try DigestProcess.run(arguments)
        }
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "\(copy.data)/calls:1:1: error: this folder cannot be read: permission denied; give your user account permission to read it"
            ))
        #expect(
            result.stdout.contains(
                "\(copy.data)/vnr.csv:1:1: error: this file cannot be read: permission denied; give your user account permission to read it"
            ))
        #expect(!result.stdout.contains("another program"))
    }
}
