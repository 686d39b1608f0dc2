import Testing

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
        #expect(DigestView.isOnlyTheMonth(title, of: Fixtures.date("2020-03-10")) == isOnlyTheMonth)
    }

    @Test("The March call, not 'The March call: March coalition call'")
    func heading() {
        let dataset = CoalitionDataset(
            coalition: Fixtures.coalition(), calls: [Fixtures.call("2020-03-10", title: "March coalition call")])
        let view = DigestView(digest: Digest(dataset: dataset, period: Period(month: Fixtures.month("2020-03"))))
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
            return DigestView(digest: Digest(dataset: dataset, period: Period(month: month))).call?.countriesLine
        }
        #expect(line(counted) == "People joined from 31 countries.")
        #expect(line(one) == "People joined from 1 country.")
        #expect(line(listed) == "Countries on the call: Kenya and Nigeria.")
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
        let view = DigestView(digest: Digest(dataset: dataset, period: Period(month: Fixtures.month("2019-02"))))
        #expect(view.hasEvents == false)
        #expect(view.actions.map(\.untilText) == [nil, "Open until 31 March 2019."])
    }
}
