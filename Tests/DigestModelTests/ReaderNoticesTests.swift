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
        let title = "Apply to be a Champion of Escazú"
        for month in ["2020-02", "2020-03"] {
            #expect(!(try Self.view(month).actions.contains { $0.title == title }), "\(month)")
        }
        // The same action with a deadline after the issue goes out is offered
        // in February: the deadline, nothing else, keeps it out above.
        var dataset = try #require(Self.dataset)
        let index = try #require(dataset.actions.firstIndex { $0.title == title })
        dataset.actions[index].until = try #require(LocalDate(year: 2020, month: 3, day: 20))
        let digest = Digest(dataset: dataset, period: try Period(parsing: "2020-02"))
        #expect(DigestView(digest: digest, words: english).actions.map(\.title).contains(title))
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

/// What a digest shows is what was known by its month's end (issue 24).
@Suite("Shown only once known: VNR rows, event dates, action details")
struct KnownBySampleTests {
    @Test("VNR rows appear when the record first names them, and each part of the engagement when it is given")
    func reviews() throws {
        func engaged(_ month: String) throws -> [String: String] {
            let view = try ReaderNoticesTests.view(month)
            return Dictionary(uniqueKeysWithValues: view.vnr.reviews.map { ($0.country, $0.engagement ?? "") })
        }
        #expect(try engaged("2019-01").isEmpty)
        let february = try engaged("2019-02")
        #expect(Set(february.keys) == ["Indonesia", "Philippines", "Sierra Leone", "Rwanda", "South Africa"])
        #expect(february["Indonesia"] == "VNR workshop (Cape Town)")  // the input to the draft came on 14 May
        let march = try engaged("2019-03")
        #expect(march["Mongolia"] != nil && march["Pakistan"] != nil && march["Guatemala"] == nil)
        #expect(try engaged("2019-05")["Indonesia"] == "VNR workshop (Cape Town); input to government draft")
        #expect(try engaged("2019-06")["Guatemala"] == "Shadow report")
        // The lead belongs to the last part: not before it is known.
        let indonesia = try #require(
            try ReaderNoticesTests.view("2019-04").vnr.reviews.first { $0.country == "Indonesia" })
        #expect(indonesia.lead == nil)
    }

    @Test("an event known first by its month shows the month until its dates are given")
    func eventDates() throws {
        func line(_ month: String, _ title: String) throws -> String? {
            try ReaderNoticesTests.view(month).events.first { $0.title.hasPrefix(title) }?.datesText
        }
        #expect(try line("2018-07", "Escazú Agreement opens") == "September 2018")
        #expect(try line("2018-08", "Escazú Agreement opens") == "27 September 2018")
        #expect(try line("2019-03", "OGP Global Summit") == "May 2019")
        // The Washington walk was first named on the July 2018 call.
        #expect(try line("2018-06", "Walk Together") == nil)
        // The webinar of 14 March 2019 and its speakers were given on 12 March.
        #expect(try line("2019-02", "Webinar: access to justice and OGP") == nil)
    }

    @Test("an action's details show once given: the prize's three US$10,000 prizes from 12 March 2019")
    func actionDetails() throws {
        let february = try #require(
            try ReaderNoticesTests.view("2019-02").actions.first { $0.title.hasPrefix("Apply for the Grassroots") })
        #expect(february.details == nil)
        let prize = try #require(
            ReaderNoticesTests.dataset?.actions.first { $0.title.hasPrefix("Apply for the Grassroots") })
        #expect(prize.asKnown(by: try #require(LocalDate(iso: "2019-03-11")))?.details == nil)
        #expect(prize.asKnown(by: try #require(LocalDate(iso: "2019-03-12")))?.details?.contains("US$10,000") == true)
    }

    @Test(
        "the UN's count of presenting countries from the call that first gave it (11 June 2019); said once when equal")
    func presenting() throws {
        let march = try ReaderNoticesTests.view("2019-03").vnr
        #expect(march.presentingCount == nil)
        #expect(march.summaryText == "The coalition follows and engaged with 7 countries presenting VNRs in 2019.")
        #expect(try ReaderNoticesTests.view("2019-06").vnr.presentingCount == 47)
    }

    @Test("the coalition's own section lists the month's entries, in each language, and only then")
    func ownSection() throws {
        let october = try ReaderNoticesTests.view("2019-10")
        #expect(october.sections.map(\.heading) == ["Reading and resources"])
        #expect(october.sections.first?.items.map(\.title) == ["Justice Policy Series, Part 1: Access to Justice"])
        #expect(october.sections.first?.items.first?.dateText == "8 October 2019")
        #expect(try ReaderNoticesTests.view("2019-09").sections.isEmpty)
        #expect(try ReaderNoticesTests.view("2018-08").sections.first?.items.count == 2)
        let french = try ReaderNoticesTests.view("2019-10", "fr")
        #expect(french.sections.first?.heading == "Lectures et ressources")
        #expect(
            french.sections.first?.items.first?.title
                == "Série sur les politiques de justice, partie 1\u{00A0}: l’accès à la justice")
        #expect(french.sections.first?.items.first?.titleLang == nil)
    }
}
