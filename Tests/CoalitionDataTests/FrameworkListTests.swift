import Foundation
import Testing

@testable import CoalitionData

/// One name per framework (`frameworks:` in `coalition.yaml`).
@Suite("Frameworks: one name for each, aliases counted together")
struct FrameworkListTests {
    static let coalition =
        DataFolderFixture.coalition + """

            frameworks:
              Open Government Partnership: [OGP, OGP action plan]
              The Hague Declaration: Hague Declaration
              Multi-donor fund:
            """
    static let header = "date,country,actor,framework,title,status,url\n"

    @Test("an alias, in any case and spacing, becomes the framework's name")
    func aliases() throws {
        let fixture = try DataFolderFixture([
            "coalition.yaml": Self.coalition,
            "commitments.csv": Self.header + """
                2019-02-19,Indonesia,government,ogp  ACTION plan,Plan,in progress,
                2019-05-14,Argentina,government,OGP,Task force,announced,
                2019-02-19,,government,Hague Declaration,Endorsed,announced,
                2020-02-11,,philanthropy,Multi-donor fund,Fund,announced,

                """,
        ])
        let result = fixture.load()
        #expect(result.log.all.isEmpty)
        let dataset = try #require(result.dataset)
        #expect(
            dataset.commitments.map(\.framework) == [
                "Open Government Partnership", "Open Government Partnership", "The Hague Declaration",
                "Multi-donor fund",
            ])
        #expect(
            dataset.coalition.frameworks?.entries.map(\.name) == [
                "Open Government Partnership", "The Hague Declaration", "Multi-donor fund",
            ])
    }

    @Test("a framework not in the list is an error at its cell, with the nearest name")
    func unknown() throws {
        let fixture = try DataFolderFixture([
            "coalition.yaml": Self.coalition,
            "commitments.csv": Self.header + """
                2019-02-19,,government,Open Goverment Partnership,Plan,in progress,
                2019-05-14,,civil society,World Justice Forum,Event,announced,

                """,
        ])
        #expect(
            fixture.diagnostics() == [
                "commitments.csv:2:24: error: framework \"Open Goverment Partnership\" is not in coalition.yaml's frameworks; did you mean \"Open Government Partnership\"? use one of: Open Government Partnership, The Hague Declaration, Multi-donor fund, or add it there as a name or an alias",
                "commitments.csv:3:27: error: framework \"World Justice Forum\" is not in coalition.yaml's frameworks; use one of: Open Government Partnership, The Hague Declaration, Multi-donor fund, or add it there as a name or an alias",
            ])
    }

    @Test("without a list, any framework is accepted as written")
    func noList() throws {
        let fixture = try DataFolderFixture([
            "commitments.csv": Self.header + "2019-05-14,,civil society,World Justice Forum,Event,announced,\n"
        ])
        let result = fixture.load()
        #expect(result.log.all.isEmpty)
        #expect(result.dataset?.commitments.map(\.framework) == ["World Justice Forum"])
        #expect(result.dataset?.coalition.frameworks == nil)
    }

    @Test("one spelling for two frameworks is an error naming both")
    func clash() throws {
        let fixture = try DataFolderFixture([
            "coalition.yaml": DataFolderFixture.coalition + """

                frameworks:
                  Open Government Partnership: [OGP]
                  OGP action plan: [ogp]
                """
        ])
        #expect(
            fixture.diagnostics() == [
                "coalition.yaml:12:3: error: \"ogp\" is already a name for Open Government Partnership; a spelling can mean only one framework"
            ])
    }
}
