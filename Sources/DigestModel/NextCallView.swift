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
    /// True when the month's call notes are long enough (more than 500
    /// characters) to push the Next call section off a phone's first
    /// screen: "In this issue" then offers the Register button too. Set by
    /// the renderer, which lays the notes out.
    public var registerUpFront = false
    /// The call as a calendar file on the web (`mail.archive` +
    /// `/call-YYYY-MM-DD.ics`, published by `digest archive`), or null
    /// without an archive. The email carries the same file as an attachment.
    public var calendarUrl: String?
    /// The coalition's zone and every `also_in` zone, west to east (by UTC
    /// offset; zones with the same offset in the order of coalition.yaml).
    public var times: [ZonedTimeView]
    /// ``times`` with the zones that share a local time on one line, in
    /// the same order ("16:00 Brussels, Lagos"): what the newsletter shows,
    /// so the table stays short on a phone.
    public var timeGroups: [ZonedTimeGroupView] = []
    /// On the web archive, when the record shows the call has taken place
    /// since: "This call took place on Tuesday, 10 March 2020." (the page
    /// then offers no registration); null in the email.
    public var heldText: String?
    /// The held call's recording, or null.
    public var heldRecording: String?
    /// The archive page of the month the call belongs to, or null.
    public var heldHref: String?
    /// "Read the March 2020 digest".
    public var heldLinkText: String?
    /// "Tuesday, 9 July 2019 at 10:00 New York time".
    public var whenText = ""
    /// In this issue: "Next call: Tuesday, 9 July 2019, 10:00 New York time".
    public var inThisIssueText = ""
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

/// One entry of `next_call.time_groups`: the zones where the call starts at
/// the same local time on the same day.
public struct ZonedTimeGroupView: Codable, Sendable, Equatable {
    /// Local time, as the language writes it.
    public var time: String
    /// `+01:00`.
    public var utcOffset: String
    /// As in ``ZonedTimeView/otherDay``.
    public var otherDay: String?
    /// The cities, comma-separated, in the table's order: `Brussels, Lagos`.
    public var cities: String
    /// The same one by one, each after its separator (`lead`: ", ", empty
    /// for the first), for markup that keeps a city's name whole.
    public var cityNames: [CityName] = []

    /// A city of ``cityNames``.
    public struct CityName: Codable, Sendable, Equatable {
        /// ", ", or empty for the first.
        public var lead: String
        /// `Addis Ababa`.
        public var name: String
    }
    /// True when the coalition's own zone is among them.
    public var isHome: Bool
    /// A ready-made aligned line for plain text, the time first:
    /// `16:00  UTC+01:00  Brussels, Lagos`.
    public var line: String
}
