import CoalitionData
import DigestTestSupport
import Foundation
import Testing

@testable import DigestModel

/// What readers noticed (issue 23), each asserted on the view they read.
@Suite("What readers notice in the newsletter")
struct ReaderNoticesTests {
    static let dataset: CoalitionDataset? = DataFolder.load(path: repositoryRoot.appendingPathComponent("data").path)
        .dataset

    static func view(_ month: String, _ language: String = "en") throws -> DigestView {
        let dataset = try #require(Self.dataset)
        let digest = Digest(dataset: dataset, period: try Period(parsing: month)).localized(to: language)
        return DigestView(digest: digest, words: language == "en" ? english : words(language))
    }

    @Test("the frameworks that matter, then how many more: not a list of 1s")
    func frameworks() throws {
        let view = try Self.view("2020-02")
        #expect(view.commitments.byFramework.count == 12)
        #expect(view.commitments.topFrameworks.map(\.count) == [5, 2, 1])
        #expect(view.commitments.otherFrameworksText == "and 9 other frameworks, one commitment each")
        #expect(
            try Self.view("2020-02", "fr").commitments.otherFrameworksText == "et 9 autres cadres, un engagement chacun"
        )
    }

    @Test("equal numbers said once: the coalition follows and engaged with 9 of them")
    func vnrEqual() throws {
        #expect(
            try Self.view("2019-06").vnr.summaryText
                == "47 countries present VNRs in 2019; the coalition follows and engaged with 9 of them.")
    }

    @Test("an action whose deadline passed before the digest goes out is not offered")
    func staleActions() throws {
        // "Apply by 14 February": the February issue goes out on 1 March.
        for month in ["2020-02", "2020-03"] {
            #expect(!(try Self.view(month).actions.contains { $0.title.contains("Champion of Escazú") }), "\(month)")
        }
    }
}

@Suite("What readers notice in the newsletter, second part")
struct ReaderNoticesMoreTests {
    @Test("VNR countries grouped by what the coalition did: the Cape Town workshop once, not six rows")
    func vnrGroups() throws {
        let groups = try ReaderNoticesTests.view("2019-06").vnr.groups
        #expect(
            groups.map(\.engagement) == [
                "VNR workshop (Cape Town)", "VNR workshop host", "Shadow report", "SDG 16 coordination",
            ])
        #expect(groups[0].countriesText == "Indonesia, Mongolia, Pakistan, Philippines, Sierra Leone and Rwanda")
        #expect(groups[0].details == ["Indonesia: input to government draft; lead: @febionesta"])
        #expect(groups[0].note == nil)
        #expect(groups[1].countriesText == "South Africa" && groups[1].note == "lead: @lorenzowakefield")
        let french = try ReaderNoticesTests.view("2019-06", "fr").vnr.groups
        #expect(french[0].countriesText == "Indonésie, Mongolie, Pakistan, Philippines, Sierra Leone et Rwanda")
    }
}
