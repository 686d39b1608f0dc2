import DigestTestSupport
import Foundation
import Testing

@testable import CoalitionData
@testable import DigestModel

@Suite("Dates and the schedule rule")
struct CalendarTests {
    @Test("weekday and day arithmetic agree with the calendar")
    func localDate() {
        #expect(Fixtures.date("1970-01-01").weekday == 4)
        #expect(Fixtures.date("2019-02-19").weekday == 2)
        #expect(Fixtures.date("2020-02-29").adding(days: 1) == Fixtures.date("2020-03-01"))
        #expect(Fixtures.date("1969-12-31").daysSinceEpoch == -1)
        #expect(LocalDate(iso: "2019-02-29") == nil)
        #expect(LocalDate(iso: "2020-02-29") != nil)
        #expect(LocalDate(iso: "2019-6-11") == nil)
        for days in stride(from: -1000, through: 30000, by: 7) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test(
        "Nth and last weekday of a month",
        arguments: [
            ("2nd Tuesday", "2019-02", "2019-02-12"), ("2nd Tuesday", "2020-03", "2020-03-10"),
            ("last Thursday", "2019-10", "2019-10-31"), ("last Thursday", "2020-02", "2020-02-27"),
            ("first Monday", "2018-10", "2018-10-01"), ("5th Tuesday", "2019-10", "2019-10-29"),
            ("last Sunday", "2019-03", "2019-03-31"),
        ])
    func rule(text: String, month: String, expected: String) throws {
        let rule = try #require(ScheduleRule(text: text))
        #expect(rule.date(in: Fixtures.month(month)) == Fixtures.date(expected))
    }

    @Test("a 5th weekday does not exist in a month with four")
    func fifthMissing() throws {
        let rule = try #require(ScheduleRule(text: "5th Tuesday"))
        #expect(rule.date(in: Fixtures.month("2019-11")) == nil)
        #expect(ScheduleRule(text: "6th Tuesday") == nil)
        #expect(ScheduleRule(text: "2nd Tuesdays")?.description == "2nd Tuesday")
        #expect(ScheduleRule(text: "every Tuesday") == nil)
    }

    @Test("periods: month, quarter, year, range")
    func periods() throws {
        let month = try Period(parsing: "2019-03")
        #expect(month.kind == .month && month.months.count == 1 && month.label(in: english) == "March 2019")
        let quarter = try Period(parsing: "2019-Q3")
        #expect(quarter.months.map(\.description) == ["2019-07", "2019-08", "2019-09"])
        #expect(quarter.description == "2019-Q3")
        #expect(quarter.label(in: english) == "Q3 2019 (July–September)")
        let year = try Period(parsing: "2019")
        #expect(year.firstDay == Fixtures.date("2019-01-01") && year.lastDay == Fixtures.date("2019-12-31"))
        let range = try Period(parsing: "2019-11..2020-02")
        #expect(range.months.count == 4 && range.label(in: english) == "November 2019 – February 2020")
        #expect(try Period(parsing: "2019-01..2019-06").label(in: english) == "January–June 2019")
        for bad in ["2019-13", "2019-Q5", "19", "2019-06..2019-01", "June 2019", ""] {
            #expect(throws: PeriodError.self) { try Period(parsing: bad) }
        }
    }
}

@Suite("Time zones from the tz database")
struct TimeZoneTests {
    func times(_ date: String, _ time: String, from zone: String, in zones: [String]) throws -> [String] {
        let local = try #require(LocalTime(text: time))
        let start = try #require(ZonedTime.instant(date: Fixtures.date(date), time: local, zone: zone))
        return zones.compactMap { ZonedTime(instant: start, zone: $0) }
            .map { "\($0.date) \($0.time) \($0.utcOffset)" }
    }

    @Test("November 2018: New York is on standard time (the seed's list was an hour off)")
    func november2018() throws {
        // The seed announced 4 PM Cairo, 5 PM Addis Ababa, 9 PM Jakarta: right
        // only under daylight saving time, which had ended on 4 November.
        let result = try times(
            "2018-11-13", "10:00", from: "America/New_York",
            in: ["UTC", "Europe/Brussels", "Africa/Cairo", "Africa/Addis_Ababa", "Asia/Jakarta"])
        #expect(
            result == [
                "2018-11-13 15:00 +00:00", "2018-11-13 16:00 +01:00", "2018-11-13 17:00 +02:00",
                "2018-11-13 18:00 +03:00", "2018-11-13 22:00 +07:00",
            ])
    }

    @Test("March 2019: New York already on summer time, London not yet")
    func marchGap() throws {
        // US clocks went forward on 10 March, the EU's on 31 March.
        #expect(
            try times("2019-03-12", "10:00", from: "America/New_York", in: ["UTC", "Europe/London", "Europe/Brussels"])
                == ["2019-03-12 14:00 +00:00", "2019-03-12 14:00 +00:00", "2019-03-12 15:00 +01:00"])
        #expect(
            try times("2019-04-09", "10:00", from: "America/New_York", in: ["Europe/London"])
                == ["2019-04-09 15:00 +01:00"])
    }

    @Test("southern hemisphere: Sydney and Santiago change the other way, and the date moves")
    func southern() throws {
        // Sydney left summer time on 7 April 2019 and started it on 6 October 2019.
        #expect(
            try times("2019-04-09", "10:00", from: "America/New_York", in: ["Australia/Sydney"])
                == ["2019-04-10 00:00 +10:00"])
        #expect(
            try times("2019-10-08", "10:00", from: "America/New_York", in: ["Australia/Sydney", "America/Santiago"])
                == ["2019-10-09 01:00 +11:00", "2019-10-08 11:00 -03:00"])
        #expect(
            try times("2019-06-11", "10:00", from: "America/New_York", in: ["America/Santiago"])
                == ["2019-06-11 10:00 -04:00"])
    }

    @Test("half-hour and 45-minute zones")
    func oddOffsets() throws {
        #expect(
            try times(
                "2020-03-10", "10:00", from: "America/New_York",
                in: ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Eucla", "Pacific/Chatham", "America/St_Johns"])
                == [
                    "2020-03-10 19:30 +05:30", "2020-03-10 19:45 +05:45", "2020-03-10 22:45 +08:45",
                    "2020-03-11 03:45 +13:45", "2020-03-10 11:30 -02:30",
                ])
    }

    @Test("the previous day, from a coalition that meets in the morning in Asia")
    func previousDay() throws {
        #expect(
            try times("2019-07-09", "08:00", from: "Asia/Manila", in: ["America/Los_Angeles", "Pacific/Honolulu"])
                == ["2019-07-08 17:00 -07:00", "2019-07-08 14:00 -10:00"])
    }

    @Test("UTC strings end in Z")
    func utcString() throws {
        let ten = try #require(LocalTime(text: "10:00"))
        let start = try #require(
            ZonedTime.instant(date: Fixtures.date("2020-03-10"), time: ten, zone: "America/New_York"))
        #expect(ZonedTime.utcString(start) == "2020-03-10T14:00:00Z")
    }
}

@Suite("Finding the next call")
struct NextCallTests {
    let schedule = Fixtures.schedule()

    @Test("from the rule when no file exists")
    func fromRule() {
        let next = CallCalendar(schedule: schedule, calls: []).next(after: Fixtures.date("2019-05-31"))
        #expect(next.call?.date == Fixtures.date("2019-06-11"))
        #expect(next.call?.call == nil)
        #expect(next.skipped.isEmpty)
    }

    @Test("a file overrides the rule: February 2019 was on the 19th")
    func override() {
        let calls = [Fixtures.call("2019-02-19", time: "11:00", title: "Moved")]
        let next = CallCalendar(schedule: schedule, calls: calls).next(after: Fixtures.date("2019-01-31"))
        #expect(next.call?.date == Fixtures.date("2019-02-19"))
        #expect(next.call?.time == LocalTime(hour: 11, minute: 0))
        // The title is written after the call: known only once its agenda was announced.
        #expect(next.call?.title == nil)
        var announced = calls[0]
        announced.agendaAnnounced = Fixtures.date("2019-01-29")
        #expect(
            CallCalendar(schedule: schedule, calls: [announced]).next(after: Fixtures.date("2019-01-31")).call?.title
                == "Moved")
        #expect(
            CallCalendar(schedule: schedule, calls: [announced]).next(after: Fixtures.date("2019-01-28")).call?.title
                == nil)
    }

    @Test("a move is known from the day it was announced: before it, the schedule's day (issue 34)")
    func moveAnnounced() {
        var moved = Fixtures.call("2019-02-19", title: "Moved")
        moved.dateAnnounced = Fixtures.date("2019-02-01")
        let calendar = CallCalendar(schedule: schedule, calls: [moved])
        // January's digest could only say the schedule's second Tuesday.
        #expect(calendar.next(after: Fixtures.date("2019-01-31")).call?.date == Fixtures.date("2019-02-12"))
        #expect(calendar.next(after: Fixtures.date("2019-01-31")).call?.call == nil)
        #expect(calendar.next(after: Fixtures.date("2019-02-01")).call?.date == Fixtures.date("2019-02-19"))
        #expect(calendar.next(after: Fixtures.date("2019-02-13")).call?.date == Fixtures.date("2019-02-19"))
    }

    @Test("schedule.until: the rule gives no call after it, and the calendar says it ended")
    func until() {
        var ending = schedule
        ending.until = Fixtures.date("2020-03-10")
        let calendar = CallCalendar(schedule: ending, calls: [])
        #expect(calendar.next(after: Fixtures.date("2020-02-29")).call?.date == Fixtures.date("2020-03-10"))
        #expect(calendar.next(after: Fixtures.date("2020-03-31")).call == nil)
        #expect(calendar.ended(by: Fixtures.date("2020-03-31")) == Fixtures.date("2020-03-10"))
        #expect(calendar.ended(by: Fixtures.date("2020-02-29")) == nil)
        // A call file after the end is still a call.
        let later = CallCalendar(schedule: ending, calls: [Fixtures.call("2020-06-09", title: "Reunion")])
        #expect(later.next(after: Fixtures.date("2020-03-31")).call?.date == Fixtures.date("2020-06-09"))
        #expect(later.ended(by: Fixtures.date("2020-03-31")) == nil)
    }

    @Test("a cancelled call is skipped and named; its month has no other call")
    func cancelled() {
        let calls = [Fixtures.call("2019-08-13", status: .cancelled, title: "Summer break")]
        let next = CallCalendar(schedule: schedule, calls: calls).next(after: Fixtures.date("2019-07-31"))
        #expect(next.skipped.map(\.date) == [Fixtures.date("2019-08-13")])
        #expect(next.call?.date == Fixtures.date("2019-09-10"))
    }

    @Test("later in the same month, after a given day")
    func sameMonth() {
        let next = CallCalendar(schedule: schedule, calls: []).next(after: Fixtures.date("2019-06-01"))
        #expect(next.call?.date == Fixtures.date("2019-06-11"))
        let after = CallCalendar(schedule: schedule, calls: []).next(after: Fixtures.date("2019-06-11"))
        #expect(after.call?.date == Fixtures.date("2019-07-09"))
    }

    @Test("a month with five Tuesdays and a 5th-Tuesday rule")
    func fiveTuesdays() throws {
        let fifth = Fixtures.schedule(rule: "5th Tuesday")
        // October 2019 has five Tuesdays, November and December four, and December 31 2019 is the fifth.
        let next = CallCalendar(schedule: fifth, calls: []).next(after: Fixtures.date("2019-10-30"))
        #expect(next.call?.date == Fixtures.date("2019-12-31"))
    }

    @Test("every month cancelled for three years: no next call, no endless loop")
    func nothing() {
        let calls = (0..<40).map { offset -> Call in
            let month = Fixtures.month("2020-01").adding(months: offset)
            return Fixtures.call(
                ScheduleRule(text: "2nd Tuesday")?.date(in: month)?.description ?? "", status: .cancelled)
        }
        let next = CallCalendar(schedule: schedule, calls: calls).next(after: Fixtures.date("2019-12-31"))
        #expect(next.call == nil)
        #expect(next.skipped.count == 35)  // December 2019 (already past), then 35 cancelled months
    }
}

/// The wall-clock time of an instant, worked out by arithmetic on the
/// zone's offset, agrees with Foundation's Calendar everywhere.
@Suite("Wall-clock times by arithmetic")
struct ZonedTimeArithmeticTests {
    @Test(
        "the same date, time and offset as Calendar, for instants from 1950 to 2040 in zones east and west",
        arguments: [
            "America/New_York", "America/Argentina/Buenos_Aires", "Asia/Kathmandu", "Asia/Kolkata",
            "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London",
            "UTC",
        ])
    func agrees(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Every 7 days and 37 minutes and 11 seconds: every hour of the day,
        // both sides of every daylight-saving change in time.
        var seconds = -631_152_000.0  // 1950
        while seconds < 2_208_988_800 {  // 2040
            let instant = Date(timeIntervalSince1970: seconds)
            let zoned = try #require(ZonedTime(instant: instant, zone: zone))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            #expect(zoned.date.year == parts.year && zoned.date.month == parts.month && zoned.date.day == parts.day)
            #expect(zoned.time.hour == parts.hour && zoned.time.minute == parts.minute)
            #expect(zoned.utcOffsetSeconds == timeZone.secondsFromGMT(for: instant))
            seconds += 7 * 86_400 + 37 * 60 + 11
        }
    }
}
