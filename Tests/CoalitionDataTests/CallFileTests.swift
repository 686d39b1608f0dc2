import Foundation
import MarkdownTree
import Testing

@testable import CoalitionData

@Suite("Call files")
struct CallFileTests {
    @Test("front matter and notes load")
    func valid() throws {
        let text = """
            ---
            date: 2019-02-19
            time: "11:30"
            title: One year
            status: held
            recording: https://example.org/rec
            registered: 88
            attended: 41
            countries: [Kenya, Macedonia, ID]
            ---

            ## Updates

            - @staceycram spoke
            """
        let result = try DataFolderFixture(["calls/2019-02-19.md": text]).load()
        #expect(result.log.all.isEmpty)
        let call = try #require(result.dataset?.calls.first)
        #expect(call.date == LocalDate(year: 2019, month: 2, day: 19))
        #expect(call.time == LocalTime(hour: 11, minute: 30))
        #expect(call.statusAsWritten == .held)
        #expect(call.registered == 88)
        #expect(call.attended == 41)
        #expect(call.countries.map(\.alpha2) == ["KE", "MK", "ID"])
        #expect(call.notes.first == .heading(level: 2, [.text("Updates")]))
    }

    @Test("errors point at the line inside the file, below the --- line")
    func frontMatterErrors() throws {
        let text = """
            ---
            date: 2019-02-12
            time: 10am
            status: postponed
            attended: many
            countries: Kenya, Wakanda
            recording: ftp://x
            ---
            Notes
            """
        let diagnostics = try DataFolderFixture(["calls/2019-02-19.md": text]).diagnostics()
        #expect(
            diagnostics == [
                "calls/2019-02-19.md:2:7: error: date 2019-02-12 does not match the file name 2019-02-19.md; rename the file or correct the date",
                "calls/2019-02-19.md:3:7: error: time \"10am\" is not a time; write it on a 24-hour clock in quotes, such as \"10:00\"",
                "calls/2019-02-19.md:4:9: error: status \"postponed\" is not known; use one of: held, cancelled, scheduled",
                "calls/2019-02-19.md:5:11: error: attended \"many\" is not a whole number; write digits only, such as 45, or with a separator between groups of three digits, such as 1,250",
                "calls/2019-02-19.md:6:12: error: unknown country \"Wakanda\"; did you mean \"Canada\"?",
                "calls/2019-02-19.md:7:12: error: recording: the address \"ftp://x\" must start with https:// (or http://, or mailto: for an email address)",
            ])
    }

    @Test("a file without front matter, or never closed")
    func missingFrontMatter() throws {
        let diagnostics = try DataFolderFixture([
            "calls/2019-03-12.md": "Just notes\n",
            "calls/2019-04-09.md": "---\ndate: 2019-04-09\nNotes\n",
            "calls/2019-05-14.md": "---\n---\nNotes\n",
        ]).diagnostics()
        #expect(diagnostics.count == 3)
        #expect(
            diagnostics[0].hasPrefix("calls/2019-03-12.md:1:1: error: a call file starts with a line of three dashes"))
        #expect(diagnostics[1].hasPrefix("calls/2019-04-09.md:1:1: error: the details at the top are never closed"))
        #expect(diagnostics[2].hasPrefix("calls/2019-05-14.md:2:1: error: the details are empty"))
    }

    @Test("date_announced: a day on or before the call; a later day or a non-date is named at its line")
    func dateAnnounced() throws {
        let good = try DataFolderFixture([
            "calls/2019-02-19.md": "---\ndate: 2019-02-19\ndate_announced: 2019-02-01\n---\n"
        ]).load()
        #expect(good.dataset?.calls.first?.dateAnnounced == LocalDate(iso: "2019-02-01"))
        let diagnostics = try DataFolderFixture([
            "calls/2019-02-19.md": "---\ndate: 2019-02-19\ndate_announced: 2019-03-01\n---\n",
            "calls/2019-03-12.md": "---\ndate: 2019-03-12\ndate_announced: soon\n---\n",
        ]).diagnostics()
        #expect(
            diagnostics == [
                "calls/2019-02-19.md:3:17: error: date_announced 2019-03-01 is after the call (2019-02-19); write the day members were told the call's date, on or before it",
                "calls/2019-03-12.md:3:17: error: date_announced \"soon\" is not a date; write the day members were told the call's date (a call moved off the schedule's day), as YYYY-MM-DD",
            ])
    }

    @Test("a file name that is not a date")
    func badName() throws {
        let diagnostics = try DataFolderFixture(["calls/june.md": "---\ndate: 2019-06-11\n---\n"]).diagnostics()
        #expect(
            diagnostics.first?.hasPrefix("calls/june.md:1:1: error: a call file is named after the call's date") == true
        )
    }

    @Test("status defaults to held up to the reported period, scheduled after")
    func defaultStatus() throws {
        let result = try DataFolderFixture(["calls/2019-06-11.md": "---\ndate: 2019-06-11\n---\n"]).load()
        let call = try #require(result.dataset?.calls.first)
        #expect(call.status(reportingThrough: LocalDate(year: 2019, month: 6, day: 30)!) == .held)
        #expect(call.status(reportingThrough: LocalDate(year: 2019, month: 5, day: 31)!) == .scheduled)
    }

    @Test("a call file saved on Windows (CRLF line ends) loads the same")
    func crlf() throws {
        let text = "---\r\ndate: 2019-06-11\r\ntitle: T\r\n---\r\n\r\n## Notes\r\n\r\n- one\r\n"
        let result = try DataFolderFixture(["calls/2019-06-11.md": text]).load()
        #expect(result.log.all.isEmpty)
        let call = try #require(result.dataset?.calls.first)
        #expect(call.title == "T")
        #expect(call.notes.count == 2)
    }

    @Test("a name with a line break is refused: it would become a mail header")
    func nameLineBreak() throws {
        let yaml = DataFolderFixture.coalition.replacingOccurrences(
            of: "name: Test Coalition", with: "name: \"Evil\\r\\nBcc: victim@example.org\"")
        let diagnostics = try DataFolderFixture(["coalition.yaml": yaml]).diagnostics()
        #expect(diagnostics == ["coalition.yaml:1:1: error: name must be on one line; remove the line break"])
    }

    @Test("countries may be a whole number when only the count was kept")
    func countryCount() throws {
        let result = try DataFolderFixture([
            "calls/2019-06-11.md": "---\ndate: 2019-06-11\ncountries: 31\n---\nNotes.\n"
        ]).load()
        #expect(result.log.all.isEmpty)
        let call = try #require(result.dataset?.calls.first)
        #expect(call.countryCount == 31)
        #expect(call.countries.isEmpty)
    }

    @Test("a negative count, or numbers in a list of countries, is an error at its place")
    func countryCountErrors() throws {
        let diagnostics = try DataFolderFixture([
            "calls/2019-06-11.md": "---\ndate: 2019-06-11\ncountries: -3\n---\n",
            "calls/2019-07-09.md": "---\ndate: 2019-07-09\ncountries: [12, Kenya]\n---\n",
        ]).diagnostics()
        #expect(
            diagnostics == [
                "calls/2019-06-11.md:3:12: error: countries \"-3\" is not a number of countries; write how many took part (countries: 31) or list them (countries: [Kenya, Nigeria])",
                "calls/2019-07-09.md:3:13: error: countries lists country names or codes; 12 is a number: to give only how many countries took part, write countries: 12 without brackets",
            ])
    }
}
