import CoalitionData
import DigestModel
import DigestRender
import Foundation

/// The web archive: every digest as a web page, an index, an Atom feed, a
/// sitemap and the calendar files the newsletters link to, in memory as
/// file name -> bytes. `digest archive` writes it to `output/site/`; the
/// preview serves it at `/site/`.
///
/// Every link between its pages is relative, so the folder works on any
/// static host and opened from disk. A month's page is the newsletter
/// rendered by `web/page.html` over the same view model and partials, with
/// `web` set (``ArchivePageView``): no preheader, no "view in browser", no
/// unsubscribe footer, and links to the digests before and after it. File
/// names are those the newsletters link to: `mail.archive` + `/YYYY-MM.html`
/// and `/call-YYYY-MM-DD.ics`.
///
/// Same data, same bytes: nothing here reads the clock.
public struct ArchiveSite: Sendable {
    /// File name -> bytes, all at the top of the site folder.
    public var files: [String: Data]
    /// The months with a page, oldest first.
    public var months: [YearMonth]

    /// The page a month's newsletter links to as "view in browser".
    public static func pageName(_ month: YearMonth) -> String { "\(month).html" }

    /// The calendar file of a call on `date`, as the newsletter links it.
    public static func calendarName(_ date: LocalDate) -> String { "call-\(date).ics" }

    /// Builds the site for `months` (the months of `render --all`).
    ///
    /// - Throws: ``RenderError`` when a template is missing; nothing is
    ///   built then.
    public static func build(dataset: CoalitionDataset, months: [YearMonth], renderer: DigestRenderer)
        throws(RenderError) -> ArchiveSite
    {
        let coalition = dataset.coalition
        let months = months.sorted()
        let base = coalition.mail?.archive.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let authority = Self.authority(coalition)
        let slug = DigestMail.slug(coalition.name)
        let series = PetitionSeries(dataset.petition)

        var files: [String: Data] = [:]
        var entries: [(month: YearMonth, view: DigestView, card: String, updated: String)] = []
        var latestCoalition: CoalitionView?
        for (index, month) in months.enumerated() {
            let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
            var view = renderer.view(for: digest)
            latestCoalition = view.coalition
            let invitation = CallInvitation.ics(for: digest)
            if let invitation, let next = digest.nextCall {
                // Several months can point at one call: the latest month's file wins.
                files[calendarName(next.date)] = Data(invitation.utf8)
            }
            // The page is on the web already, and links to the calendar file beside it.
            view.webVersion = nil
            view.nextCall?.calendarUrl = invitation == nil ? nil : digest.nextCall.map { calendarName($0.date) }
            let web = ArchivePageView(
                canonical: base.map { $0 + "/" + pageName(month) }, title: view.subject, description: view.preheader,
                siteName: coalition.name, indexHref: "index.html", feedHref: "feed.xml",
                previous: index > 0 ? link(months[index - 1]) : nil,
                next: index + 1 < months.count ? link(months[index + 1]) : nil)
            guard case .object(var object) = ViewValue(reflecting: view) else { continue }
            object["web"] = ViewValue(reflecting: web)
            let value = ViewValue.object(object)
            files[pageName(month)] = Data(try renderer.page("web/page.html", value).utf8)
            let card = try renderer.page("html/card.html", value)
            let updated = Self.updated(digest)
            entries.append((month, view, card, updated))
        }

        // Newest first, grouped by year.
        let newestFirst = entries.reversed()
        let years = Dictionary(grouping: newestFirst, by: \.month.year).keys.sorted(by: >).map { year in
            ArchiveIndexView.Year(
                year: year,
                digests: newestFirst.filter { $0.month.year == year }.map {
                    ArchiveIndexView.Entry(
                        month: $0.month.description, label: Period(month: $0.month).label, href: pageName($0.month),
                        subject: $0.view.subject, preheader: $0.view.preheader)
                })
        }
        let span = months.first.map { first in
            months.count == 1
                ? Period(month: first).label
                : "\(Period(month: first).label) to \(Period(month: months.last ?? first).label)"
        }
        let title = "\(coalition.name.withoutBidiControls) — past digests"
        let description =
            "Every monthly digest of the \(coalition.name.withoutBidiControls) coalition"
            + (span.map { ", \($0)" } ?? "") + "."
        if let coalitionView = latestCoalition ?? months.first.map({ DigestView(digest: Digest(dataset: dataset, period: Period(month: $0))).coalition }) {
            let index = ArchiveIndexView(
                coalition: coalitionView, title: title, description: description,
                canonical: base.map { $0 + "/" }, feedHref: "feed.xml", count: months.count,
                countText: Phrasing.count(months.count, "digest") + (span.map { ", \($0)" } ?? ""), years: years)
            files["index.html"] = Data(try renderer.page("web/index.html", ViewValue(reflecting: index)).utf8)
        }

        let feed = AtomFeed(
            title: "\(coalition.name.withoutBidiControls) digest", subtitle: coalition.organizer,
            id: AtomFeed.tag(
                authority: authority, date: months.first.map { $0.firstDay.description } ?? "2000-01-01",
                specific: "\(slug)/digest"),
            author: coalition.organizer ?? coalition.name, selfLink: base.map { $0 + "/feed.xml" } ?? "feed.xml",
            alternateLink: base.map { $0 + "/" } ?? "index.html",
            entries: newestFirst.prefix(AtomFeed.limit).map { entry in
                AtomFeed.Entry(
                    month: entry.month.description, title: entry.view.subject, summary: entry.view.preheader,
                    link: (base.map { $0 + "/" } ?? "") + pageName(entry.month),
                    id: AtomFeed.tag(
                        authority: authority, date: entry.month.firstDay.description,
                        specific: "\(slug)/digest/\(entry.month)"),
                    updated: entry.updated, html: entry.card)
            })
        files["feed.xml"] = Data(feed.xml.utf8)

        if let base {
            let pages =
                [SiteMap.Page(location: base + "/", lastModified: entries.last.map { String($0.updated.prefix(10)) })]
                + entries.map {
                    SiteMap.Page(location: base + "/" + pageName($0.month), lastModified: String($0.updated.prefix(10)))
                }
            files["sitemap.xml"] = Data(SiteMap(pages: pages).xml.utf8)
        }
        return ArchiveSite(files: files, months: months)
    }

    private static func link(_ month: YearMonth) -> ArchivePageView.Link {
        ArchivePageView.Link(href: pageName(month), label: Period(month: month).label)
    }

    /// The digest's own date, from the data: 09:00 in the coalition's zone
    /// on the day after its month (the `DTSTAMP` of its calendar file).
    static func updated(_ digest: Digest) -> String {
        let day = digest.period.lastDay.adding(days: 1)
        let nine = LocalTime(hour: 9, minute: 0)
        if let nine, let instant = ZonedTime.instant(date: day, time: nine, zone: digest.coalition.schedule.timezone) {
            return ZonedTime.utcString(instant)
        }
        return "\(day)T09:00:00Z"
    }

    /// The host the tag URIs are minted under: the archive's, else the
    /// website's, else the sender's domain.
    static func authority(_ coalition: Coalition) -> String {
        for address in [coalition.mail?.archive, coalition.website].compactMap({ $0 }) {
            if let host = URLComponents(string: address)?.host?.lowercased(), !host.isEmpty { return host }
        }
        if let from = coalition.mail?.from, let at = from.lastIndex(of: "@") {
            let domain = from[from.index(after: at)...].filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
            if !domain.isEmpty { return domain.lowercased() }
        }
        return "coalition-digest.invalid"
    }
}
