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
    /// The plain-text digest's first heading: "Justice For All digest — June 2019".
    public var digestHeading = ""
    /// In another language than the coalition's, said once when staff
    /// left something untranslated: "Quelques textes de ce numéro ne sont
    /// pas encore traduits et restent en anglais : le titre de la pétition
    /// et 2 noms de cadres." (in the HTML each is marked with its `lang`);
    /// else null. A call's notes are said at the call.
    public var untranslatedNote: String? = nil
    /// What the month is about, in a few words, for the archive's index
    /// and the feed: the call's title; else that it was cancelled, its
    /// first new commitment, the first event coming up, or the petition's
    /// total (a month without a titled call still has a headline of its own).
    public var headline = ""
    /// This digest on the web (`mail.archive` + `/YYYY-MM.html`), or nil.
    public var webVersion: String?
    /// The period's first call (kept for templates written before `calls`).
    public var call: CallView?
    /// Every call in the period, in date order: a month can have two.
    public var calls: [CallView]
    /// "The monthly calls ended with the call of Tuesday, 10 March 2020.",
    /// when the schedule has ended (`schedule.until`) and no call follows.
    public var scheduleEndedText: String? = nil
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
    /// The coalition's own sections with entries this month, in the order
    /// of `sections:` (empty: none).
    public var sections: [SectionView] = []
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
    /// How a visitor of the web archive joins the list (`mail.subscribe`).
    public var subscribe: String? = nil
    /// "Share your news with #…", or null without a hashtag.
    public var shareText: String?
    /// An emailed digest's footer: why the reader gets it.
    public var memberText = ""
    /// The plain-text footer's one line of links: the website, the other
    /// links, then the hashtag (no address), each after the separator
    /// `lead` (" · ", empty for the first).
    public var footerLinks: [FooterLink] = []

    /// A link on the plain-text footer's line.
    public struct FooterLink: Codable, Sendable, Equatable {
        /// " · ", or empty for the line's first.
        public var lead: String
        /// What the reader sees.
        public var label: String
        /// The address; null for the hashtag.
        public var url: String?
    }
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
    /// The heading of a period without a call: "No call in June 2019".
    public var noCallText = ""
}
