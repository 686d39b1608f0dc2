import CoalitionData
import DigestModel
import MarkdownTree
import XLSXWriter

/// The sheets of records behind the summary, one kind of record each.
struct ReportSheets {
    let workbook: Workbook
    let style: ReportStyle
    let dataset: CoalitionDataset
    let digest: Digest
    let page: ReportPage

    private var period: Period { digest.period }

    private func table(
        _ name: String, headers: [String], rows: [[ReportCell]], notes: [String] = [],
        empty: String = "Nothing in this period."
    ) throws(XLSXError) -> [String] {
        let sheet = try workbook.addWorksheet(named: name)
        var writer = SheetWriter(sheet: sheet, style: style)
        try writer.table(headers: headers, rows: rows, page: page, notes: notes, empty: empty)
        return writer.warnings
    }

    private static func link(_ url: String?, _ text: String) -> ReportCell {
        guard let url else { return .empty }
        return .link(url: url, text: text)
    }

    /// Calls dated in the period, each named as everywhere else
    /// (``CallTitle``). Missing attendance figures stay empty, never 0.
    func calls() throws(XLSXError) -> [String] {
        var unrecorded = false
        let rows: [[ReportCell]] = digest.calls.map { call in
            let sections = call.notes.compactMap { block -> String? in
                if case .heading(_, let inlines) = block { return inlines.map(\.plainText).joined() }
                return nil
            }
            if call.registered == nil || call.attended == nil { unrecorded = true }
            return [
                .date(call.date), .wrappedText(CallTitle.text(call)),
                .text(call.status(reportingThrough: period.lastDay).rawValue),
                call.registered.map(ReportCell.number) ?? .empty, call.attended.map(ReportCell.number) ?? .empty,
                .wrappedText(
                    call.countries.isEmpty
                        ? call.countryCount.map { "\($0) countries (names not recorded)" } ?? ""
                        : call.countries.map(\.name).joined(separator: ", ")),
                .wrappedText(sections.joined(separator: "; ")), Self.link(call.recording, "Recording"),
            ]
        }
        return try table(
            "Calls",
            headers: ["Date", "Call", "Status", "Registered", "Attended", "Countries", "Note sections", "Recording"],
            rows: rows,
            notes: unrecorded
                ? ["An empty Registered or Attended cell: the figure was not recorded for that call."] : [])
    }

    /// Commitments dated up to the end of the period.
    func commitments() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = dataset.commitments.filter { $0.date <= period.lastDay }
            .sorted { $0.date < $1.date }
            .map { item in
                [
                    .date(item.date), .text(item.scope), .text(item.actor.rawValue),
                    .text(item.framework), .wrappedText(item.title), .text(item.status.rawValue),
                    .text(period.contains(item.date) ? "yes" : "no"), Self.link(item.url, "Read"),
                ]
            }
        return try table(
            "Commitments",
            headers: [
                "Date", "Country or region", "Actor", "Framework", "Commitment", "Status", "New in period", "Link",
            ],
            rows: rows, empty: "No commitments up to the end of this period.")
    }

    /// Voluntary National Reviews of the period's years.
    func reviews() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = digest.vnr.reviews.map { review in
            [
                .year(review.year), .text(review.country.name), .text(review.country.alpha3),
                .text(review.country.region), .wrappedText(review.engagement ?? ""), .text(review.lead ?? ""),
                .text(review.sdg16.map { $0 ? "yes" : "no" } ?? ""), .wrappedText(review.notes ?? ""),
            ]
        }
        return try table(
            "VNR", headers: ["Year", "Country", "ISO code", "Region", "Engagement", "Lead", "SDG 16", "Notes"],
            rows: rows, empty: "No Voluntary National Reviews are recorded for this period's years.")
    }

    /// One row per month: signatures by source, in all, and new.
    func petition(_ layout: PetitionTable) throws(XLSXError) -> [String] {
        try table(
            "Petition", headers: layout.headers, rows: layout.sources.isEmpty ? [] : layout.rows,
            notes: layout.sources.isEmpty ? [] : layout.notes, empty: "No petition counts are recorded.")
    }

    /// Events starting in the period, then those of the two months after it
    /// under a "Coming up" heading.
    func events() throws(XLSXError) -> [String] {
        func row(_ event: Event) -> [ReportCell] {
            [
                .date(event.start), event.end.map(ReportCell.date) ?? .empty, .wrappedText(event.title),
                .text(event.location ?? ""), Self.link(event.url, "More"),
            ]
        }
        // Only what was known by the period's end, as in the digests.
        let sorted = dataset.events.filter { $0.isKnown(by: period.lastDay) }.sorted { $0.start < $1.start }
        let inPeriod = sorted.filter { period.contains($0.start) }
        let end = period.last.adding(months: 2).lastDay
        let coming = sorted.filter { period.lastDay < $0.start && $0.start <= end }
        var rows = inPeriod.map(row)
        if inPeriod.isEmpty { rows.append([.text("No events in \(period.label).")]) }
        if !coming.isEmpty {
            rows.append([.label("Coming up, after \(period.label)")])
            rows += coming.map(row)
        }
        return try table("Events", headers: ["Start", "End", "Event", "Location", "Link"], rows: rows)
    }

    /// Ways to get involved that were open at some time in the period, as
    /// known by its end: announced by then, with the deadline known then.
    func actions() throws(XLSXError) -> [String] {
        let known = dataset.actions.compactMap { $0.asKnown(by: period.lastDay) }
        let rows: [[ReportCell]] = known.filter { action in
            (action.from.map { $0 <= period.lastDay } ?? true) && (action.until.map { $0 >= period.firstDay } ?? true)
        }.map { action in
            [
                .wrappedText(action.title), .wrappedText(action.details ?? ""), Self.link(action.url, "Open"),
                action.from.map(ReportCell.date) ?? .empty, action.until.map(ReportCell.date) ?? .empty,
                .text(action.isExtended ? "yes" : ""),
            ]
        }
        return try table(
            "Actions", headers: ["Action", "Details", "Link", "From", "Until", "Deadline extended"], rows: rows)
    }

    /// Where the coalition is active: every country on a call of the
    /// period, with a commitment up to its end, or with a review in its
    /// years, sorted by region; one row each.
    func countries() throws(XLSXError) -> [String] {
        let rows = CountryActivity.of(dataset: dataset, digest: digest).map { item -> [ReportCell] in
            [
                .text(item.country.region), .text(item.country.subregion), .text(item.country.name),
                .number(item.callDates.count),
                .wrappedText(
                    item.callDates.map { "\($0.day) \(Phrasing.monthNames[$0.month - 1].prefix(3)) \($0.year)" }.joined(
                        separator: ", ")),
                .number(item.commitments[.announced] ?? 0), .number(item.commitments[.inProgress] ?? 0),
                .number(item.commitments[.fulfilled] ?? 0),
                item.reviewYear.map(ReportCell.year) ?? .empty, .wrappedText(item.engagement ?? ""),
            ]
        }
        return try table(
            "Countries",
            headers: [
                "Region", "Subregion", "Country", "Calls", "Call dates", "Commitments announced",
                "Commitments in progress", "Commitments fulfilled", "VNR year", "Coalition's engagement",
            ],
            rows: rows,
            notes: [
                "Regions are the UN's M49 regions. Calls are those of \(period.label); commitments are all those up to its end; VNRs are those of its years."
            ], empty: "No country appears in this period's records.")
    }
}
