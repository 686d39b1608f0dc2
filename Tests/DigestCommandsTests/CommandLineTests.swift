import CoalitionData
import DigestTestSupport
import Foundation
import Testing

/// The command line as staff meet it (issue 24).
@Suite("The command line as staff meet it")
struct CommandLineTests {
    @Test("render --month far from the record is refused, naming its first and last months; --force renders it")
    func farMonths() throws {
        let out = NSTemporaryDirectory() + "digest-far-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        for month in ["1999-01", "2200-03"] {
            let result = try DigestProcess.run(["render", "--month", month, "--out", out])
            #expect(result.status == 64, "\(month)")
            #expect(
                result.stderr.contains(
                    "--month \(month): the record runs from 2018-06 to 2020-03, so a period must lie between 2016-06 and 2022-03 (two years either side); add --force to render it anyway"
                ))
            #expect(!FileManager.default.fileExists(atPath: out + "/" + month))
        }
        let forced = try DigestProcess.run([
            "render", "--month", "1999-01", "--force", "--format", "text", "--out", out,
        ])
        #expect(forced.status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/1999-01/digest.txt"))
        // Within two years of the record, no --force is needed.
        #expect(try DigestProcess.run(["render", "--month", "2021-06", "--format", "text", "--out", out]).status == 0)
    }

    @Test("render --all: one summary line; a second run leaves every file alone; --verbose lists them")
    func renderAllSummary() throws {
        let out = NSTemporaryDirectory() + "digest-all-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let first = try DigestProcess.run(["render", "--all", "--format", "text,html", "--out", out])
        #expect(first.status == 0)
        #expect(first.stdout.isEmpty)
        #expect(first.stderr.contains("22 months: 44 written, 0 unchanged in \(out)\n"))
        let before = try ArchiveCommandTests.stamps(out + "/2019-06")
        let again = try DigestProcess.run(["render", "--all", "--format", "text,html", "--out", out])
        #expect(again.stderr.contains("22 months: 0 written, 44 unchanged in \(out)\n"))
        #expect(try ArchiveCommandTests.stamps(out + "/2019-06") == before)  // same inodes, same times
        let verbose = try DigestProcess.run(["render", "--all", "--format", "text,html", "--verbose", "--out", out])
        #expect(verbose.stdout.split(separator: "\n").count == 44)
        #expect(verbose.stdout.contains("unchanged \(out)/2019-06/digest.txt\n"))
    }

    @Test("--version prints the version; every command's help lists its exit statuses")
    func helpAndVersion() throws {
        let version = try DigestProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.35.0\n")
        for command in [
            ["check"], ["render"], ["report"], ["archive"], ["preview"], ["next-call"], ["send"], ["serve"],
            ["members", "status"], ["members", "unsubscribe"], ["members", "resubscribe"], ["members", "sync"],
            ["members", "verify-token"], ["bounces", "read"],
        ] {
            let help = try DigestProcess.run(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.stdout.contains("Exit status"), "\(command)")
            #expect(help.stdout.contains("0 "), "\(command)")
        }
        let send = try DigestProcess.run(["send", "--help"]).stdout
        for status in ["2 ", "69 ", "75 "] { #expect(send.contains(status)) }
        #expect(try DigestProcess.run(["members", "verify-token", "--help"]).stdout.contains("2 no"))
        #expect(try DigestProcess.run(["render", "--help"]).stdout.contains("Default: all of them."))
    }
}

@Suite("members unsubscribe finds an address typed with capitals")
struct UnsubscribeCaseTests {
    @Test("Amina.Odhiambo@Example.org finds amina.odhiambo@example.org on line 2, and says the line, not the address")
    func capitals() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let result = try DigestProcess.run([
            "members", "unsubscribe", "Amina.Odhiambo@Example.org", "--data", copy.data,
        ])
        #expect(result.status == 0)
        #expect(result.stdout == "\(copy.data)/members.csv:2: the member is now unsubscribed\n")
        #expect(!result.stdout.lowercased().contains("amina"))
        let line = try copy.read("members.csv").split(separator: "\n")[1]
        #expect(line.hasPrefix("amina.odhiambo@example.org,") && line.contains(",unsubscribed,"))
    }
}
