import Foundation
import Testing

/// `digest archive` on disk: only changed files written, nothing a person
/// put there removed or overwritten, nothing written from bad data (issue 12).
@Suite("digest archive writes the site safely", .serialized)
struct ArchiveCommandTests {
    static func archive(_ copy: SampleCopy, _ extra: [String] = []) throws -> DigestProcess.Result {
        try DigestProcess.run(
            [
                "archive", "--data", copy.data, "--templates", repository.appendingPathComponent("templates").path,
                "--out", copy.output,
            ] + extra)
    }

    /// Inode and modification time of every file in the site.
    static func stamps(_ folder: String) throws -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            var info = stat()
            guard lstat(folder + "/" + name, &info) == 0 else { continue }
            result[name] = [Int(info.st_ino), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        }
        return result
    }

    @Test("a second run writes nothing; a changed call rewrites only its page and the feed")
    func onlyChanges() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let first = try Self.archive(copy)
        #expect(first.status == 0, "\(first.stderr)")
        // 22 pages, 21 calendar files (no call follows March 2020's), an index and a feed in each
        // of English, French and Spanish; one sitemap.
        #expect(first.stderr.contains("136 written, 0 unchanged, 0 removed"))
        let site = copy.output + "/site"
        let before = try Self.stamps(site)
        let again = try Self.archive(copy)
        #expect(again.status == 0)
        #expect(again.stdout == "")
        #expect(again.stderr.contains("0 written, 136 unchanged, 0 removed"))
        #expect(try Self.stamps(site) == before)

        // A correction to June 2019's notes.
        let june = try copy.read("calls/2019-06-11.md")
        try copy.write(
            june.replacingOccurrences(of: "Rome conference debrief", with: "Debrief of the Rome conference"),
            to: "calls/2019-06-11.md")
        let changed = try Self.archive(copy)
        #expect(changed.status == 0)
        #expect(changed.stdout == "wrote \(site)/2019-06.html\nwrote \(site)/feed.xml\n")
        let after = try Self.stamps(site)
        for name in before.keys where name != "2019-06.html" && name != "feed.xml" {
            #expect(after[name] == before[name], "\(name) was rewritten")
        }
        #expect(after["2019-06.html"] != before["2019-06.html"])
    }

    @Test("files a person put in the site stay; names the archive no longer makes are removed")
    func keepsWhatItDidNotWrite() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let site = copy.output + "/site"
        try FileManager.default.createDirectory(atPath: site + "/images", withIntermediateDirectories: true)
        try Data("logo".utf8).write(to: URL(fileURLWithPath: site + "/images/logo.png"))
        try Data("verify".utf8).write(to: URL(fileURLWithPath: site + "/google123.html"))
        #expect(try Self.archive(copy).status == 0)
        // An archive page the archive once wrote but no longer makes.
        try Data("old".utf8).write(to: URL(fileURLWithPath: site + "/2017-01.html"))
        let manifest = copy.output + "/.site-files"
        let names = try String(contentsOfFile: manifest, encoding: .utf8)
        #expect(names.split(separator: "\n").count == 136)
        try (names + "2017-01.html\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        let result = try Self.archive(copy)
        #expect(result.status == 0)
        #expect(result.stdout == "removed \(site)/2017-01.html\n")
        #expect(!FileManager.default.fileExists(atPath: site + "/2017-01.html"))
        #expect(FileManager.default.contents(atPath: site + "/images/logo.png") == Data("logo".utf8))
        #expect(FileManager.default.contents(atPath: site + "/google123.html") == Data("verify".utf8))
    }

    @Test("a hand-made page under an archive name is not overwritten unless --replace")
    func handMadePage() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let site = copy.output + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        let handMade = Data("<p>made by hand</p>".utf8)
        try handMade.write(to: URL(fileURLWithPath: site + "/2019-06.html"))
        let refused = try Self.archive(copy)
        #expect(refused.status == 73)
        #expect(
            refused.stderr.contains(
                "\(site)/2019-06.html: error: cannot write output: this file was not written by digest archive, and the archive has a page of that name; move it away, or run digest archive --replace to overwrite it"
            ))
        #expect(try FileManager.default.contentsOfDirectory(atPath: site) == ["2019-06.html"])
        #expect(FileManager.default.contents(atPath: site + "/2019-06.html") == handMade)
        let replaced = try Self.archive(copy, ["--replace"])
        #expect(replaced.status == 0)
        #expect(FileManager.default.contents(atPath: site + "/2019-06.html") != handMade)
    }

    @Test("an unchanged re-run renders nothing; an edit to the data, or to a page of the site, is made again")
    func unchangedInputs() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let site = copy.output + "/site"
        #expect(try Self.archive(copy).status == 0)
        let record = try String(contentsOfFile: copy.output + "/.site-inputs", encoding: .utf8)
        #expect(record.hasPrefix("inputs ") && record.contains("\noutputs "))
        let again = try Self.archive(copy)
        #expect(again.stderr.contains("0 written, "))
        #expect(try String(contentsOfFile: copy.output + "/.site-inputs", encoding: .utf8) == record)
        // A page changed by hand is written again, as a page deleted is.
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: site + "/2019-10.html"))
        try FileManager.default.removeItem(atPath: site + "/fr/2019-06.html")
        let repaired = try Self.archive(copy)
        #expect(repaired.stderr.contains("2 written, "), "\(repaired.stderr)")
        #expect(try String(contentsOfFile: site + "/2019-10.html", encoding: .utf8).contains("Reading and resources"))
        #expect(FileManager.default.fileExists(atPath: site + "/fr/2019-06.html"))
        // The data changed: the pages it touches are made again.
        try copy.write(
            try copy.read("resources.csv").replacingOccurrences(
                of: "Justice Policy Series, Part 1: Access to Justice", with: "Justice Policy Series, Part One"),
            to: "resources.csv")
        let edited = try Self.archive(copy)
        #expect(!edited.stderr.contains("0 written, "), "\(edited.stderr)")
        #expect(
            try String(contentsOfFile: site + "/2019-10.html", encoding: .utf8).contains(
                "Justice Policy Series, Part One"))
    }

    @Test("bad data writes nothing and leaves the site as it was")
    func badData() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        #expect(try Self.archive(copy).status == 0)
        let site = copy.output + "/site"
        let before = try SampleCopy.snapshot(site)
        let stamps = try Self.stamps(site)
        try copy.write(try copy.read("events.csv") + "2019-13-01,,Broken,,,,,,,,\n", to: "events.csv")
        let result = try Self.archive(copy)
        #expect(result.status == 1)
        #expect(result.stderr.contains("events.csv:20:1: error: start \"2019-13-01\" has month 13"))
        #expect(try SampleCopy.snapshot(site) == before)
        #expect(try Self.stamps(site) == stamps)
    }
}

/// `digest members unsubscribe` as a process (issue 13, part 2).
@Suite("digest members unsubscribe")
struct MembersCommandTests {
    @Test("marks the member, prints the line and never the address; an unknown address exits 1")
    func unsubscribe() throws {
        let copy = try SampleCopy()
        defer { copy.remove() }
        let before = try copy.read("members.csv")
        let result = try DigestProcess.run([
            "members", "unsubscribe", "amina.odhiambo@EXAMPLE.org", "--data", copy.data,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(copy.data)/members.csv:2: the member is now unsubscribed\n")
        #expect(!result.stdout.contains("amina") && !result.stderr.contains("amina"))
        let after = try copy.read("members.csv")
        #expect(
            after
                == before.replacingOccurrences(
                    of: "Haki Mashinani,,subscribed,", with: "Haki Mashinani,,unsubscribed,"))
        let unknown = try DigestProcess.run(["members", "unsubscribe", "nobody@example.org", "--data", copy.data])
        #expect(unknown.status == 1)
        #expect(!unknown.stderr.contains("nobody"))
        #expect(try copy.read("members.csv") == after)
    }
}
