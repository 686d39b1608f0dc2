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
    /// `Tuesday, 11 February 2020`.
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
    /// "The call of Tuesday, 10 March 2020 was cancelled".
    public var cancelledText = ""
    /// "Tuesday, 11 June 2019, 10:00 New York time."
    public var whenText = ""
    /// What stands in place of notes when none were kept.
    public var noNotesText = ""
    /// In another language than the coalition's, when the notes are not
    /// translated: the line before them ("Les notes de cet appel sont en
    /// anglais."); else null.
    public var untranslatedText: String?
    /// The language tag of the notes when they are not in the digest's language (`lang`), else null.
    public var notesLang: String?
    /// The title's language tag when it is not the digest's, else null:
    /// the heading then leaves the title out ("L’appel de la coalition en
    /// février"), and the title shows on its own, marked with it.
    public var titleLang: String? = nil
}

/// A cancelled call passed over.
public struct SkippedCallView: Codable, Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var date: String
    /// The date in words.
    public var dateText: String
    /// The title, or null.
    public var title: String?
    /// "The call of Tuesday, 14 April 2020 is cancelled."
    public var cancelledText = ""
}
