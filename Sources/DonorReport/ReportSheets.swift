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

    private var period: Period { digest.period }

    private func table(
        _ name: String, headers: [String], rows: [[ReportCell]], excelTable: String? = nil
    ) throws(XLSXError) -> [String] {
        let sheet = try workbook.addWorksheet(named: name)
        var writer = SheetWriter(sheet: sheet, style: style)
        try writer.table(headers: headers, rows: rows, excelTable: excelTable)
        return writer.warnings
    }

    private static func link(_ url: String?, _ text: String) -> ReportCell {
        guard let url else { return .empty }
        return .link(url: url, text: text)
    }

    /// Calls dated in the period.
    func calls() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = digest.calls.map { call in
            let sections = call.notes.compactMap { block -> String? in
                if case .heading(_, let inlines) = block { return inlines.map(\.plainText).joined() }
                return nil
            }
            return [
                .date(call.date), .wrappedText(call.title ?? ""),
                .text(call.status(reportingThrough: period.lastDay).rawValue),
                Self.link(call.recording, "Recording"),
                call.registered.map(ReportCell.number) ?? .empty, call.attended.map(ReportCell.number) ?? .empty,
                .wrappedText(call.countries.map(\.name).joined(separator: ", ")),
                .wrappedText(sections.joined(separator: "; ")),
            ]
        }
        return try table(
            "Calls",
            headers: ["Date", "Title", "Status", "Recording", "Registered", "Attended", "Countries", "Note sections"],
            rows: rows)
    }

    /// Commitments dated up to the end of the period, as an Excel table.
    func commitments() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = dataset.commitments.filter { $0.date <= period.lastDay }
            .sorted { $0.date < $1.date }
            .map { item in
                [
                    .date(item.date), .text(item.country?.name ?? "Global"), .text(item.actor.rawValue),
                    .text(item.framework), .wrappedText(item.title), .text(item.status.rawValue),
                    .text(period.contains(item.date) ? "yes" : "no"), Self.link(item.url, "Read"),
                ]
            }
        return try table(
            "Commitments",
            headers: ["Date", "Country", "Actor", "Framework", "Commitment", "Status", "New in period", "Link"],
            rows: rows, excelTable: "Commitments")
    }

    /// Voluntary National Reviews of the period's years.
    func reviews() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = digest.vnr.reviews.map { review in
            [
                .number(review.year), .text(review.country.name), .text(review.country.alpha3),
                .text(review.country.region), .wrappedText(review.engagement ?? ""), .text(review.lead ?? ""),
                .text(review.sdg16.map { $0 ? "yes" : "no" } ?? ""), .wrappedText(review.notes ?? ""),
            ]
        }
        return try table(
            "VNR", headers: ["Year", "Country", "ISO code", "Region", "Engagement", "Lead", "SDG 16", "Notes"],
            rows: rows)
    }

    /// Monthly new signatures and running totals, by source and for all.
    func petition() throws(XLSXError) -> [String] {
        let series = PetitionSeries(dataset.petition)
        var rows: [[ReportCell]] = []
        for month in period.months {
            for source in series.sourceNames {
                let total = series.total(of: source, at: month.lastDay)
                let before = series.total(of: source, at: month.previous.lastDay)
                rows.append([.month(month), .text(source), .number(total - before), .number(total)])
            }
            let total = series.total(at: month.lastDay)
            rows.append([
                .month(month), .text("All sources"), .number(total - series.total(at: month.previous.lastDay)),
                .number(total),
            ])
        }
        return try table("Petition", headers: ["Month", "Source", "New signatures", "Running total"], rows: rows)
    }

    /// Events starting in the period or the two months after it.
    func events() throws(XLSXError) -> [String] {
        let end = period.last.adding(months: 2).lastDay
        let rows: [[ReportCell]] = dataset.events.filter { period.firstDay <= $0.start && $0.start <= end }
            .sorted { $0.start < $1.start }
            .map { event in
                [
                    .date(event.start), event.end.map(ReportCell.date) ?? .empty, .wrappedText(event.title),
                    .text(event.location ?? ""), Self.link(event.url, "More"),
                ]
            }
        return try table("Events", headers: ["Start", "End", "Event", "Location", "Link"], rows: rows)
    }

    /// Ways to get involved that were open at some time in the period.
    func actions() throws(XLSXError) -> [String] {
        let rows: [[ReportCell]] = dataset.actions.filter { action in
            (action.from.map { $0 <= period.lastDay } ?? true) && (action.until.map { $0 >= period.firstDay } ?? true)
        }.map { action in
            [
                .wrappedText(action.title), .wrappedText(action.details ?? ""), Self.link(action.url, "Open"),
                action.from.map(ReportCell.date) ?? .empty, action.until.map(ReportCell.date) ?? .empty,
            ]
        }
        return try table("Actions", headers: ["Action", "Details", "Link", "From", "Until"], rows: rows)
    }
}
