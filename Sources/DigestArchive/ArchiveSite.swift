import CoalitionData
import DigestModel
import DigestRender
import Foundation
import Synchronization
import Wording

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
    public static func pageName(_ month: YearMonth) -> String { ArchiveAddress.pageName(month) }

    /// The calendar file of a call on `date`, as the newsletter links it.
    public static func calendarName(_ date: LocalDate) -> String { ArchiveAddress.calendarName(date) }

    /// Builds the site for `months` (the months of `render --all`) in
    /// `renderer`'s language alone.
    ///
    /// - Throws: ``RenderError`` when a template is missing; nothing is
    ///   built then.
    public static func build(dataset: CoalitionDataset, months: [YearMonth], renderer: DigestRenderer)
        throws(RenderError) -> ArchiveSite
    {
        try build(dataset: dataset, months: months, renderers: [renderer.words.language: renderer])
    }

    /// Builds the site for `months` in each language of `renderers` (by
    /// tag) that the coalition writes in: the coalition's own at the top
    /// of the site, each other in a folder of its own (`fr/2019-06.html`,
    /// `fr/index.html`, `fr/feed.xml`), every page linking its translations.
    ///
    /// - Throws: ``RenderError`` when a template is missing; nothing is
    ///   built then.
    public static func build(dataset: CoalitionDataset, months: [YearMonth], renderers: [String: DigestRenderer])
        throws(RenderError) -> ArchiveSite
    {
        let coalition = dataset.coalition
        let wanted = coalition.languages.filter { renderers[$0] != nil }
        let languages = wanted.isEmpty ? renderers.keys.sorted() : wanted
        let main = languages.contains(coalition.language) ? coalition.language : languages[0]
        var files: [String: Data] = [:]
        var pages: [SiteMap.Page] = []
        for language in languages {
            guard let renderer = renderers[language] else { continue }
            let folder = ArchiveAddress.folder(language: language, main: main)
            let edition = try edition(
                dataset: dataset, months: months, renderer: renderer, folder: folder,
                translations: { name in
                    languages.count > 1
                        ? ArchiveTranslation.all(of: name, languages: languages, main: main, current: language) : []
                })
            for (name, data) in edition.files { files[(folder.map { $0 + "/" } ?? "") + name] = data }
            pages += edition.pages
        }
        if !pages.isEmpty { files["sitemap.xml"] = Data(SiteMap(pages: pages).xml.utf8) }
        return ArchiveSite(files: files, months: months.sorted())
    }

    /// One language's pages, index, feed and calendar files (names within
    /// its folder), and its pages for the sitemap.
    static func edition(
        dataset: CoalitionDataset, months: [YearMonth], renderer: DigestRenderer, folder: String?,
        translations: @escaping @Sendable (String) -> [ArchiveTranslation]
    ) throws(RenderError) -> (files: [String: Data], pages: [SiteMap.Page]) {
        let coalition = dataset.coalition
        let words = renderer.words
        let months = months.sorted()
        let base = ArchiveAddress(coalition.mail?.archive)?.language(folder)
        let authority = Self.authority(coalition)
        let slug = DigestMail.slug(coalition.name)
        let series = PetitionSeries(dataset.petition)

        // Each month is rendered on its own (the months share nothing but
        // read-only inputs), spread over the machine's cores; results are
        // put back in month order, so the bytes never depend on timing.
        let rendered = Mutex<[Result<MonthPage, RenderError>?]>(Array(repeating: nil, count: months.count))
        DispatchQueue.concurrentPerform(iterations: months.count) { index in
            let result = Result { () throws(RenderError) in
                try renderMonth(
                    index, of: months, dataset: dataset, series: series, renderer: renderer, base: base,
                    translations: translations(pageName(months[index])))
            }
            rendered.withLock { $0[index] = result }
        }
        var files: [String: Data] = [:]
        var entries: [MonthPage] = []
        for result in rendered.withLock({ $0 }) {
            // concurrentPerform returns once every month has reported.
            guard let result else { throw .missingTemplate("web/page.html.mustache") }
            let entry = try result.get()
            // Several months can point at one call: the latest month's file wins.
            if let (name, data) = entry.calendar { files[name] = data }
            files[pageName(entry.month)] = entry.page
            entries.append(entry)
        }
        let latestCoalition = entries.last?.view.coalition

        // Newest first, grouped by year.
        let newestFirst = entries.reversed()
        let years = Dictionary(grouping: newestFirst, by: \.month.year).keys.sorted(by: >).map { year in
            ArchiveIndexView.Year(
                year: year,
                digests: newestFirst.filter { $0.month.year == year }.map {
                    ArchiveIndexView.Entry(
                        month: $0.month.description, label: words.month($0.month), href: pageName($0.month),
                        held: held($0.view, words: words), facts: facts($0.view, words: words))
                })
        }
        let span = months.first.map { first in
            months.count == 1
                ? words.month(first)
                : words.text("archive.span", ["first": words.month(first), "last": words.month(months.last ?? first)])
        }
        let name = coalition.name.withoutBidiControls
        let title = words.text("archive.title", ["coalition": name])
        let description =
            span.map { words.text("archive.description.span", ["coalition": name, "span": $0]) }
            ?? words.text("archive.description", ["coalition": name])
        let count = words.count("archive.count", months.count)
        if let coalitionView = latestCoalition
            ?? months.first.map({
                DigestView(digest: Digest(dataset: dataset, period: Period(month: $0)), words: words).coalition
            })
        {
            let index = ArchiveIndexView(
                coalition: coalitionView, title: title, description: description,
                canonical: base?.index, feedHref: "feed.xml",
                feedLinkTitle: words.text("archive.feed.link_title", ["coalition": dataset.coalition.name]),
                translations: translations("index.html"), hasTranslations: !translations("index.html").isEmpty,
                count: months.count,
                countText: span.map { words.text("archive.count.span", ["count": count, "span": $0]) } ?? count,
                years: years)
            files["index.html"] = Data(try renderer.page("web/index.html", ViewValue(reflecting: index)).utf8)
        }

        let feed = AtomFeed(
            language: words.language, title: words.text("archive.feed.title", ["coalition": name]),
            subtitle: coalition.organizer,
            id: AtomFeed.tag(
                authority: authority, date: months.first.map { $0.firstDay.description } ?? "2000-01-01",
                specific: "\(slug)/digest" + (folder.map { "/" + $0 } ?? "")),
            author: coalition.organizer ?? coalition.name, selfLink: base?.file("feed.xml") ?? "feed.xml",
            alternateLink: base?.index ?? "index.html",
            entries: newestFirst.prefix(AtomFeed.limit).map { entry in
                AtomFeed.Entry(
                    month: entry.month.description,
                    title: words.text(
                        "archive.feed.entry_title",
                        [
                            "month": words.capitalized(words.month(entry.month)),
                            "headline": held(entry.view, words: words) ?? "",
                        ]),
                    summary: entry.view.preheader,
                    link: base?.page(entry.month) ?? pageName(entry.month),
                    id: AtomFeed.tag(
                        authority: authority, date: entry.month.firstDay.description,
                        specific: "\(slug)/digest/" + (folder.map { $0 + "/" } ?? "") + entry.month.description),
                    updated: entry.updated, html: entry.article)
            })
        files["feed.xml"] = Data(feed.xml.utf8)

        var pages: [SiteMap.Page] = []
        if let base {
            pages =
                [SiteMap.Page(location: base.index, lastModified: entries.last.map { String($0.updated.prefix(10)) })]
                + entries.map {
                    SiteMap.Page(location: base.page($0.month), lastModified: String($0.updated.prefix(10)))
                }
        }
        return (files, pages)
    }

    /// One month's page, and what the index and the feed need of it.
    struct MonthPage: Sendable {
        var month: YearMonth
        var view: DigestView
        var page: Data
        var card: String
        /// The month as a feed reader shows it (`web/feed-entry.html`);
        /// empty for a month too old for the feed.
        var article: String
        var updated: String
        var calendar: (String, Data)?
    }

    /// Renders month `index` of `months`: its page, its card for the feed,
    /// and its next call's calendar file.
    static func renderMonth(
        _ index: Int, of months: [YearMonth], dataset: CoalitionDataset, series: PetitionSeries,
        renderer: DigestRenderer, base: ArchiveAddress?, translations: [ArchiveTranslation] = []
    ) throws(RenderError) -> MonthPage {
        let month = months[index]
        let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
        var view = try renderer.view(for: digest)
        let invitation = CallInvitation.ics(for: digest.localized(to: renderer.words.language), words: renderer.words)
        var calendar: (String, Data)?
        if let invitation, let next = digest.nextCall { calendar = (calendarName(next.date), Data(invitation.utf8)) }
        // The page is on the web already, and links to the calendar file beside it.
        view.webVersion = nil
        view.nextCall?.calendarUrl = calendar?.0
        // A call that has taken place since (by the archive's last month)
        // is shown as past, with its recording: no Register button.
        if let next = digest.nextCall, let last = months.last,
            let call = dataset.calls.first(where: { $0.date == next.date }),
            call.status(reportingThrough: last.lastDay) == .held
        {
            let words = renderer.words
            let held = YearMonth(year: next.date.year, month: next.date.month)
            view.nextCall?.heldText = words.text("next_call.held", ["date": words.longDate(next.date)])
            view.nextCall?.heldRecording = call.recording
            if let held, months.contains(held) {
                view.nextCall?.heldHref = pageName(held)
                view.nextCall?.heldLinkText = words.text("next_call.held.read", ["month": words.month(held)])
            }
        }
        var web = ArchivePageView(
            canonical: base?.page(month), title: view.subject, description: view.preheader,
            siteName: dataset.coalition.name, indexHref: "index.html", feedHref: "feed.xml",
            feedLinkTitle: renderer.words.text("archive.feed.link_title", ["coalition": dataset.coalition.name]),
            translations: translations, hasTranslations: !translations.isEmpty,
            previous: index > 0 ? link(months[index - 1], words: renderer.words) : nil,
            next: index + 1 < months.count ? link(months[index + 1], words: renderer.words) : nil)
        guard case .object(var object) = ViewValue(reflecting: view) else {
            throw .missingTemplate("html/card.html.mustache")
        }
        object["web"] = ViewValue(reflecting: web)
        let card = try renderer.page("html/card.html", .object(object))
        web.cardHtml = card
        object["web"] = ViewValue(reflecting: web)
        let page = Data(try renderer.page("web/page.html", .object(object)).utf8)
        // The feed holds the newest months only: their article alone is made.
        var article = ""
        if index >= months.count - AtomFeed.limit {
            var plain = view
            for call in plain.calls.indices {
                plain.calls[call].notesHtml = plain.calls[call].notesHtml.map(NotesHTML.plain)
            }
            article = try renderer.page("web/feed-entry.html", ViewValue(reflecting: plain))
        }
        return MonthPage(
            month: month, view: view, page: page, card: card, article: article, updated: updated(digest),
            calendar: calendar)
    }

    /// What a month held, for the index: its headline (two calls' titles
    /// both), or that there was no call.
    static func held(_ view: DigestView, words: Words) -> String? {
        guard !view.calls.isEmpty else { return words.text("archive.entry.no_call") }
        let titles = view.calls.compactMap { call in
            call.isCancelled ? call.cancelledText : call.titleLang == nil ? call.title : nil
        }
        return titles.count > 1 ? titles.joined(separator: " · ") : view.headline
    }

    /// A month's figures, for the index: who attended, new commitments,
    /// the petition's total.
    static func facts(_ view: DigestView, words: Words) -> String {
        var parts: [String] = []
        let attended = view.calls.compactMap(\.attended)
        if !attended.isEmpty { parts.append(words.count("archive.entry.attended", attended.reduce(0, +))) }
        if !view.commitments.new.isEmpty {
            parts.append(words.count("archive.entry.commitments", view.commitments.new.count))
        }
        // Not twice: a month headed by its petition total shows it there only.
        if let petition = view.petition, view.headline != words.count("headline.petition", petition.total) {
            parts.append(words.count("archive.entry.signatures", petition.total))
        }
        return parts.joined(separator: " · ")
    }

    private static func link(_ month: YearMonth, words: Words) -> ArchivePageView.Link {
        ArchivePageView.Link(href: pageName(month), label: words.month(month))
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
