import DigestModel

/// The view model of the archive's `index.html` (`web/index.html`): every
/// digest, newest first, grouped by year.
public struct ArchiveIndexView: Codable, Sendable, Equatable {
    /// One digest in the list.
    public struct Entry: Codable, Sendable, Equatable {
        /// `2019-06`.
        public var month: String
        /// `June 2019`.
        public var label: String
        /// `2019-06.html`.
        public var href: String
        /// What the month was about (``DigestModel/DigestView/headline``):
        /// the call's title, "The call of 14 January was cancelled", "New
        /// commitment: …", "Coming up: …"; every month has one.
        public var held: String?
        /// The month's figures: "46 attended · 2 new commitments · 1,575 signatures".
        public var facts: String
    }

    /// A year of digests, newest first.
    public struct Year: Codable, Sendable, Equatable {
        /// `2019`.
        public var year: Int
        /// Its digests, newest first.
        public var digests: [Entry]
    }

    /// Who the coalition is (as in the newsletter's view model).
    public var coalition: CoalitionView
    /// `Justice For All — past digests`.
    public var title: String
    /// One line for search results and link cards.
    public var description: String
    /// The index's own address (`mail.archive` + `/`), or null.
    public var canonical: String?
    /// `feed.xml`.
    public var feedHref: String
    /// The feed's name in the page's head: "Justice For All digests".
    public var feedLinkTitle = ""
    /// This page in each of the coalition's languages (empty with one).
    public var translations: [ArchiveTranslation] = []
    /// Whether ``translations`` has any.
    public var hasTranslations = false
    /// How many digests.
    public var count: Int
    /// `22 digests, June 2018 to March 2020`.
    public var countText: String
    /// The years, newest first.
    public var years: [Year]
}
