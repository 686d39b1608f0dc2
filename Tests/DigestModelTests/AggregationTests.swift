import DigestTestSupport
import Testing

@testable import CoalitionData
@testable import DigestModel

/// Figures in these tests were worked out by hand from the fixture below.
@Suite("Aggregating a period")
struct AggregationTests {
    /// web (running totals): 15 Jan 100, 31 Jan 120, 10 Feb 150, 31 Mar 140 (falls), 20 May 200.
    /// paper (new signatures): 20 Jan 10, 28 Feb 5 and 5 again, 30 Apr 30.
    /// Month-end totals: Dec 0, Jan 130, Feb 170, Mar 160, Apr 190, May 250, Jun 250.
    static let counts: [PetitionCount] = [
        Fixtures.count("2019-01-15", "web", .total, 100), Fixtures.count("2019-01-20", "paper", .new, 10),
        Fixtures.count("2019-01-31", "web", .total, 120), Fixtures.count("2019-02-10", "web", .total, 150),
        Fixtures.count("2019-02-28", "paper", .new, 5), Fixtures.count("2019-02-28", "paper", .new, 5),
        Fixtures.count("2019-03-31", "web", .total, 140), Fixtures.count("2019-04-30", "paper", .new, 30),
        Fixtures.count("2019-05-20", "web", .total, 200),
    ]

    func progress(_ period: String, goal: Int = 1000) throws -> PetitionProgress {
        let period = try Period(parsing: period)
        return PetitionProgress(series: PetitionSeries(Self.counts), goal: goal, first: period.first, last: period.last)
    }

    @Test("month-end totals over mixed sources, a falling total and empty months")
    func totals() {
        let series = PetitionSeries(Self.counts)
        let ends = ["2018-12-31", "2019-01-31", "2019-02-28", "2019-03-31", "2019-04-30", "2019-05-31", "2019-06-30"]
        #expect(ends.map { series.total(at: Fixtures.date($0)) } == [0, 130, 170, 160, 190, 250, 250])
        #expect(series.total(at: Fixtures.date("2019-01-19")) == 100)
        #expect(series.total(of: "paper", at: Fixtures.date("2019-02-28")) == 20)
    }

    @Test("a month: total, new, percent, pace and the month the goal is reached")
    func february() throws {
        let february = try progress("2019-02")
        #expect(february.total == 170)
        #expect(february.new == 40)
        #expect(february.percentOfGoalTenths == 170)
        #expect(february.percentOfGoal == 17.0)
        // The petition's second month: the pace is over the two months that exist.
        #expect(february.paceMonths == 2)
        #expect(february.monthlyPace == 85)  // (170 - 0) / 2
        // ceil((1000 - 170) * 2 / 170) = 10 months after February 2019: within three years.
        #expect(february.goalReachedBy == Fixtures.month("2019-12"))
        #expect(february.neededPace == nil)
        #expect(
            DigestView.forecast(february, last: Fixtures.month("2019-02"), words: english)
                == "At the pace of its first two months (85 signatures a month), the goal would be reached in December 2019."
        )
    }

    @Test("a petition's first month speaks of that month, not of three")
    func firstMonth() throws {
        let january = try progress("2019-01")
        #expect(january.paceMonths == 1)
        #expect(january.monthlyPace == 130)
        #expect(january.goalReachedBy == Fixtures.month("2019-08"))  // ceil(870 / 130) = 7 months
        #expect(
            DigestView.forecast(january, last: Fixtures.month("2019-01"), words: english)
                == "At the pace of its first month (130 signatures a month), the goal would be reached in August 2019.")
    }

    @Test("the pace is rounded half up: 170 over three months is 57 a month")
    func paceRounding() throws {
        let counts = [
            Fixtures.count("2019-01-31", "web", .total, 10), Fixtures.count("2019-04-30", "web", .total, 180),
        ]
        let april = PetitionProgress(
            series: PetitionSeries(counts), goal: 1000, first: Fixtures.month("2019-04"),
            last: Fixtures.month("2019-04"))
        #expect(april.paceMonths == 3)
        #expect(april.monthlyPace == 57)  // 170 / 3 = 56.67
    }

    @Test("a goal more than three years away: no far-off month, the pace that would reach it in three years")
    func farGoal() throws {
        let june = try progress("2019-06", goal: 100_000)
        #expect(june.goalReachedBy == Fixtures.month("2019-06").adding(months: 3325))  // ceil(99,750 * 3 / 90)
        #expect(june.neededPace == 2771)  // ceil(99,750 / 36)
        #expect(
            DigestView.forecast(june, last: Fixtures.month("2019-06"), words: english)
                == "At the pace of the last three months (30 signatures a month), the goal would be reached in 2296; 2,771 signatures a month would reach it by June 2022."
        )
        let december = try progress("2019-12")
        #expect(december.goalReachedBy == nil && december.neededPace == 21)  // ceil(750 / 36)
        #expect(
            DigestView.forecast(december, last: Fixtures.month("2019-12"), words: english)
                == "No signatures were gained in the last three months; 21 signatures a month would reach it by December 2022."
        )
    }

    @Test("a month where the total falls gains a negative number")
    func march() throws {
        let march = try progress("2019-03")
        #expect(march.total == 160)
        #expect(march.new == -10)
    }

    @Test("an empty month after the data: no gain")
    func june() throws {
        let june = try progress("2019-06")
        #expect(june.total == 250 && june.new == 0)
        #expect(june.monthlyPace == 30)  // (250 - 160) / 3
        #expect(june.goalReachedBy == Fixtures.month("2021-07"))  // ceil(750 * 3 / 90) = 25 months
    }

    @Test("before any signature: zero, and no date for the goal")
    func empty() throws {
        let december = try progress("2018-12")
        #expect(december.total == 0 && december.new == 0 && december.percentOfGoal == 0)
        #expect(december.goalReachedBy == nil)
    }

    @Test("a goal already passed is dated by the first month-end at or above it")
    func reached() throws {
        #expect(try progress("2019-06", goal: 150).goalReachedBy == Fixtures.month("2019-02"))
        #expect(try progress("2019-02", goal: 170).goalReachedBy == Fixtures.month("2019-02"))
    }

    @Test("a quarter counts from the end of the month before it")
    func quarter() throws {
        let q1 = try progress("2019-Q1")
        #expect(q1.total == 160 && q1.new == 160)
        let range = try progress("2019-02..2019-05")
        #expect(range.total == 250 && range.new == 120)
    }

    @Test("percent of goal rounds half up to one decimal")
    func rounding() {
        func tenths(_ total: Int, _ goal: Int) -> Int {
            PetitionProgress(
                series: PetitionSeries([Fixtures.count("2019-01-01", "web", .total, total)]), goal: goal,
                first: Fixtures.month("2019-01"), last: Fixtures.month("2019-01")
            ).percentOfGoalTenths
        }
        #expect(tenths(1, 3) == 333)
        #expect(tenths(2, 3) == 667)
        #expect(tenths(1, 16) == 63)  // 6.25% -> 6.3%
        #expect(tenths(2920, 100_000) == 29)
        #expect(english.decimal(tenths: 29) == "2.9" && english.percent(tenths: 29) == "2.9%")
    }

    @Test("commitments: new in the period, totals and counts up to its end")
    func commitments() throws {
        let list = [
            Fixtures.commitment("2019-01-05", "OGP", country: "Kenya"),
            Fixtures.commitment("2019-02-19", "The Hague Declaration", actor: .civilSociety),
            Fixtures.commitment("2019-02-01", "OGP", status: .fulfilled),
            Fixtures.commitment("2019-03-01", "OGP", country: "Indonesia"),
        ]
        let summary = CommitmentSummary(list, period: try Period(parsing: "2019-02"))
        #expect(summary.new.map(\.date) == [Fixtures.date("2019-02-01"), Fixtures.date("2019-02-19")])
        #expect(summary.total == 3)
        #expect(summary.byFramework == [Tally(name: "OGP", count: 2), Tally(name: "The Hague Declaration", count: 1)])
        #expect(summary.byCountry == [Tally(name: "global", count: 2), Tally(name: "KE", count: 1)])
        #expect(summary.byActor == [Tally(name: "government", count: 2), Tally(name: "civil society", count: 1)])
        #expect(summary.byStatus == [Tally(name: "announced", count: 2), Tally(name: "fulfilled", count: 1)])
    }

    @Test("VNR: the lead and the notes each known from their own day (issue 34: South Africa's lead in March 2019)")
    func vnrFieldsKnownBy() throws {
        var review = VNRReview(
            year: 2019, country: Fixtures.country("South Africa"), engagement: "VNR workshop host",
            lead: "@lorenzowakefield", sdg16: nil, notes: "With the Mott Foundation and OSJI")
        review.announced = [Fixtures.date("2019-02-19")]
        review.leadAnnounced = Fixtures.date("2019-03-12")
        #expect(review.asKnown(by: Fixtures.date("2019-01-31")) == nil)
        let february = try #require(review.asKnown(by: Fixtures.date("2019-02-28")))
        #expect(february.engagement == "VNR workshop host")
        #expect(february.lead == nil)
        #expect(february.notes == "With the Mott Foundation and OSJI")
        #expect(review.asKnown(by: Fixtures.date("2019-03-31"))?.lead == "@lorenzowakefield")
        // Two parts: the notes belong to the last unless dated themselves.
        var indonesia = VNRReview(
            year: 2019, country: Fixtures.country("Indonesia"), engagement: "workshop; input", lead: "@febionesta",
            sdg16: true, notes: "Deadline 23 May")
        indonesia.announced = [Fixtures.date("2019-02-19"), Fixtures.date("2019-05-14")]
        let march = try #require(indonesia.asKnown(by: Fixtures.date("2019-03-31")))
        #expect(march.engagement == "workshop" && march.lead == nil && march.notes == nil)
        indonesia.leadAnnounced = Fixtures.date("2019-02-19")
        #expect(indonesia.asKnown(by: Fixtures.date("2019-03-31"))?.lead == "@febionesta")
        #expect(indonesia.asKnown(by: Fixtures.date("2019-05-31"))?.notes == "Deadline 23 May")
    }

    @Test("VNR: the period's year, engaged when engagement is set and not none, by region")
    func vnr() throws {
        func review(_ year: Int, _ country: String, _ engagement: String?) -> VNRReview {
            VNRReview(
                year: year, country: Fixtures.country(country), engagement: engagement, lead: nil, sdg16: nil,
                notes: nil)
        }
        let reviews = [
            review(2019, "Kenya", "workshop"), review(2019, "Indonesia", "None"), review(2019, "Chile", nil),
            review(2018, "Mexico", "shadow report"),
        ]
        let summary = VNRSummary(reviews, period: try Period(parsing: "2019-06"))
        #expect(summary.count == 3)
        #expect(summary.engagedCount == 1)
        #expect(
            summary.byRegion == [
                Tally(name: "Africa", count: 1), Tally(name: "Americas", count: 1), Tally(name: "Asia", count: 1),
            ])
        #expect(VNRSummary(reviews, period: try Period(parsing: "2018-12..2019-01")).count == 4)
    }

    @Test("events start in the two months after; actions are open the day after")
    func eventsAndActions() throws {
        func event(_ start: String) -> Event {
            Event(start: Fixtures.date(start), end: nil, title: start, location: nil, url: nil)
        }
        func action(_ title: String, from: String?, until: String?) -> Action {
            Action(title: title, details: nil, url: nil, from: from.map(Fixtures.date), until: until.map(Fixtures.date))
        }
        let dataset = CoalitionDataset(
            coalition: Fixtures.coalition(),
            events: [event("2019-04-30"), event("2019-02-28"), event("2019-03-01"), event("2019-05-01")],
            actions: [
                action("always", from: nil, until: nil), action("closed", from: nil, until: "2019-02-28"),
                action("later", from: "2019-03-02", until: nil),
                action("last day", from: "2019-01-01", until: "2019-03-01"),
            ])
        let digest = Digest(dataset: dataset, period: try Period(parsing: "2019-02"))
        #expect(digest.events.map(\.title) == ["2019-03-01", "2019-04-30"])
        #expect(digest.actions.map(\.title) == ["always", "last day"])
    }

    @Test("one row per month with calls held, attendance and signatures")
    func months() throws {
        var held = Fixtures.call("2019-01-08")
        held.attended = 20
        held.registered = 30
        var second = Fixtures.call("2019-01-22")
        second.attended = 5
        let cancelled = Fixtures.call("2019-02-12", status: .cancelled)
        let dataset = CoalitionDataset(
            coalition: Fixtures.coalition(), calls: [second, cancelled, held], petition: Self.counts)
        let digest = Digest(dataset: dataset, period: try Period(parsing: "2019-01..2019-03"))
        #expect(digest.calls.map(\.date.description) == ["2019-01-08", "2019-01-22", "2019-02-12"])
        #expect(digest.months.map(\.callsHeld) == [2, 0, 0])
        #expect(digest.months.map(\.attended) == [25, nil, nil])
        #expect(digest.months.map(\.registered) == [30, nil, nil])
        #expect(digest.months.map(\.signatures) == [130, 170, 160])
        #expect(digest.months.map(\.newSignatures) == [130, 40, -10])
        #expect(digest.nextCall?.date == Fixtures.date("2019-04-09"))
    }

    @Test("absurdly large counts saturate instead of crashing")
    func hugeCounts() {
        let counts = (0..<10_000).map { _ in Fixtures.count("2019-01-10", "paper", .new, 999_999_999_999_999) }
        let progress = PetitionProgress(
            series: PetitionSeries(counts), goal: 100, first: Fixtures.month("2019-01"), last: Fixtures.month("2019-01")
        )
        #expect(progress.total == Int.max)
        #expect(progress.percentOfGoalTenths > 0)
    }
}
