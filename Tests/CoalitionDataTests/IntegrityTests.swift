import Foundation
import Testing

@testable import CoalitionData

/// Nothing in the data is dropped without a word, and hostile bytes never
/// pass: the loader half of issue 8.
@Suite("Integrity of loading: nothing dropped in silence, hostile bytes refused")
struct IntegrityTests {
    static let commitmentsHeader = "date,country,actor,framework,title,status,url\n"

    // MARK: Files and folders that cannot be read

    @Test("a file where calls/ should be is an error naming it, not an empty month")
    func callsIsAFile() throws {
        let fixture = try DataFolderFixture([:])
        try FileManager.default.removeItem(atPath: fixture.path + "/calls")
        try Data("x".utf8).write(to: URL(fileURLWithPath: fixture.path + "/calls"))
        #expect(
            fixture.diagnostics() == [
                "calls:1:1: error: this should be a folder holding one file per call, but it is a file; rename the file and create a folder \"calls\""
            ])
    }

    @Test("a folder where a data file should be is an error naming it")
    func folderForFile() throws {
        let fixture = try DataFolderFixture([:])
        try FileManager.default.createDirectory(
            atPath: fixture.path + "/commitments.csv", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(
            atPath: fixture.path + "/calls/2019-06-11.md", withIntermediateDirectories: false)
        #expect(
            fixture.diagnostics() == [
                "calls/2019-06-11.md:1:1: error: this is a folder, but a file of that name is expected; rename or remove the folder",
                "commitments.csv:1:1: error: this is a folder, but a file of that name is expected; rename or remove the folder",
            ])
    }

    @Test("permission denied is said as such, for files and for calls/")
    func permissionWording() {
        #expect(DataFileReader.reason(EACCES).hasPrefix("permission denied"))
        #expect(!DataFileReader.reason(EACCES).contains("another program"))
        // The end-to-end test runs the program as an unprivileged user, where
        // permissions really apply (EndToEndTests.unreadableCalls).
    }

    @Test("a YAML or Markdown file that is not UTF-8 says so in an editor's words, not a spreadsheet's")
    func notUTF8() throws {
        let fixture = try DataFolderFixture(["calls/2019-06-11.md": "---\ndate: 2019-06-11\n---\n"])
        var bytes = Array("---\ndate: 2019-06-11\ntitle: caf".utf8)
        bytes += [0xE9, 0x0A] + Array("---\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.path + "/calls/2019-06-11.md"))
        #expect(
            fixture.diagnostics() == [
                "calls/2019-06-11.md:3:11: error: this file is not UTF-8 text; in your text editor, save it again with the UTF-8 encoding"
            ])
    }

    @Test("a link that leads out of the data folder is refused, and its target never read")
    func linkOutside() throws {
        let secret = NSTemporaryDirectory() + "digest-secret-" + UUID().uuidString
        try Data("root:x:0:0:SECRET-LINE\n".utf8).write(to: URL(fileURLWithPath: secret))
        defer { try? FileManager.default.removeItem(atPath: secret) }
        let fixture = try DataFolderFixture([:])
        try FileManager.default.createSymbolicLink(
            atPath: fixture.path + "/commitments.csv", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.path + "/calls/2019-06-11.md", withDestinationPath: secret)
        let result = fixture.load()
        let lines = result.log.all.map(\.description)
        #expect(result.dataset == nil)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("error: this is a link that leads outside the data folder") })
        #expect(!lines.contains { $0.contains("SECRET") || $0.contains("root:") })
    }

    @Test("a link inside the data folder is followed")
    func linkInside() throws {
        let fixture = try DataFolderFixture([
            "shared/events.csv": "start,end,title,location,url\n2019-07-09,,HLPF,,\n"
        ])
        try FileManager.default.createSymbolicLink(
            atPath: fixture.path + "/events.csv", withDestinationPath: fixture.path + "/shared/events.csv")
        let result = fixture.load()
        #expect(result.log.errorCount == 0)
        #expect(result.dataset?.events.map(\.title) == ["HLPF"])
    }

    // MARK: Values that would vanish

    @Test("a list or a group inside countries is an error at its line and column")
    func nestedCountries() throws {
        let call = """
            ---
            date: 2019-06-11
            countries: [Kenya, [Narnia], {a: Narnia}]
            ---
            """
        #expect(
            try DataFolderFixture(["calls/2019-06-11.md": call]).diagnostics() == [
                "calls/2019-06-11.md:3:20: error: countries lists country names or codes, one per item, such as [Kenya, Nigeria]; this item is a list inside the list",
                "calls/2019-06-11.md:3:30: error: countries lists country names or codes, one per item, such as [Kenya, Nigeria]; this item is a group of key: value pairs",
            ])
    }

    @Test(
        "thousands separators only between groups of three digits",
        arguments: [
            ("1250", 1250), ("1,250", 1250), ("1 250", 1250), ("12_345_678", 12_345_678), ("999", 999),
            ("1,2,3", nil), ("12,34", nil), ("1,2345", nil), ("1234,567", nil), ("1,250 000", nil), (",250", nil),
            ("1,", nil), ("", nil),
        ] as [(String, Int?)])
    func separators(text: String, expected: Int?) {
        #expect(WholeNumber.parse(text) == expected)
    }

    @Test("a petition total past 10 billion is an error naming the row that makes it")
    func absurdTotal() throws {
        var csv = "date,source,kind,count\n2019-01-31,web,total,1000\n"
        for day in 1...20 { csv += "2019-02-\(day < 10 ? "0" : "")\(day),paper,new,999999999999999\n" }
        let diagnostics = try DataFolderFixture(["petition.csv": csv]).diagnostics()
        #expect(
            diagnostics == [
                "petition.csv:3:1: error: with this row the petition's total reaches 1,000,000,000,000,999 signatures, more than 10 billion; check the count (a figure pasted twice, or a date or phone number in the count column)"
            ])
    }

    // MARK: Hostile bytes

    @Test("control characters are errors at their line and column; check would echo them escaped")
    func controls() throws {
        let csv =
            Self.commitmentsHeader + "2019-02-19,,government,OGP,Bad\u{0}title,announced,\n"
            + "2019-02-19,,government,OGP,\u{1B}[31mred,announced,\n"
            + "2019-02-19,,government,OGP,C1 \u{9B}x,announced,\n"
        #expect(
            try DataFolderFixture(["commitments.csv": csv]).diagnostics() == [
                "commitments.csv:2:31: error: this value holds an invisible control character (NUL, U+0000), which is not allowed in the data; delete it (such characters come from copying out of another program)",
                "commitments.csv:3:28: error: this value holds an invisible control character (ESC, U+001B), which is not allowed in the data; delete it (such characters come from copying out of another program)",
                "commitments.csv:4:31: error: this value holds an invisible control character (U+009B), which is not allowed in the data; delete it (such characters come from copying out of another program)",
            ])
        // Messages that quote a value never carry the control itself.
        let quoting = Diagnostic(
            file: "f\u{1B}.csv", line: 1, column: 1, severity: .error, message: "unknown \"\u{1B}[2J\u{202E}\"")
        #expect(quoting.description == "f\\u{1B}.csv:1:1: error: unknown \"\\u{1B}[2J\\u{202E}\"")
    }

    @Test("bidirectional overrides are a warning, and the data still loads")
    func bidi() throws {
        let csv = Self.commitmentsHeader + "2019-02-19,,government,OGP,Plan \u{202E}lanigiro,announced,\n"
        let result = try DataFolderFixture(["commitments.csv": csv]).load()
        #expect(result.log.errorCount == 0)
        #expect(result.log.warningCount == 1)
        #expect(result.log.all.first?.line == 2)
        #expect(result.log.all.first?.column == 33)
        #expect(
            result.log.all.first?.message.hasPrefix("this value holds an invisible right-to-left override (U+202E)")
                == true)
        #expect(result.dataset?.commitments.first?.title == "Plan \u{202E}lanigiro")
    }

    @Test(
        "web addresses are RFC 3986 URIs: pasted characters are percent-encoded, markup refused",
        arguments: [
            ("https://example.org/path?q=1&r=2#top", "https://example.org/path?q=1&r=2#top"),
            ("https://example.org/café", "https://example.org/caf%C3%A9"),
            ("https://example.org/a{b}|c^", "https://example.org/a%7Bb%7D%7Cc%5E"),
            ("https://example.org/?q=[1]", "https://example.org/?q=%5B1%5D"),
            ("https://[2001:db8::1]:8080/x", "https://[2001:db8::1]:8080/x"),
            ("https://user@example.org:443/", "https://user@example.org:443/"),
            ("mailto:campaign@example.org", "mailto:campaign@example.org"),
            ("https://example.org/a#b#c", "https://example.org/a#b%23c"),
        ])
    func validAddresses(text: String, expected: String) {
        #expect(WebAddress.check(text) == .valid(expected))
    }

    @Test(
        "addresses with quotes, angle brackets, spaces, controls or a broken host are refused",
        arguments: [
            "https://ok.example/?x=\"><script>alert(1)</script>", "https://example.org/<x>", "https://example.org/a b",
            "https://example.org/\u{0}", "https://example.org/%zz", "https://", "https:///path", "https://exa mple.org",
            "https://example.org:80a/", "https://ex..ample.org/", "https://example.org/\u{202E}x",
        ])
    func invalidAddresses(text: String) {
        guard case .invalid = WebAddress.check(text) else {
            Issue.record("\(text) was accepted")
            return
        }
    }

    @Test("an address in a CSV file is stored percent-encoded; a bad one is an error at its column")
    func addressesInRows() throws {
        let csv =
            Self.commitmentsHeader + "2019-02-19,,government,OGP,T,announced,https://example.org/café\n"
            + "2019-02-19,,government,OGP,T,announced,\"https://ok.example/?x=\"\"><b>\"\n"
        let result = try DataFolderFixture(["commitments.csv": csv]).load()
        #expect(
            result.log.all.map(\.message) == [
                "the address \"https://ok.example/?x=\"><b>\" contains a quotation mark, which cannot be part of a web address; copy it again from the browser's address bar"
            ])
        #expect(result.log.all.map(\.column) == [40])
        let good = try DataFolderFixture([
            "commitments.csv": Self.commitmentsHeader
                + "2019-02-19,,government,OGP,T,announced,https://example.org/café\n"
        ]).load()
        #expect(good.dataset?.commitments.first?.url == "https://example.org/caf%C3%A9")
    }

    @Test(
        "mail settings are checked by check, with line and column and the reason",
        arguments: [
            ("a@b.org, victim@example.com", "it holds more than one address, or a comma; give one address"),
            ("Evil <a@b.org>>", "there is text after the closing > (>)"),
            ("José ‹josé@exämple.org>", "it has a > without a matching <"),
            (
                "José <josé@exämple.org>",
                "it holds \"é\", a letter outside ASCII, which most mail servers refuse; write the address in ASCII (a domain in its xn-- form)"
            ),
            ("team@example", "the domain after the @ (example) needs a dot, as in example.org"),
            (
                "team..x@example.org",
                "the part before the @ (team..x) has a character an address cannot hold, or a dot at its start, its end or twice in a row"
            ),
            ("Team <team@-example.org>", "a part of the domain starts or ends with a hyphen"),
        ])
    func mailSettings(from: String, reason: String) throws {
        let yaml =
            DataFolderFixture.coalition
            + "\nmail:\n  from: '\(from)'\n  to: list@example.org\n  postal_address: 1 Main St\n"
        #expect(
            try DataFolderFixture(["coalition.yaml": yaml]).diagnostics() == [
                "coalition.yaml:11:9: error: mail.from \"\(from)\" is not an email address: \(reason); write it as name@example.org or Name <name@example.org>"
            ])
    }

    // MARK: Bounded work

    @Test("each file lists its first 50 errors, then how many more; the count stays exact")
    func limitPerFile() throws {
        var csv = Self.commitmentsHeader
        for _ in 0..<500 { csv += "2019-02-19,Narnia,government,OGP,T,announced,\n" }
        let result = try DataFolderFixture(["commitments.csv": csv]).load()
        #expect(result.log.errorCount == 500)
        #expect(result.log.all.count == 51)
        #expect(result.log.summary == "500 errors, 0 warnings")
        let last = try #require(result.log.sorted.last)
        #expect(last.line == 501)
        #expect(
            last.message
                == "and 450 more errors in this file, not listed (the first 50 are); fix those and run the check again")
    }

    @Test("a header of a million columns is refused with one error, its warnings capped")
    func wideHeader() throws {
        // How fast is the benchmarks' business; here, what is said.
        let header = (0..<1_000_000).map { "c\($0)" }.joined(separator: ",") + "\n"
        let result = try DataFolderFixture(["petition.csv": header + "2019-01-01,web,total,1\n"]).load()
        #expect(result.log.errorCount == 1)
        #expect(result.log.warningCount <= DiagnosticLog.limitPerFile + 1)
        #expect(
            result.log.all.contains {
                $0.severity == .error && $0.column > 1 && $0.message.hasPrefix("this line has more than 1000 values")
            })
    }

    @Test("dates far from the record are warnings that name the row")
    func farDates() throws {
        let call = "---\ndate: 2019-06-11\n---\n"
        let csv =
            Self.commitmentsHeader + "2109-02-19,,government,OGP,T,announced,\n"
            + "1899-02-19,,government,OGP,T,announced,\n" + "2021-06-11,,government,OGP,T,announced,\n"
        let diagnostics = try DataFolderFixture([
            "calls/2019-06-11.md": call, "calls/9999-12-14.md": "---\ndate: 9999-12-14\n---\n", "commitments.csv": csv,
        ]).diagnostics()
        #expect(
            diagnostics == [
                "calls/9999-12-14.md:1:1: warning: the call's date 9999-12-14 is more than 2 years after the last call (2019-06-11); is the year right? (render --all leaves such months out)",
                "commitments.csv:2:1: warning: date 2109-02-19 is more than 2 years after the last call (2019-06-11); is the year right? (render --all leaves such months out)",
                "commitments.csv:3:1: warning: date 1899-02-19 is before 1945; is the year right?",
            ])
    }

    @Test("the months render --all covers: first month with data to the last regular call, data up to a year past it")
    func reportableMonths() throws {
        let csv =
            Self.commitmentsHeader + "2020-02-19,,government,OGP,T,announced,\n"
            + "2109-02-19,,government,OGP,T,announced,\n"
        let result = try DataFolderFixture([
            "calls/2019-06-11.md": "---\ndate: 2019-06-11\n---\n",
            "calls/9999-12-14.md": "---\ndate: 9999-12-14\n---\n",
            "commitments.csv": csv,
        ]).load()
        let dataset = try #require(result.dataset)
        let (months, skipped) = dataset.reportableMonths
        #expect(months.first?.description == "2019-06")
        #expect(months.last?.description == "2020-02")
        #expect(months.count == 9)
        #expect(skipped.map(\.description) == ["2109-02", "9999-12"])
    }
}
