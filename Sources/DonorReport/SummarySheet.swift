import CoalitionData
import DigestModel
import Wording
import XLSXWriter

/// The first sheet, one printed page for a period of up to a year: title,
/// key figures, commitments by status and by framework, the month-by-month
/// table with totals by formula, then three charts below the table.
struct SummarySheet {
    let sheet: Worksheet
    let workbook: Workbook
    let style: ReportStyle
    let digest: Digest
    let page: ReportPage
    let petition: PetitionTable
    let words: Words

    /// A sheet as a defined name's formula writes it: bare when it is
    /// letters and digits, quoted otherwise.
    static func reference(_ sheet: String) -> String {
        sheet.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? sheet : CellAddress.quoted(sheet)
    }

    func write() throws(XLSXError) -> [String] {
        var writer = SheetWriter(sheet: sheet, style: style, words: words)
        let coalition = digest.coalition
        let period = digest.period
        let months = digest.months
        let summaryName = words.text("workbook.sheet.summary")
        let petitionName = words.text("workbook.sheet.petition")
        let commitmentsHeader = words.text("workbook.summary.commitments")

        try sheet.merge(
            words.text("workbook.summary.title", ["coalition": coalition.name]), firstRow: 0, firstColumn: 0,
            lastRow: 0, lastColumn: 7, format: style.title)
        try sheet.setRow(0, height: 28)
        _ = try sheet.write(period.label(in: words), row: 1, column: 0, format: style.subtitle)
        let through = words.text("workbook.summary.through", ["date": words.date(period.lastDay)])
        _ = try sheet.write(
            [coalition.organizer, through].compactMap { $0 }.joined(separator: " · "), row: 2, column: 0,
            format: style.note)

        // The key figures, commitments by status and by framework stand
        // side by side from row 5; the month-by-month table follows after a
        // blank row (the key figures refer to it, so its place comes first).
        // Every framework by its name, no "Other" bar: a donor reads each.
        let frameworks = digest.commitments.byFramework.map {
            Tally(name: digest.frameworkNames[$0.name] ?? $0.name, count: $0.count)
        }
        let goal = coalition.petition?.goal
        let showsPetition = goal != nil && digest.petition != nil
        let kpiCount = 4 + (digest.vnr.presenting == nil ? 1 : 2) + (showsPetition ? 4 : 0)
        let blocksEnd = 4 + max(kpiCount, CommitmentStatus.allCases.count + 1, max(frameworks.count, 1) + 1)
        let tableTop = blocksEnd + 3
        let firstMonthRow = tableTop + 1
        let lastMonthRow = tableTop + months.count
        let totalRow = lastMonthRow + 1
        let headers = ["month", "calls", "registered", "attended", "new_commitments", "new_signatures", "signatures"]
            .map { words.text("workbook.summary.table.\($0)") }
        _ = try sheet.write(
            words.text("workbook.summary.table"), row: tableTop - 1, column: 0, format: style.subtitle)
        for (column, header) in headers.enumerated() {
            try sheet.write(
                header, row: tableTop, column: column, format: column == 0 ? style.header : style.headerRight)
            writer.widths.fit(header, column: column)
        }
        for (offset, figures) in months.enumerated() {
            let row = firstMonthRow + offset
            try writer.write(.month(figures.month), row: row, column: 0)
            try writer.write(.number(figures.callsHeld), row: row, column: 1)
            try writer.write(figures.registered.map(ReportCell.number) ?? .empty, row: row, column: 2)
            try writer.write(figures.attended.map(ReportCell.number) ?? .empty, row: row, column: 3)
            try writer.write(.number(figures.newCommitments), row: row, column: 4)
            try writer.write(.number(figures.newSignatures), row: row, column: 5)
            try writer.write(.number(figures.signatures), row: row, column: 6)
        }
        _ = try sheet.write(
            words.text("workbook.summary.table.total"), row: totalRow, column: 0, format: style.totalLabel)
        func sum(_ column: Int, _ cached: Int) throws(XLSXError) {
            let letter = CellAddress.column(column)
            try sheet.write(
                formula: "=SUM(\(letter)\(firstMonthRow + 1):\(letter)\(lastMonthRow + 1))", cached: Double(cached),
                row: totalRow, column: column, format: style.total)
        }
        try sum(1, months.reduce(0) { $0 + $1.callsHeld })
        try sum(2, months.reduce(0) { $0 + ($1.registered ?? 0) })
        try sum(3, months.reduce(0) { $0 + ($1.attended ?? 0) })
        try sum(4, months.reduce(0) { $0 + $1.newCommitments })
        try sum(5, months.reduce(0) { $0 + $1.newSignatures })
        try sheet.write(
            formula: "=G\(lastMonthRow + 1)", cached: Double(months.last?.signatures ?? 0), row: totalRow, column: 6,
            format: style.total)
        if months.contains(where: { $0.registered == nil || $0.attended == nil }) {
            _ = try sheet.write(
                words.text("workbook.summary.table.note"), row: totalRow + 1, column: 0, format: style.note)
        }

        // Key figures, by formula where the table has them.
        _ = try sheet.write(words.text("workbook.summary.key_figures"), row: 4, column: 0, format: style.subtitle)
        var kpiRow = 5
        var kpiLabels: [String] = []
        func kpi(_ label: String, formula: String?, value: Double, percent: Bool = false) throws(XLSXError) {
            _ = try sheet.write(label, row: kpiRow, column: 0, format: style.kpiLabel)
            kpiLabels.append(label)
            let format = percent ? style.kpiPercent : style.kpiValue
            if let formula {
                try sheet.write(formula: formula, cached: value, row: kpiRow, column: 1, format: format)
            } else {
                try sheet.write(number: value, row: kpiRow, column: 1, format: format)
            }
            kpiRow += 1
        }
        let total = totalRow + 1
        func label(_ key: String, _ values: [String: String] = [:]) -> String {
            words.text("workbook.summary.kpi.\(key)", values)
        }
        try kpi(label("calls"), formula: "=B\(total)", value: Double(months.reduce(0) { $0 + $1.callsHeld }))
        try kpi(
            label("attending"), formula: "=D\(total)", value: Double(months.reduce(0) { $0 + ($1.attended ?? 0) }))
        try kpi(label("new_commitments"), formula: "=E\(total)", value: Double(digest.commitments.new.count))
        try kpi(label("commitments"), formula: nil, value: Double(digest.commitments.total))
        // Two figures, not one long label: the countries presenting, then
        // those the coalition engaged with.
        let vnrYears = digest.vnr.years.map(String.init).joined(separator: "–")
        if let presenting = digest.vnr.presenting {
            try kpi(label("vnr_presenting", ["years": vnrYears]), formula: nil, value: Double(presenting))
        }
        try kpi(label("vnr", ["years": vnrYears]), formula: nil, value: Double(digest.vnr.engagedCount))
        if let goal, let progress = digest.petition {
            try kpi(label("signatures"), formula: "=G\(total)", value: Double(progress.total))
            let signaturesRow = kpiRow
            try kpi(label("new_signatures"), formula: "=F\(total)", value: Double(progress.new))
            try kpi(label("goal"), formula: nil, value: Double(goal))
            let goalRow = kpiRow
            try kpi(
                label("share"), formula: "=B\(signaturesRow)/B\(goalRow)",
                value: Double(progress.total) / Double(goal), percent: true)
            // Defined names are for formulas, not readers: they stay as they are.
            try workbook.defineName("Goal", formula: "=\(Self.reference(summaryName))!$B$\(goalRow)")
            try workbook.defineName("SignaturesAtEnd", formula: "=\(Self.reference(summaryName))!$B$\(signaturesRow)")
        }

        // Commitments by status (what a donor asks first), then by framework.
        let statusTop = 5
        _ = try sheet.write(
            words.text("workbook.summary.by_status"), row: statusTop - 1, column: 3, format: style.subtitle)
        try sheet.write(words.text("workbook.summary.status"), row: statusTop, column: 3, format: style.header)
        try sheet.write(commitmentsHeader, row: statusTop, column: 4, format: style.headerRight)
        let counts = Dictionary(digest.commitments.byStatus.map { ($0.name, $0.count) }, uniquingKeysWith: +)
        for (offset, status) in CommitmentStatus.allCases.enumerated() {
            try writer.write(
                .text(words.capitalized(words.value("status", status.rawValue))),
                row: statusTop + 1 + offset, column: 3)
            try writer.write(.number(counts[status.rawValue] ?? 0), row: statusTop + 1 + offset, column: 4)
        }
        let statusRows = CommitmentStatus.allCases.count

        let frameworkTop = 5
        _ = try sheet.write(
            words.text("workbook.summary.by_framework"), row: frameworkTop - 1, column: 6, format: style.subtitle)
        try sheet.write(words.text("workbook.summary.framework"), row: frameworkTop, column: 6, format: style.header)
        try sheet.write(commitmentsHeader, row: frameworkTop, column: 7, format: style.headerRight)
        for (offset, tally) in frameworks.enumerated() {
            try writer.write(.text(tally.name), row: frameworkTop + 1 + offset, column: 6)
            try writer.write(.number(tally.count), row: frameworkTop + 1 + offset, column: 7)
        }
        if frameworks.isEmpty {
            _ = try sheet.write(
                words.text("workbook.summary.none_yet"), row: frameworkTop + 1, column: 6, format: style.note)
        }

        // Charts, in a row below the table, placed once the widths are known.
        let chartRow = totalRow + 3
        var charts: [Chart] = []
        if !petition.sources.isEmpty {
            let chart = try workbook.addChart(.line)
            let signatures = words.text("workbook.chart.signatures")
            chart.title(
                goal.map { words.text("workbook.chart.signatures.goal", ["goal": words.number($0)]) } ?? signatures,
                fontSize: Self.chartTitleSize)
            if petition.showsContext {
                chart.axisNames(
                    x: words.text("workbook.chart.twelve_months", ["month": words.month(period.last)]), y: nil)
            }
            let categories = CellAddress.range(
                sheet: petitionName, firstRow: petition.firstRow, firstColumn: 0, lastRow: petition.lastRow,
                lastColumn: 0)
            try chart.addSeries(
                name: signatures, categories: categories,
                values: CellAddress.range(
                    sheet: petitionName, firstRow: petition.firstRow, firstColumn: petition.totalColumn,
                    lastRow: petition.lastRow, lastColumn: petition.totalColumn),
                color: 0x16A34A)
            if let column = petition.periodColumn {
                try chart.addSeries(
                    name: period.label(in: words), categories: categories,
                    values: CellAddress.range(
                        sheet: petitionName, firstRow: petition.firstRow, firstColumn: column,
                        lastRow: petition.lastRow, lastColumn: column))
                chart.markers(size: 8, color: 0x14532D, lineless: true)
            }
            // The goal as a dashed line: the axis reaches it, so a donor
            // sees how far the signatures are from it.
            if let column = petition.goalColumn, let goal {
                try chart.addSeries(
                    name: words.text("workbook.petition.goal"), categories: categories,
                    values: CellAddress.range(
                        sheet: petitionName, firstRow: petition.firstRow, firstColumn: column,
                        lastRow: petition.lastRow, lastColumn: column),
                    color: 0x9A3412, dashed: true)
                chart.valueAxis(from: 0, to: Double(goal), format: "#,##0")
            } else {
                chart.valueAxis(from: 0, format: "#,##0")
            }
            chart.categoryAxisFormat(ExcelLocale.format(words.text("workbook.format.chart_month"), words: words))
            chart.legend(bottom: petition.showsContext || petition.goalColumn != nil)
            charts.append(chart)
        }
        let statusChart = try workbook.addChart(.column)
        statusChart.title(words.text("workbook.chart.by_status"), fontSize: Self.chartTitleSize)
        try statusChart.addSeries(
            name: commitmentsHeader,
            categories: CellAddress.range(
                sheet: summaryName, firstRow: statusTop + 1, firstColumn: 3, lastRow: statusTop + statusRows,
                lastColumn: 3),
            values: CellAddress.range(
                sheet: summaryName, firstRow: statusTop + 1, firstColumn: 4, lastRow: statusTop + statusRows,
                lastColumn: 4),
            color: 0x14532D)
        statusChart.dataLabels()
        statusChart.valueAxis(from: 0, format: "0")
        statusChart.legend(bottom: false)
        charts.append(statusChart)
        if !frameworks.isEmpty {
            let chart = try workbook.addChart(.bar)
            // The largest frameworks, each by its name at 8 points; more bars
            // than that would not keep a label each. The title says so, and
            // the table beside lists every framework: no "Other" bar.
            let bars = min(frameworks.count, Self.frameworkBars)
            chart.title(
                frameworks.count > bars
                    ? words.text("workbook.chart.by_framework.largest", ["count": words.number(bars)])
                    : words.text("workbook.chart.by_framework"),
                fontSize: Self.chartTitleSize)
            try chart.addSeries(
                name: commitmentsHeader,
                categories: CellAddress.range(
                    sheet: summaryName, firstRow: frameworkTop + 1, firstColumn: 6,
                    lastRow: frameworkTop + bars, lastColumn: 6),
                values: CellAddress.range(
                    sheet: summaryName, firstRow: frameworkTop + 1, firstColumn: 7,
                    lastRow: frameworkTop + bars, lastColumn: 7),
                color: 0x14532D)
            chart.dataLabels()
            chart.valueAxis(from: 0, format: "0")
            chart.categoryAxis(everyLabel: true, topDown: true, fontSize: 8)
            chart.legend(bottom: false)
            charts.append(chart)
        }

        // Column A holds the key figures' labels whole, up to 44 characters'
        // width; a longer label wraps and its row grows.
        let kpiLayout = CellTextLayout(indent: 0)
        for label in kpiLabels {
            writer.widths.fit(width: min(44, kpiLayout.columnWidth(label)), column: 0)
        }
        for column in 1...7 { writer.widths.fit(commitmentsHeader, column: column) }
        try writer.applyWidths()
        for (row, text) in zip(5..., kpiLabels) {
            let lines = kpiLayout.lines(text, columnWidth: writer.widths.width(0))
            if lines > 1 { try sheet.setRow(row, height: kpiLayout.height(lines: lines)) }
        }
        try sheet.setRow(tableTop, height: writer.headerHeight(headers))
        try placeCharts(charts, row: chartRow, widths: writer.widths)
        sheet.freezePanes(row: 3, column: 0)
        // One page when the table is a year or less; longer periods print
        // one page wide, as many tall as they need, with 8 pt text or more.
        try page.apply(to: sheet, onePage: months.count <= 12)
        return writer.warnings
    }

    /// The charts' titles, in points: on one line each, so the plots keep
    /// the height a bar's label needs at 8 points.
    static let chartTitleSize = 11.0
    /// At most this many bars in the frameworks chart (the table lists all).
    static let frameworkBars = 8

    /// The charts side by side, evenly spaced and never touching: together
    /// as wide as the table above them, or as three charts of a readable
    /// width (360 pixels) need.
    ///
    /// A chart is anchored to cells, and the readers size columns
    /// differently (Excel: 7 pixels a digit and 5 of padding, rounded;
    /// LibreOffice: the width libxlsxwriter writes, in Carlito's digits of
    /// 7.43 pixels), so a chart over wide columns comes out wider in one
    /// than in the other. Positions are
    /// worked out in LibreOffice's pixels and handed to libxlsxwriter as
    /// the same column and offset in Excel's: LibreOffice shows the charts
    /// exactly even, Excel within a few pixels.
    func placeCharts(_ charts: [Chart], row: Int, widths: ColumnWidths) throws(XLSXError) {
        guard !charts.isEmpty else { return }
        // Columns past the table have the sheet's default width.
        func width(_ column: Int) -> Double { column <= 7 ? widths.width(column) : 8.43 }
        func excel(_ column: Int) -> Double { (width(column) * 7).rounded() + 5 }
        func libreOffice(_ column: Int) -> Double { CellTextLayout.pixels(ofColumnWidth: width(column)) }
        /// The point `x` (LibreOffice pixels from column A) in Excel's pixels:
        /// the same column, the same offset into it.
        func excelPosition(_ x: Double) -> Double {
            var rest = x
            var column = 0
            var start = 0.0
            while rest >= libreOffice(column) {
                rest -= libreOffice(column)
                start += excel(column)
                column += 1
            }
            return start + min(rest, excel(column) - 1)
        }
        let gap = 24.0
        let table = (0...7).reduce(0.0) { $0 + libreOffice($1) }
        let band = max(table, 360 * 3 + gap * 2)
        let chartWidth = ((band - gap * Double(charts.count - 1)) / Double(charts.count)).rounded(.down)
        for (index, chart) in charts.enumerated() {
            let start = Double(index) * (chartWidth + gap)
            let left = excelPosition(start)
            let right = excelPosition(start + chartWidth)
            try sheet.insert(
                chart, row: row, column: 0, xScale: (right - left) / 480, yScale: 0.68, xOffset: Int(left.rounded()))
        }
    }
}
