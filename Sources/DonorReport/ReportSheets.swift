import CoalitionData
import DigestModel
import Foundation
import MarkdownTree
import Wording
import XLSXWriter

/// The sheets of records behind the summary, one kind of record each.
struct ReportSheets {
    let workbook: Workbook
    let style: ReportStyle
    let dataset: CoalitionDataset
    let digest: Digest
    let page: ReportPage
    let words: Words

    private var period: Period { digest.period }

    /// A sheet named by the catalogue's `workbook.sheet.<key>`, with one
    /// header a column from `workbook.<key>.<column>`. A column with nothing
    /// in any row is left out (on paper an empty column is only a question).
    private func table(
        _ key: String, columns: [String], rows: [[ReportCell]], notes: [String] = [], empty: String? = nil,
        filter: Bool = true
    ) throws(XLSXError) -> [String] {
        // Rows of one cell (a heading, "No events in 2019") say nothing
        // about the columns.
        let records = rows.filter { $0.count > 1 }
        let kept = columns.indices.filter { column in
            records.isEmpty || records.contains { column < $0.count && !$0[column].isBlank }
        }
        let rows = rows.map { row in
            row.count == 1 ? row : kept.map { $0 < row.count ? row[$0] : .empty }
        }
        let headers = kept.map { words.text("workbook.\(key).\(columns[$0])") }
        let empty = empty ?? words.text("workbook.empty")
        let sheet = try workbook.addWorksheet(named: words.text("workbook.sheet.\(key)"))
        var writer = SheetWriter(sheet: sheet, style: style, words: words)
        try writer.table(headers: headers, rows: rows, page: page, notes: notes, empty: empty, filter: filter)
        return writer.warnings
    }

    /// A link labelled with the site it is on (`opengovpartnership.org`):
    /// read whole in a narrow cell, and still saying on paper where it goes;
    /// never an address cut short ("justiceforall2030.org/coalitio…").
    private func link(_ url: String?) -> ReportCell {
        guard let url else { return .empty }
        return .link(url: url, text: WebAddress.site(url))
    }

    private func yesNo(_ value: Bool) -> ReportCell {
        .text(words.capitalized(words.text(value ? "workbook.yes" : "workbook.no")))
    }

    /// A value word as a cell shows it, alone: capitalised ("Announced",
    /// "In progress"), where a sentence has it in lower case.
    private func value(_ field: String, _ raw: String) -> ReportCell {
        .text(words.capitalized(words.value(field, raw)))
    }

    /// Calls dated in the period, each named as everywhere else
    /// (``CallTitle``). Missing attendance figures stay empty, never 0.
    func calls() throws(XLSXError) -> [String] {
        var unrecorded = false
        var untranslatedSections = false
        let localized = digest.localized(to: words.language)
        let rows: [[ReportCell]] = localized.calls.map { call in
            let sections = call.notes.compactMap { block -> String? in
                if case .heading(_, let inlines) = block { return inlines.map(\.plainText).joined() }
                return nil
            }
            if !sections.isEmpty, localized.untranslated?.callNotes.contains(call.date) == true {
                untranslatedSections = true
            }
            if call.registered == nil || call.attended == nil { unrecorded = true }
            return [
                .date(call.date), .wrappedText(CallTitle.text(call, words: words)),
                value("call_status", call.status(reportingThrough: period.lastDay).rawValue),
                call.registered.map(ReportCell.number) ?? .empty, call.attended.map(ReportCell.number) ?? .empty,
                .wrappedText(
                    call.countries.isEmpty
                        ? call.countryCount.map { words.count("workbook.calls.country_count", $0) } ?? ""
                        : call.countries.map { words.regionName(code: $0.alpha2, english: $0.name) }
                            .joined(separator: ", ")),
                .wrappedText(sections.joined(separator: "; ")), link(call.recording),
            ]
        }
        return try table(
            "calls",
            columns: ["date", "call", "status", "registered", "attended", "countries", "sections", "recording"],
            rows: rows,
            notes: (unrecorded ? [words.text("workbook.calls.note.unrecorded")] : [])
                + (untranslatedSections
                    ? [
                        words.text(
                            "workbook.calls.note.untranslated",
                            [
                                "language": words.locale.localizedString(forLanguageCode: digest.coalition.language)
                                    ?? digest.coalition.language
                            ])
                    ] : []))
    }

    /// Commitments dated up to the end of the period.
    func commitments() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = dataset.commitments.filter { $0.date <= period.lastDay }
            .sorted { $0.date < $1.date }
            .map { item in
                [
                    .date(item.date),
                    .text(
                        item.country.map { words.regionName(code: $0.alpha2, english: $0.name) }
                            ?? item.region.map(words.regionName)
                            ?? words.capitalized(words.value("scope", "Global"))),
                    value("actor", item.actor.rawValue),
                    .text(dataset.coalition.frameworks?.name(item.framework, in: words.language) ?? item.framework),
                    .wrappedText(item.titles[words.language] ?? item.title),
                    value("status", item.status.rawValue),
                    yesNo(period.contains(item.date)), link(item.url),
                ]
            }
        return try table(
            "commitments",
            columns: ["date", "scope", "actor", "framework", "commitment", "status", "new", "link"],
            rows: rows, empty: words.text("workbook.commitments.empty"))
    }

    /// Voluntary National Reviews of the period's years.
    func reviews() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = digest.vnr.reviews.map { review in
            [
                .year(review.year), .text(words.regionName(code: review.country.alpha2, english: review.country.name)),
                .text(review.country.alpha3), .text(words.regionName(review.country.region)),
                .wrappedText(review.engagements[words.language] ?? review.engagement ?? ""), .text(review.lead ?? ""),
                review.sdg16.map(yesNo) ?? .text(""),
                .wrappedText(review.notesByLanguage[words.language] ?? review.notes ?? ""),
            ]
        }
        return try table(
            "vnr", columns: ["year", "country", "code", "region", "engagement", "lead", "sdg16", "notes"],
            rows: rows, empty: words.text("workbook.vnr.empty"))
    }

    /// One row per month: signatures by source, in all, and new.
    func petition(_ layout: PetitionTable) throws(XLSXError) -> [String] {
        let sheet = try workbook.addWorksheet(named: words.text("workbook.sheet.petition"))
        var writer = SheetWriter(sheet: sheet, style: style, words: words)
        try writer.table(
            headers: layout.headers, rows: layout.sources.isEmpty ? [] : layout.rows, page: page,
            notes: layout.sources.isEmpty ? [] : layout.notes, empty: words.text("workbook.petition.empty"))
        return writer.warnings
    }

    /// Events starting in the period, then those of the two months after it
    /// under a "Coming up" heading.
    func events() throws(XLSXError) -> [String] {
        func row(_ event: Event) -> [ReportCell] {
            // Only the month while the dates were not given yet.
            let known = event.asKnown(by: period.lastDay)
            return [
                known.monthOnly ? .month(event.start.yearMonth) : .date(event.start),
                known.monthOnly ? .empty : event.end.map(ReportCell.date) ?? .empty,
                .wrappedText(event.titles[words.language] ?? event.title),
                .text(event.locations[words.language] ?? DigestView.place(event, words: words) ?? ""), link(event.url),
            ]
        }
        // Only what was known by the period's end, as in the digests.
        let sorted = dataset.events.filter { $0.isKnown(by: period.lastDay) }.sorted { $0.start < $1.start }
        let inPeriod = sorted.filter { period.contains($0.start) }
        let end = period.last.adding(months: 2).lastDay
        let coming = sorted.filter { period.lastDay < $0.start && $0.start <= end }
        var rows = inPeriod.map(row)
        let label = period.label(in: words)
        if inPeriod.isEmpty { rows.append([.text(words.text("workbook.events.none", ["period": label]))]) }
        if !coming.isEmpty {
            rows.append([.label(words.text("workbook.events.coming", ["period": label]))])
            rows += coming.map(row)
        }
        return try table("events", columns: ["start", "end", "event", "location", "link"], rows: rows)
    }

    /// Ways to get involved that were open at some time in the period, as
    /// known by its end: announced by then, with the deadline known then.
    func actions() throws(XLSXError) -> [String] {
        let known = dataset.actions.compactMap { $0.asKnown(by: period.lastDay) }
        let rows: [[ReportCell]] = known.filter { action in
            (action.from.map { $0 <= period.lastDay } ?? true) && (action.until.map { $0 >= period.firstDay } ?? true)
        }.map { action in
            [
                .wrappedText(action.titles[words.language] ?? action.title),
                .wrappedText(action.detailsByLanguage[words.language] ?? action.details ?? ""),
                link(action.url),
                action.from.map(ReportCell.date) ?? .empty, action.until.map(ReportCell.date) ?? .empty,
                action.isExtended ? yesNo(true) : .text(""),
            ]
        }
        return try table(
            "actions", columns: ["action", "details", "link", "from", "until", "extended"], rows: rows)
    }

    /// Where the coalition is active: every country on a call of the
    /// period, with a commitment up to its end, or with a review in its
    /// years. Grouped as a reader looks for them: a heading row for each
    /// region, the subregion once at the head of its countries, and a
    /// blank where a country has nothing to count.
    func countries() throws(XLSXError) -> [String] {
        var rows: [[ReportCell]] = []
        var region: String?
        var subregion: String?
        func count(_ value: Int?) -> ReportCell { (value ?? 0) == 0 ? .empty : .number(value ?? 0) }
        for item in CountryActivity.of(dataset: dataset, digest: digest) {
            if item.country.region != region {
                region = item.country.region
                subregion = nil
                rows.append([.label(words.regionName(item.country.region))])
            }
            let newSubregion = item.country.subregion != subregion
            subregion = item.country.subregion
            rows.append([
                newSubregion ? .text(words.regionName(item.country.subregion)) : .empty,
                .text(words.regionName(code: item.country.alpha2, english: item.country.name)),
                count(item.callDates.count),
                // A date never breaks over two lines (non-breaking spaces
                // inside it); the list wraps between dates.
                .wrappedText(
                    item.callDates.map {
                        words.date($0, pattern: "format.date.abbreviated").replacingOccurrences(
                            of: " ", with: "\u{00A0}")
                    }.joined(separator: ", ")),
                count(item.commitments[.announced]), count(item.commitments[.inProgress]),
                count(item.commitments[.fulfilled]),
                item.reviewYear.map(ReportCell.year) ?? .empty, .wrappedText(item.engagement ?? ""),
            ])
        }
        return try table(
            "countries",
            columns: [
                "subregion", "country", "calls", "call_dates", "announced", "in_progress", "fulfilled", "vnr_year",
                "engagement",
            ],
            rows: rows, notes: [words.text("workbook.countries.note", ["period": period.label(in: words)])],
            empty: words.text("workbook.countries.empty"), filter: false)
    }
}
