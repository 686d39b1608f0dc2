import CoalitionData
import DigestModel
import XLSXWriter

/// The first sheet: title, key figures, month-by-month table with totals by
/// formula, commitments by framework, and two charts.
struct SummarySheet {
    let sheet: Worksheet
    let workbook: Workbook
    let style: ReportStyle
    let digest: Digest

    func write() throws(XLSXError) -> [String] {
        var writer = SheetWriter(sheet: sheet, style: style)
        let coalition = digest.coalition
        let period = digest.period
        let months = digest.months

        try sheet.merge(
            "\(coalition.name) — donor report", firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 7,
            format: style.title)
        try sheet.setRow(0, height: 28)
        try sheet.write(period.label, row: 1, column: 0, format: style.subtitle)
        let through = "Figures up to \(Phrasing.date(period.lastDay))"
        try sheet.write(
            [coalition.organizer, through].compactMap { $0 }.joined(separator: " · "), row: 2, column: 0,
            format: style.subtitle)

        // Month-by-month table first (the key figures refer to it).
        let tableTop = 16
        let firstMonthRow = tableTop + 1
        let lastMonthRow = tableTop + months.count
        let totalRow = lastMonthRow + 1
        let headers = [
            "Month", "Calls held", "Registered", "Attended", "New commitments", "New signatures", "Signatures", "Goal",
        ]
        try sheet.write("Month by month", row: tableTop - 1, column: 0, format: style.subtitle)
        for (column, header) in headers.enumerated() {
            try sheet.write(header, row: tableTop, column: column, format: style.header)
            writer.widths.fit(header, column: column)
        }
        try sheet.setRow(tableTop, height: 20)
        let goal = coalition.petition?.goal
        for (offset, figures) in months.enumerated() {
            let row = firstMonthRow + offset
            try writer.write(.month(figures.month), row: row, column: 0)
            try writer.write(.number(figures.callsHeld), row: row, column: 1)
            try writer.write(figures.registered.map(ReportCell.number) ?? .empty, row: row, column: 2)
            try writer.write(figures.attended.map(ReportCell.number) ?? .empty, row: row, column: 3)
            try writer.write(.number(figures.newCommitments), row: row, column: 4)
            try writer.write(.number(figures.newSignatures), row: row, column: 5)
            try writer.write(.number(figures.signatures), row: row, column: 6)
            if let goal { try writer.write(.number(goal), row: row, column: 7) }
        }
        try sheet.write("Total", row: totalRow, column: 0, format: style.totalLabel)
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
        let endSignatures = months.last?.signatures ?? 0
        try sheet.write(
            formula: "=G\(lastMonthRow + 1)", cached: Double(endSignatures), row: totalRow, column: 6,
            format: style.total)
        if let goal {
            try sheet.write(number: Double(goal), row: totalRow, column: 7, format: style.total)
        } else {
            try sheet.writeBlank(row: totalRow, column: 7, format: style.total)
        }

        // Key figures, by formula where the table has them.
        try sheet.write("Key figures", row: 4, column: 0, format: style.subtitle)
        var kpiRow = 5
        func kpi(_ label: String, formula: String?, value: Double, percent: Bool = false) throws(XLSXError) {
            try sheet.write(label, row: kpiRow, column: 0, format: style.kpiLabel)
            let format = percent ? style.kpiPercent : style.kpiValue
            if let formula {
                try sheet.write(formula: formula, cached: value, row: kpiRow, column: 1, format: format)
            } else {
                try sheet.write(number: value, row: kpiRow, column: 1, format: format)
            }
            kpiRow += 1
        }
        let total = totalRow + 1
        try kpi("Calls held", formula: "=B\(total)", value: Double(months.reduce(0) { $0 + $1.callsHeld }))
        try kpi(
            "People attending calls", formula: "=D\(total)", value: Double(months.reduce(0) { $0 + ($1.attended ?? 0) })
        )
        try kpi("New commitments in the period", formula: "=E\(total)", value: Double(digest.commitments.new.count))
        try kpi("Commitments tracked to date", formula: nil, value: Double(digest.commitments.total))
        try kpi(
            "VNR countries engaged (\(digest.vnr.years.map(String.init).joined(separator: "–")))", formula: nil,
            value: Double(digest.vnr.engagedCount))
        if let goal, let petition = digest.petition {
            try kpi("Signatures at the end of the period", formula: "=G\(total)", value: Double(petition.total))
            let signaturesRow = kpiRow
            try kpi("New signatures in the period", formula: "=F\(total)", value: Double(petition.new))
            try kpi("Petition goal", formula: nil, value: Double(goal))
            let goalRow = kpiRow
            try kpi(
                "Share of the goal reached", formula: "=B\(signaturesRow)/B\(goalRow)",
                value: Double(petition.total) / Double(goal), percent: true)
            try workbook.defineName("Goal", formula: "=Summary!$B$\(goalRow)")
            try workbook.defineName("SignaturesAtEnd", formula: "=Summary!$B$\(signaturesRow)")
        }

        // Commitments by framework, up to the end of the period.
        let frameworkTop = totalRow + 3
        try sheet.write("Commitments by framework, to date", row: frameworkTop - 1, column: 0, format: style.subtitle)
        try sheet.write("Framework", row: frameworkTop, column: 0, format: style.header)
        try sheet.write("Commitments", row: frameworkTop, column: 1, format: style.header)
        let frameworks = digest.commitments.byFramework
        for (offset, tally) in frameworks.enumerated() {
            try writer.write(.text(tally.name), row: frameworkTop + 1 + offset, column: 0)
            try writer.write(.number(tally.count), row: frameworkTop + 1 + offset, column: 1)
        }

        // Charts, to the right of the figures.
        if goal != nil, !months.isEmpty {
            let chart = try workbook.addChart(.line)
            chart.title("Signatures and the goal")
            let categories = CellAddress.range(
                sheet: "Summary", firstRow: firstMonthRow, firstColumn: 0, lastRow: lastMonthRow, lastColumn: 0)
            try chart.addSeries(
                name: "Signatures", categories: categories,
                values: CellAddress.range(
                    sheet: "Summary", firstRow: firstMonthRow, firstColumn: 6, lastRow: lastMonthRow, lastColumn: 6),
                color: 0x16A34A)
            try chart.addSeries(
                name: "Goal", categories: categories,
                values: CellAddress.range(
                    sheet: "Summary", firstRow: firstMonthRow, firstColumn: 7, lastRow: lastMonthRow, lastColumn: 7),
                color: 0x9CA3AF, dashed: true)
            chart.valueAxisFormat("#,##0")
            chart.categoryAxisFormat("mmm yyyy")
            chart.legend(bottom: true)
            try sheet.insert(chart, row: 4, column: 9, xScale: 1.3, yScale: 1.1)
        }
        if !frameworks.isEmpty {
            let chart = try workbook.addChart(.column)
            chart.title("Commitments by framework")
            try chart.addSeries(
                name: "Commitments",
                categories: CellAddress.range(
                    sheet: "Summary", firstRow: frameworkTop + 1, firstColumn: 0,
                    lastRow: frameworkTop + frameworks.count, lastColumn: 0),
                values: CellAddress.range(
                    sheet: "Summary", firstRow: frameworkTop + 1, firstColumn: 1,
                    lastRow: frameworkTop + frameworks.count, lastColumn: 1),
                color: 0x14532D)
            chart.legend(bottom: false)
            try sheet.insert(chart, row: 22, column: 9, xScale: 1.3, yScale: 1.1)
        }

        writer.widths.fit(String(repeating: "x", count: 34), column: 0)
        for column in 1...7 { writer.widths.fit("Commitments", column: column) }
        try writer.applyWidths()
        sheet.freezePanes(row: 3, column: 0)
        try sheet.printSetup()
        return writer.warnings
    }
}
