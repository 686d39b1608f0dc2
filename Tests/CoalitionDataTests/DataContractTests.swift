import Foundation
import Testing

@testable import CoalitionData

/// The data contract's corners staff meet (issue 24): YAML's null, and a
/// quote left open in a CSV row.
@Suite("The data contract: null in YAML, a quote left open in CSV")
struct DataContractTests {
    @Test("YAML's null means nothing: a framework with ~, null or nothing after it has no other names")
    func yamlNull() throws {
        let fixture = try DataFolderFixture([
            "coalition.yaml": DataFolderFixture.coalition + """

                frameworks:
                  National programme: null
                  Political pledge: ~
                  Civil society declaration:
                  Open Government Partnership: [OGP, NULL]
                """,
            "commitments.csv": "date,country,actor,framework,title,status,url\n"
                + "2019-02-19,Indonesia,government,National programme,Plan,in progress,\n",
        ])
        let result = fixture.load()
        #expect(result.log.all.isEmpty, "\(fixture.diagnostics())")
        let frameworks = try #require(result.dataset?.coalition.frameworks)
        #expect(
            frameworks.entries.map(\.name) == [
                "National programme", "Political pledge", "Civil society declaration", "Open Government Partnership",
            ])
        #expect(frameworks.entries.map(\.aliases) == [[], [], [], ["OGP"]])
    }

    @Test("a quote left open: said once, where it opened, not as a count of values past the line's end")
    func unclosedQuote() throws {
        let fixture = try DataFolderFixture([
            "commitments.csv": """
            date,country,actor,framework,title,status,url
            2019-02-19,Indonesia,government,OGP,"Plan for legal aid,in progress,
            2019-05-14,Argentina,government,OGP,"Task force",announced,

            """
        ])
        let diagnostics = fixture.diagnostics()
        #expect(diagnostics.count == 1, "\(diagnostics)")
        let first = try #require(diagnostics.first)
        #expect(
            first.contains("commitments.csv:2:37: error: the quote that opens this value is not closed on its line"))
        #expect(first.contains("runs on to line 3"))
        #expect(first.contains("add the closing \" on line 2"))
    }

    @Test("vnr_presenting: a count, or a count with the call that gave it; a wrong date is named at its line")
    func presentingAnnounced() throws {
        let good = try DataFolderFixture([
            "coalition.yaml": DataFolderFixture.coalition
                + "\nvnr_presenting:\n  2019: {count: 47, announced: 2019-06-11}\n  2020: 47\n"
        ]).load()
        let counts = try #require(good.dataset?.coalition.vnrPresenting)
        #expect(counts.map(\.count) == [47, 47])
        #expect(counts.map(\.announced) == [LocalDate(iso: "2019-06-11"), nil])
        let bad = try DataFolderFixture([
            "coalition.yaml": DataFolderFixture.coalition
                + "\nvnr_presenting:\n  2019: {count: 47, announced: 2019-13-01}\n"
        ]).diagnostics()
        #expect(bad.contains { $0.contains("vnr_presenting.2019.announced \"2019-13-01\" is not a date") }, "\(bad)")
    }
}
