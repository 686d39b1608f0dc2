import Foundation

@testable import CoalitionData

/// Small hand-made datasets whose figures are worked out by hand in the tests.
enum Fixtures {
    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(iso: text) else { preconditionFailure("bad fixture date \(text)") }
        return date
    }

    static func month(_ text: String) -> YearMonth {
        guard let month = YearMonth(iso: text) else { preconditionFailure("bad fixture month \(text)") }
        return month
    }

    static func schedule(
        rule: String = "2nd Tuesday", time: String = "10:00", zone: String = "America/New_York", alsoIn: [String] = []
    ) -> Coalition.Schedule {
        guard let rule = ScheduleRule(text: rule), let time = LocalTime(text: time) else {
            preconditionFailure("bad fixture schedule")
        }
        return Coalition.Schedule(rule: rule, time: time, timezone: zone, alsoIn: alsoIn, registration: nil)
    }

    static func coalition(schedule: Coalition.Schedule = schedule(), goal: Int? = 1000) -> Coalition {
        Coalition(
            name: "Test", organizer: nil, website: nil, links: [], hashtag: nil, schedule: schedule,
            petition: goal.map { Coalition.Petition(title: "Petition", goal: $0, url: nil) }, mail: nil)
    }

    static func call(_ date: String, status: CallStatus? = nil, time: String? = nil, title: String? = nil) -> Call {
        Call(
            date: Self.date(date), time: time.flatMap { LocalTime(text: $0) }, statusAsWritten: status, title: title,
            recording: nil, registration: nil, registered: nil, attended: nil, countries: [], notes: [],
            file: "calls/\(date).md")
    }

    static func count(_ date: String, _ source: String, _ kind: PetitionKind, _ count: Int) -> PetitionCount {
        PetitionCount(date: Self.date(date), source: source, kind: kind, count: count, country: nil, line: 0)
    }

    static func country(_ name: String) -> Country {
        guard let table = try? CountryTable.standard(), case .found(let country) = table.lookup(name) else {
            preconditionFailure("bad fixture country \(name)")
        }
        return country
    }

    static func commitment(
        _ date: String, _ framework: String, country: String? = nil, actor: Actor = .government,
        status: CommitmentStatus = .announced
    ) -> Commitment {
        Commitment(
            date: Self.date(date), country: country.map(Self.country), actor: actor, framework: framework,
            title: "\(framework) \(date)", status: status, url: nil)
    }
}
