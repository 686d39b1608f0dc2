import Wording

/// One language's version of an archive page, for the links between
/// translations: `<link rel="alternate" hreflang>` in the head and the
/// language switch on the page.
public struct ArchiveTranslation: Codable, Sendable, Equatable {
    /// The language tag (`fr`), for `hreflang` and `lang`.
    public var hreflang: String
    /// The page in that language, relative to this page: `fr/2019-06.html`,
    /// `../2019-06.html`, `../es/2019-06.html`.
    public var href: String
    /// The language's name in itself: `Français`.
    public var label: String
    /// Whether it is this page's own language.
    public var isCurrent: Bool

    /// The versions of the page named `name` in each of `languages` (the
    /// coalition's own language at the top of the site, the others in a
    /// folder each), seen from the page in `current`.
    public static func all(of name: String, languages: [String], main: String, current: String) -> [ArchiveTranslation]
    {
        languages.map { language in
            let folder = language == main ? "" : language + "/"
            let up = current == main ? "" : "../"
            let href = language == current ? name : up + folder + name
            return ArchiveTranslation(
                hreflang: language, href: href, label: LanguageNames.native(language), isCurrent: language == current)
        }
    }
}
