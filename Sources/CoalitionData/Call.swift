import MarkdownTree

/// Whether a call took place.
public enum CallStatus: String, Sendable, CaseIterable, Codable {
    /// The call took place.
    case held
    /// The call was called off.
    case cancelled
    /// The call is planned.
    case scheduled
}

/// One coalition call: a file `calls/YYYY-MM-DD.md`.
public struct Call: Sendable {
    /// The call's date in the coalition's time zone.
    public var date: LocalDate
    /// Start time when it differs from the schedule's.
    public var time: LocalTime?
    /// The status as written; nil means "held" for a call on or before the
    /// period reported on and "scheduled" after it (see ``status(reportingThrough:)``).
    public var statusAsWritten: CallStatus?
    /// The call's title, such as "HLPF planning".
    public var title: String?
    /// When the call's title (its agenda) was announced (`agenda:` in the
    /// front matter): a digest shows the title of its next call only when
    /// announced by its month's end, since the title is written after the
    /// call; nil when it never was.
    public var agendaAnnounced: LocalDate? = nil
    /// When a call held off the schedule's day was announced on that day
    /// (`date_announced:` in the front matter): before it, the calendar
    /// still expects the schedule's day that month. nil: known from the
    /// start.
    public var dateAnnounced: LocalDate? = nil
    /// The recording's address.
    public var recording: String?
    /// Where to register.
    public var registration: String?
    /// How many registered.
    public var registered: Int?
    /// How many attended.
    public var attended: Int?
    /// Countries represented or discussed.
    public var countries: [Country]
    /// How many countries were represented, when only the count was kept
    /// (`countries: 31`); nil when they are listed or not given.
    public var countryCount: Int? = nil
    /// The notes, parsed.
    public var notes: [MarkdownBlock]
    /// The file it came from, as named in diagnostics.
    public var file: String
    /// The call's title and notes in other languages, by tag
    /// (`calls/2019-06-11.fr.md`).
    public var translations: [String: CallTranslation] = [:]

    /// The status, with the default applied: a call without a written status
    /// counts as held when it falls on or before `date` (the end of the period
    /// being reported), and as scheduled after it. Using the report's period
    /// rather than today's date keeps every output independent of the clock.
    public func status(reportingThrough date: LocalDate) -> CallStatus {
        statusAsWritten ?? (self.date <= date ? .held : .scheduled)
    }
}
