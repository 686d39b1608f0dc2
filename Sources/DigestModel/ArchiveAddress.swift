import CoalitionData

/// Where the web archive publishes each file: the one place that knows
/// the archive's addresses, for the newsletter's "view in browser" and
/// "add to calendar" links and for the archive itself.
///
/// `mail.archive` is the address the site is published at, with or
/// without a closing slash: `https://example.org/digest` and
/// `https://example.org/digest/` are one place.
public struct ArchiveAddress: Sendable, Equatable {
    /// The site's address without a closing slash.
    public let base: String

    /// The archive at `archive` (`mail.archive`); nil without one.
    public init?(_ archive: String?) {
        guard var base = archive, !base.isEmpty else { return nil }
        if base.hasSuffix("/") { base.removeLast() }
        self.base = base
    }

    /// A month's page in the site: `2020-02.html`.
    public static func pageName(_ month: YearMonth) -> String { "\(month).html" }

    /// A call's calendar file in the site: `call-2020-03-10.ics`.
    public static func calendarName(_ date: LocalDate) -> String { "call-\(date).ics" }

    /// The site's index: `https://example.org/digest/`.
    public var index: String { base + "/" }

    /// The full address of `name` in the site.
    public func file(_ name: String) -> String { base + "/" + name }

    /// A month's page: `https://example.org/digest/2020-02.html`.
    public func page(_ month: YearMonth) -> String { file(Self.pageName(month)) }

    /// The archive of another language than the coalition's: its own
    /// folder, `https://example.org/digest/fr` (nil: this one).
    public func language(_ folder: String?) -> ArchiveAddress {
        guard let folder, !folder.isEmpty else { return self }
        return ArchiveAddress(base: base + "/" + folder)
    }

    private init(base: String) { self.base = base }

    /// The folder of `language`'s pages in the site: nil for the
    /// coalition's own language (the site's top), else its tag (`fr`).
    public static func folder(language: String, main: String) -> String? { language == main ? nil : language }

    /// A call's calendar file: `https://example.org/digest/call-2020-03-10.ics`.
    public func calendar(_ date: LocalDate) -> String { file(Self.calendarName(date)) }
}
