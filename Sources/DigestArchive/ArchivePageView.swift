/// What a month's page in the web archive adds to the newsletter's view
/// model: the `web` object of `web/page.html` (null, and so absent, in the
/// email). The newsletter's partials show their email-only parts inside
/// `{{^web}}` and the archive's links inside `{{#web}}`.
public struct ArchivePageView: Codable, Sendable, Equatable {
    /// A link to another page of the archive.
    public struct Link: Codable, Sendable, Equatable {
        /// Relative to the page: `2019-05.html`.
        public var href: String
        /// `May 2019`.
        public var label: String
    }

    /// The page's address on the coalition's site (`mail.archive` +
    /// `/2019-06.html`), for `<link rel="canonical">` and `og:url`; null
    /// without `mail.archive`.
    public var canonical: String?
    /// The page title: the digest's subject.
    public var title: String
    /// One line for search results and link cards: the preheader.
    public var description: String
    /// The coalition's name, for `og:site_name`.
    public var siteName: String
    /// `index.html`.
    public var indexHref: String
    /// `feed.xml`.
    public var feedHref: String
    /// The feed's name in the page's head: "Justice For All digests".
    public var feedLinkTitle = ""
    /// This page in each of the coalition's languages (empty with one).
    public var translations: [ArchiveTranslation] = []
    /// Whether ``translations`` has any.
    public var hasTranslations = false
    /// The digest before this one, or null for the first.
    public var previous: Link?
    /// The digest after this one, or null for the latest.
    public var next: Link?
    /// The newsletter itself, `html/card.html` already rendered over this
    /// model (`{{{web.card_html}}}` in `web/page.html`): rendered once, it is
    /// both the page's body and the feed entry's content.
    public var cardHtml: String = ""
}
