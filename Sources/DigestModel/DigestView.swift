/// The view model: exactly what templates see, and what `digest.json` holds.
///
/// Every value a reader sees is pre-formatted here (dates in words, numbers
/// with thousands separators, time-zone lines), so templates stay logic-less
/// and a template cannot compute a wrong total. Keys are encoded in
/// snake_case (`next_call.utc_offset`); docs/view-model.md lists them all.
public struct DigestView: Codable, Sendable, Equatable {
    /// Version of this model's shape; bumped when a key changes meaning.
    public var modelVersion: Int = 1
    /// Who the coalition is.
    public var coalition: CoalitionView
    /// The period covered.
    public var period: PeriodView
    /// The subject line: `mail.subject` rendered over this model when
    /// `coalition.yaml` has one (set by the renderer); otherwise
    /// `Justice For All — March 2020: HLPF planning` when the call has a
    /// title, `Justice For All digest — February 2020` when not.
    public var subject: String
    /// One line for inbox previews.
    public var preheader: String
    /// This digest on the web (`mail.archive` + `/YYYY-MM.html`), or nil.
    public var webVersion: String?
    /// The period's first call (kept for templates written before `calls`).
    public var call: CallView?
    /// Every call in the period, in date order: a month can have two.
    public var calls: [CallView]
    /// The next call that is not cancelled.
    public var nextCall: NextCallView?
    /// Cancelled calls between the period and the next call.
    public var skippedCalls: [SkippedCallView]
    /// Petition progress, when the coalition runs a petition.
    public var petition: PetitionView?
    /// Commitments.
    public var commitments: CommitmentsView
    /// Voluntary National Reviews.
    public var vnr: VNRView
    /// Events starting in the two months after the period.
    public var events: [EventView]
    /// Whether there are events: the "Coming up" section is left out without.
    public var hasEvents: Bool
    /// Ways to get involved, open on the day after the period.
    public var actions: [ActionView]
}

/// A label and an address.
public struct LinkView: Codable, Sendable, Equatable {
    /// What the reader sees.
    public var label: String
    /// The address.
    public var url: String
}

/// `coalition` in the view model.
public struct CoalitionView: Codable, Sendable, Equatable {
    /// The name, such as the coalition's.
    public var name: String
    /// The organisation running the coalition.
    public var organizer: String?
    /// The coalition's website.
    public var website: String?
    /// With the `#`, such as `#JusticeForAll`.
    public var hashtag: String?
    /// Social and other links.
    public var links: [LinkView]
    /// `Calls are on the 2nd Tuesday of each month at 10:00 New York time.`
    public var scheduleText: String
    /// Where to register for calls.
    public var registration: String?
    /// Where to sign the petition.
    public var petitionUrl: String?
    /// The unsubscribe page.
    public var unsubscribe: String?
    /// Where past digests are published.
    public var archive: String?
    /// The coalition's postal address, for the footer.
    public var postalAddress: String?
    /// Where a member manages their subscription.
    public var preferences: String?
}

/// `period` in the view model.
public struct PeriodView: Codable, Sendable, Equatable {
    /// `2020-02`: the month, or the last month of a longer period.
    public var month: String
    /// `2020-02`, `2019-Q3`, `2019`, `2019-01..2019-06`.
    public var id: String
    /// `February 2020`.
    public var label: String
    /// The month in words, `February 2020` (of a longer period, its last month).
    public var monthName: String
    /// `2020-02-01`.
    public var firstDay: String
    /// `2020-02-29`.
    public var lastDay: String
}

/// A country named in a record.
public struct CountryView: Codable, Sendable, Equatable {
    /// The name, such as the coalition's.
    public var name: String
    /// ISO alpha-2 code.
    public var code: String
}

/// `call` in the view model.
public struct CallView: Codable, Sendable, Equatable {
    /// `2020-02-11`.
    public var date: String
    /// `Tuesday 11 February 2020`.
    public var dateText: String
    /// `10:00`.
    public var time: String
    /// `10:00 New York time`.
    public var timeText: String
    /// `held`, `cancelled` or `scheduled`.
    public var status: String
    /// True for a cancelled call.
    public var isCancelled: Bool
    /// The title, or null.
    public var title: String?
    /// `The June call: Rome declaration…`, or `The August call` without a title.
    public var heading: String
    /// The recording's address, or null.
    public var recording: String?
    /// Where to register for calls.
    public var registration: String?
    /// How many registered, or null.
    public var registered: Int?
    /// How many attended, or null.
    public var attended: Int?
    /// `48 people attended (101 registered).`, or nil.
    public var attendanceText: String?
    /// Countries represented or discussed.
    public var countries: [CountryView]
    /// `Kenya, Nigeria and the Netherlands`, or nil.
    public var countriesText: String?
    /// How many countries took part, when only the count was kept.
    public var countryCount: Int?
    /// The sentence for either: `Countries on the call: Kenya and Nigeria.`
    /// or `People joined from 31 countries.`; nil when neither is known.
    public var countriesLine: String?
    /// Whether the call has notes.
    public var hasNotes: Bool
    /// The notes laid out for the plain-text digest (set by the renderer).
    public var notesText: String?
    /// The notes as email-safe HTML with inline styles (set by the renderer).
    public var notesHtml: String?
}

/// One entry of `next_call.times`.
public struct ZonedTimeView: Codable, Sendable, Equatable {
    /// IANA zone, such as `Asia/Kathmandu`.
    public var zone: String
    /// `Kathmandu`.
    public var city: String
    /// Local date, `YYYY-MM-DD`.
    public var date: String
    /// `Tue 10 Mar`.
    public var dateText: String
    /// `Wed 11 Mar` where the local date is not the call's date in the
    /// coalition's own zone; null where it is (most rows).
    public var otherDay: String?
    /// Local time, `HH:mm`.
    public var time: String
    /// `+05:45`.
    public var utcOffset: String
    /// `next day`, `previous day` or nil, against the coalition's own date.
    public var dayShift: String?
    /// True for the coalition's own zone.
    public var isHome: Bool
    /// A ready-made aligned line for plain text, the date only where it
    /// differs: `Kathmandu   19:45  UTC+05:45`, `Manila  00:00  UTC+08:00  Wed 11 Mar`.
    public var line: String
}

/// `next_call` in the view model.
public struct NextCallView: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var date: String
    /// The date in words.
    public var dateText: String
    /// Start time, `HH:mm`.
    public var time: String
    /// The coalition's IANA time zone.
    public var timezone: String
    /// `10:00 New York time`.
    public var timeText: String
    /// The start in UTC, `2020-03-10T14:00:00Z`.
    public var utc: String
    /// The title, or null.
    public var title: String?
    /// Where to register for calls.
    public var registration: String?
    /// True when the date comes from the schedule rule, not a call file.
    public var fromSchedule: Bool
    /// The call as a calendar file on the web (`mail.archive` +
    /// `/call-YYYY-MM-DD.ics`, published by `digest archive`), or null
    /// without an archive. The email carries the same file as an attachment.
    public var calendarUrl: String?
    /// The coalition's zone and every `also_in` zone, west to east (by UTC
    /// offset; zones with the same offset in the order of coalition.yaml).
    public var times: [ZonedTimeView]
}

/// A cancelled call passed over.
public struct SkippedCallView: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var date: String
    /// The date in words.
    public var dateText: String
    /// The title, or null.
    public var title: String?
}

/// `petition` in the view model.
public struct PetitionView: Codable, Sendable, Equatable {
    /// The title, or null.
    public var title: String
    /// The address.
    public var url: String?
    /// The number of signatures aimed for.
    public var goal: Int
    /// The goal with thousands separators.
    public var goalText: String
    /// The total.
    public var total: Int
    /// The total with thousands separators.
    public var totalText: String
    /// Gained or added in the period.
    public var new: Int
    /// New signatures with thousands separators.
    public var newText: String
    /// Percent of the goal, one decimal (2.4).
    public var percentOfGoal: Double
    /// `2.4%`.
    public var percentText: String
    /// `YYYY-MM`, or null when the recent pace is zero.
    public var goalReachedBy: String?
    /// `May 2031`, or null.
    public var goalReachedByText: String?
    /// Average signatures a month over the last `pace_months` months, rounded half up.
    public var monthlyPace: Int
    /// The months the pace is averaged over: 3, or fewer in a petition's first months.
    public var paceMonths: Int
    /// The forecast as a reader should see it: a month only when it is at
    /// most three years away, otherwise the pace that would reach the goal
    /// in three years; null before any signature.
    public var forecastText: String?
    /// The pace with thousands separators.
    public var monthlyPaceText: String
    /// Whole percent for progress bars, 0…100 (at least 1 once there is a signature).
    public var barPercent: Int
    /// `100 - bar_percent`.
    public var barRestPercent: Int
    /// True when the bar has a filled part.
    public var barHasFill: Bool
    /// True when the bar has an unfilled part.
    public var barHasRest: Bool
    /// `[####----------------]`, 20 cells, for plain text.
    public var barText: String
}

/// `commitments` in the view model.
public struct CommitmentsView: Codable, Sendable, Equatable {
    /// Gained or added in the period.
    public var new: [CommitmentView]
    /// How many commitments are new in the period.
    public var newCount: Int
    /// True when there is at least one new commitment.
    public var hasNew: Bool
    /// The total.
    public var total: Int
    /// `3 new commitments`.
    public var newCountText: String
    /// `18 commitments tracked so far`.
    public var totalText: String
    /// Counts by framework, most first.
    public var byFramework: [TallyView]
    /// Counts by actor, most first.
    public var byActor: [TallyView]
    /// Counts by country (`Global` for none), most first.
    public var byCountry: [TallyView]
    /// Counts by status, most first.
    public var byStatus: [TallyView]
}

/// A name and a count.
public struct TallyView: Codable, Sendable, Equatable {
    /// The name, such as the coalition's.
    public var name: String
    /// How many.
    public var count: Int
}

/// A commitment.
public struct CommitmentView: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var date: String
    /// The date in words.
    public var dateText: String
    /// Country name, or null for a global commitment.
    public var country: String?
    /// ISO alpha-2 code, or null for a global commitment.
    public var countryCode: String?
    /// The region it concerns when not one country (`Latin America and the
    /// Caribbean`), or null.
    public var region: String?
    /// The country, else the region, else `Global`.
    public var scope: String
    /// Who made the commitment.
    public var actor: String
    /// Where the commitment was made.
    public var framework: String
    /// The title, or null.
    public var title: String
    /// How far it has got.
    public var status: String
    /// The address.
    public var url: String?
}

/// `vnr` in the view model.
public struct VNRView: Codable, Sendable, Equatable {
    /// The HLPF year (the last of several).
    public var year: Int
    /// The HLPF years covered.
    public var years: [Int]
    /// How many countries the coalition follows (rows of `vnr.csv`).
    public var count: Int
    /// How many countries present by the UN's list (`vnr_presenting:` in
    /// `coalition.yaml`), or null when it does not give every year.
    public var presentingCount: Int?
    /// Reviews the coalition engaged.
    public var engagedCount: Int
    /// True when at least one review is tracked for the year(s).
    public var hasReviews: Bool
    /// `47 countries present VNRs in 2019; the coalition follows 9 of them
    /// and engaged with 9.`, or without the UN's figure `The coalition
    /// follows 9 countries presenting VNRs in 2019 and engaged with 9.`
    public var summaryText: String
    /// Counts by UN M49 region, most first.
    public var byRegion: [TallyView]
    /// The reviews, in file order.
    public var reviews: [VNRReviewView]
}

/// One country's review.
public struct VNRReviewView: Codable, Sendable, Equatable {
    /// The HLPF year.
    public var year: Int
    /// The country's name.
    public var country: String
    /// ISO 3166-1 alpha-2 code.
    public var code: String
    /// UN M49 region.
    public var region: String
    /// How the coalition engaged, or null.
    public var engagement: String?
    /// True when engagement is set and not `none`.
    public var engaged: Bool
    /// Who led the engagement, or null.
    public var lead: String?
    /// Whether the review covers SDG 16, or null when unknown.
    public var sdg16: Bool?
    /// Anything else, or null.
    public var notes: String?
}

/// An event.
public struct EventView: Codable, Sendable, Equatable {
    /// The title, or null.
    public var title: String
    /// First day, `YYYY-MM-DD`.
    public var start: String
    /// Last day, or null for one day.
    public var end: String?
    /// `29 April – 2 May 2019`.
    public var datesText: String
    /// Where, or null.
    public var location: String?
    /// The address.
    public var url: String?
    /// The day the coalition first heard of it, `YYYY-MM-DD`, or null when
    /// known from the start.
    public var announced: String?
}

/// A way to get involved.
public struct ActionView: Codable, Sendable, Equatable {
    /// The title, or null.
    public var title: String
    /// More about it, or null.
    public var details: String?
    /// The address.
    public var url: String?
    /// Last day open as known by the period's end, or null.
    public var until: String?
    /// True when that deadline is an extension announced by the period's end.
    public var extended: Bool
    /// `Open until 24 March 2019.` (or `Deadline extended to 24 March
    /// 2019.`), or nil.
    public var untilText: String?
    /// The day it was first announced, `YYYY-MM-DD`, or null when known
    /// from the start.
    public var announced: String?
}
