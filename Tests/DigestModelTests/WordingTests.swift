import DigestTestSupport
import Foundation
import Testing
import Wording

@testable import CoalitionData
@testable import DigestModel

/// Words a reader trusts: no title that only repeats the month, no empty
/// section, no date said twice.
@Suite("Wording of the digest")
struct WordingTests {
    @Test(
        "a title that only names the month is no title",
        arguments: [
            ("March coalition call", true), ("The March 2020 call", true), ("march call", true),
            ("Monthly coalition call — March", true), ("March call: HLPF planning", false),
            ("HLPF planning", false), ("April coalition call", false),
        ])
    func monthOnlyTitles(title: String, isOnlyTheMonth: Bool) {
        #expect(DigestView.isOnlyTheMonth(title, of: Fixtures.date("2020-03-10"), words: english) == isOnlyTheMonth)
    }

    @Test(
        "in French and Spanish too, a title left in English that only names the month is no title; theirs neither",
        arguments: [
            ("fr", "March coalition call", true), ("fr", "Appel de la coalition de mars", true),
            ("fr", "HLPF planning", false), ("es", "March coalition call", true),
            ("es", "Llamada de la coalición de marzo", true), ("es", "Planificación del FPAN", false),
        ])
    func monthOnlyTitlesInEveryLanguage(language: String, title: String, isOnlyTheMonth: Bool) {
        #expect(
            DigestView.isOnlyTheMonth(title, of: Fixtures.date("2020-03-10"), words: words(language)) == isOnlyTheMonth)
    }

    @Test("The March call, not 'The March call: March coalition call'")
    func heading() {
        let dataset = CoalitionDataset(
            coalition: Fixtures.coalition(), calls: [Fixtures.call("2020-03-10", title: "March coalition call")])
        let view = DigestView(
            digest: Digest(dataset: dataset, period: Period(month: Fixtures.month("2020-03"))), words: english)
        #expect(view.call?.heading == "The March call")
        #expect(view.call?.title == nil)
    }

    @Test("a call with only a count of countries says so; a list is named; one country is singular")
    func countriesLine() {
        var counted = Fixtures.call("2020-03-10")
        counted.countryCount = 31
        var one = Fixtures.call("2020-04-14")
        one.countryCount = 1
        var listed = Fixtures.call("2020-05-12")
        listed.countries = [
            Country(alpha2: "KE", alpha3: "KEN", name: "Kenya", region: "Africa", subregion: "Eastern Africa"),
            Country(alpha2: "NG", alpha3: "NGA", name: "Nigeria", region: "Africa", subregion: "Western Africa"),
        ]
        func line(_ call: Call) -> String? {
            let dataset = CoalitionDataset(coalition: Fixtures.coalition(), calls: [call])
            let month = YearMonth(year: call.date.year, month: call.date.month) ?? Fixtures.month("2020-03")
            return DigestView(digest: Digest(dataset: dataset, period: Period(month: month)), words: english).call?
                .countriesLine
        }
        #expect(line(counted) == "People joined from 31 countries.")
        #expect(line(one) == "People joined from 1 country.")
        #expect(line(listed) == "Countries represented or discussed: Kenya and Nigeria.")
        #expect(line(Fixtures.call("2020-06-09")) == nil)
    }

    @Test("no events: the section is left out; an action's deadline is said once")
    func emptySectionsAndDeadlines() {
        let actions = [
            Action(
                title: "Prize", details: "Deadline extended to 24 March.", url: nil, from: nil,
                until: Fixtures.date("2019-03-24")),
            Action(title: "Survey", details: "Tell us.", url: nil, from: nil, until: Fixtures.date("2019-03-31")),
        ]
        let dataset = CoalitionDataset(coalition: Fixtures.coalition(), actions: actions)
        let view = DigestView(
            digest: Digest(dataset: dataset, period: Period(month: Fixtures.month("2019-02"))), words: english)
        #expect(view.hasEvents == false)
        #expect(view.actions.map(\.untilText) == [nil, "Open until 31 March 2019."])
    }
}

/// The VNR sentence, with and without the UN's count (issue 11).
@Suite("The VNR sentence")
struct VNRSentenceTests {
    static func review(_ year: Int, _ country: String, _ engagement: String?) -> VNRReview {
        VNRReview(
            year: year, country: Fixtures.country(country), engagement: engagement, lead: nil, sdg16: nil, notes: nil)
    }

    static func text(_ period: String, presenting: [PresentingCount], reviews: [VNRReview]) throws -> String {
        var coalition = Fixtures.coalition()
        coalition.vnrPresenting = presenting
        let dataset = CoalitionDataset(coalition: coalition, reviews: reviews)
        return DigestView(digest: Digest(dataset: dataset, period: try Period(parsing: period)), words: english).vnr
            .summaryText
    }

    static let reviews = [
        review(2019, "Indonesia", "workshop"), review(2019, "Chile", nil), review(2019, "Guatemala", "shadow report"),
        review(2020, "Kenya", "workshop"),
    ]

    @Test(
        "the UN's count when coalition.yaml gives it for every year, else the coalition's own",
        arguments: [
            (
                "2019-06", [PresentingCount(year: 2019, count: 47)],
                "47 countries present VNRs in 2019; the coalition follows 3 of them and engaged with 2."
            ),
            ("2019-06", [], "The coalition follows 3 countries presenting VNRs in 2019 and engaged with 2."),
            (
                "2019-12..2020-01", [PresentingCount(year: 2019, count: 47), PresentingCount(year: 2020, count: 47)],
                "94 countries present VNRs in 2019–2020; the coalition follows 4 of them and engaged with 3."
            ),
            (
                "2019-12..2020-01", [PresentingCount(year: 2019, count: 47)],
                "The coalition follows 4 countries presenting VNRs in 2019–2020 and engaged with 3."
            ),
            (
                "2020-03", [PresentingCount(year: 2020, count: 1)],
                "1 country presents a VNR in 2020; the coalition follows and engaged with one of them."
            ),
            (
                "2021-03", [PresentingCount(year: 2021, count: 40)],
                "No Voluntary National Reviews are tracked for 2021."
            ),
        ])
    func sentence(period: String, presenting: [PresentingCount], expected: String) throws {
        #expect(try Self.text(period, presenting: presenting, reviews: Self.reviews) == expected)
    }

    @Test("an ordinal that agrees with the weekday comes from the catalogue: prima domenica, primo lunedì")
    func agreeingOrdinal() throws {
        let english = try String(
            contentsOf: repositoryRoot.appendingPathComponent("templates/words/en.po"), encoding: .utf8)
        // An Italian catalogue in the making: its header, the rule and two ordinals.
        let italian =
            english.replacingOccurrences(of: "\"Language: en_GB\\n\"", with: "\"Language: it_IT\\n\"")
            .replacingOccurrences(
                of: "msgctxt \"schedule.ordinal.1\"\nmsgid \"1st\"\nmsgstr \"\"",
                with: "msgctxt \"schedule.ordinal.1\"\nmsgid \"1st\"\nmsgstr \"primo\"\n\n"
                    + "msgctxt \"schedule.ordinal.1.sunday\"\nmsgid \"1st\"\nmsgstr \"prima\"\n\n"
                    + "msgctxt \"schedule.ordinal.1.funday\"\nmsgid \"1st\"\nmsgstr \"prima\"")
        #expect(italian.contains("schedule.ordinal.1.sunday"))
        let catalogue = try Catalogue(text: italian, file: "it.po")
        let words = try Words(catalogue: catalogue, language: "it")
        let sunday = try #require(ScheduleRule(ordinal: 1, weekday: 7))
        let monday = try #require(ScheduleRule(ordinal: 1, weekday: 1))
        #expect(DigestView.ruleText(sunday, words: words) == "prima domenica")
        #expect(DigestView.ruleText(monday, words: words) == "primo lunedì")
        // The weekday's entry is one the program asks for; a misspelt weekday is not.
        let reference = try Catalogue(text: english, file: "en.po")
        let stray = CatalogueCheck.problems(catalogue, reference: reference).filter {
            $0.message.contains("is not an entry the program asks for")
        }
        #expect(stray.map { $0.message.components(separatedBy: " ").first ?? "" } == ["schedule.ordinal.1.funday"])
    }
}
