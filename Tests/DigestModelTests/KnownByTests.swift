import DigestTestSupport
import Testing

@testable import CoalitionData
@testable import DigestModel

/// A digest shows only what the coalition knew by its period's last day
/// (issue 11): events and actions from the day they were announced, a
/// deadline as it stood then, commitments from the day they were reported.
@Suite("Known by the end of the period")
struct KnownByTests {
    static let forum = Event(
        start: Fixtures.date("2019-04-29"), end: Fixtures.date("2019-05-02"), title: "World Justice Forum",
        location: nil, url: nil, announced: Fixtures.date("2019-03-12"))
    static let summit = Event(
        start: Fixtures.date("2019-05-29"), end: nil, title: "OGP Summit", location: nil, url: nil, announced: nil)
    static let prize = Action(
        title: "Apply for the prize", details: nil, url: nil, from: nil, until: Fixtures.date("2019-04-10"),
        announced: Fixtures.date("2019-02-19"), extended: Fixtures.date("2019-04-24"),
        extendedAnnounced: Fixtures.date("2019-03-12"))
    static let rome = Action(
        title: "Send key messages for Rome", details: nil, url: nil, from: Fixtures.date("2019-05-01"),
        until: Fixtures.date("2019-06-22"), announced: Fixtures.date("2019-05-14"))

    static func view(_ month: String, commitments: [Commitment] = []) -> DigestView {
        let dataset = CoalitionDataset(
            coalition: Fixtures.coalition(), commitments: commitments, events: [forum, summit],
            actions: [prize, rome])
        return DigestView(
            digest: Digest(dataset: dataset, period: Period(month: Fixtures.month(month))), words: english)
    }

    @Test("an event is not listed before the month it was announced in, and is from that month on")
    func events() {
        // February's issue looks at March and April: the Forum starts in
        // April, but was first mentioned on 12 March.
        #expect(Self.view("2019-01").events.map(\.title) == [])
        #expect(Self.view("2019-02").events.map(\.title) == [])
        #expect(Self.view("2019-03").events.map(\.title) == ["World Justice Forum", "OGP Summit"])
        #expect(Self.view("2019-03").events.first?.announced == "2019-03-12")
        #expect(Self.view("2019-03").events.last?.announced == nil)
    }

    @Test("an action appears from its announcement; a deadline moved later shows from the day it moved")
    func actions() throws {
        #expect(Self.view("2019-01").actions.isEmpty)
        let february = try #require(Self.view("2019-02").actions.first)
        #expect(february.until == "2019-04-10")
        #expect(!february.extended)
        #expect(february.untilText == "Open until 10 April 2019.")
        let march = try #require(Self.view("2019-03").actions.first)
        #expect(march.until == "2019-04-24")
        #expect(march.extended)
        #expect(march.untilText == "Deadline extended to 24 April 2019.")
        // Open on 1 May by its dates, but announced on 14 May.
        #expect(Self.view("2019-04").actions.map(\.title) == [])
        #expect(Self.view("2019-05").actions.map(\.title) == ["Send key messages for Rome"])
    }

    @Test("a commitment counts from the day it was reported")
    func commitments() {
        let list = [
            Fixtures.commitment("2019-02-19", "OGP"), Fixtures.commitment("2019-03-12", "OGP"),
        ]
        #expect(Self.view("2019-01", commitments: list).commitments.total == 0)
        #expect(Self.view("2019-02", commitments: list).commitments.total == 1)
        #expect(Self.view("2019-03", commitments: list).commitments.total == 2)
    }

    @Test("a regional commitment is scoped to its region, not Global")
    func region() throws {
        var escazu = Fixtures.commitment("2018-09-27", "Escazú Agreement")
        escazu.region = "Latin America and the Caribbean"
        let view = try #require(Self.view("2018-09", commitments: [escazu]).commitments.new.first)
        #expect(view.scope == "Latin America and the Caribbean")
        #expect(view.region == "Latin America and the Caribbean")
        #expect(view.country == nil)
        #expect(
            Self.view("2018-09", commitments: [escazu]).commitments.byCountry.map(\.name) == [
                "Latin America and the Caribbean"
            ])
    }
}
