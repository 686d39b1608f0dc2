import Wording
import XLSXWriter

/// The formats of the donor workbook, made once per workbook.
///
/// Counts, years and percentages are right-aligned, and so are their
/// headers; text and dates read from the left, indented one step, so a
/// count is never read together with the name beside it ("41 Netherlands").
struct ReportStyle {
    let title: Format
    let subtitle: Format
    let header: Format
    let headerRight: Format
    let text: Format
    let wrapped: Format
    let date: Format
    let month: Format
    let number: Format
    let year: Format
    let link: Format
    let label: Format
    let kpiLabel: Format
    let kpiValue: Format
    let kpiPercent: Format
    let total: Format
    let totalLabel: Format
    let note: Format

    /// The header rows' fill: the newsletter's green.
    static let green: UInt32 = 0x14532D

    /// - Parameter words: the language's Excel date formats
    ///   (`workbook.format.date`, `workbook.format.month`), with the
    ///   language's locale code in front (``ExcelLocale``), so Excel and
    ///   LibreOffice write the month names in that language whatever the
    ///   reader's own settings.
    init(_ workbook: Workbook, words: Words) {
        let green = Self.green
        title = workbook.addFormat().bold().fontSize(18).fontColor(green)
        subtitle = workbook.addFormat().bold().fontSize(12).fontColor(0x374151)
        // Headers stand in the middle of a row taller than their text
        // (``SheetWriter/headerHeight(_:)``): room above and below, so the
        // first row's figures (read from the top of their cells) never touch
        // them; a step of room from the borders on both sides.
        header = workbook.addFormat().bold().fontColor(0xFFFFFF).fill(green).wrap().alignMiddle().border().indent(1)
        headerRight = workbook.addFormat().bold().fontColor(0xFFFFFF).fill(green).wrap().alignMiddle().border()
            .align(.right).indent(1)
        text = workbook.addFormat().alignTop().indent(1)
        wrapped = workbook.addFormat().wrap().alignTop().indent(1)
        date = workbook.addFormat().numberFormat(ExcelLocale.format(words.text("workbook.format.date"), words: words))
            .alignTop().align(.left).indent(1)
        month = workbook.addFormat().numberFormat(ExcelLocale.format(words.text("workbook.format.month"), words: words))
            .alignTop().align(.left).indent(1)
        number = workbook.addFormat().numberFormat("#,##0").alignTop().align(.right).indent(1)
        year = workbook.addFormat().numberFormat("0").alignTop().align(.right).indent(1)
        link = workbook.addFormat().hyperlink().alignTop().indent(1)
        label = workbook.addFormat().bold().fontColor(green).fill(0xE8F1EB)
        kpiLabel = workbook.addFormat().fontColor(0x374151).border(bottomOnly: true).wrap().alignBottom()
        kpiValue = workbook.addFormat().bold().fontSize(13).numberFormat("#,##0").border(bottomOnly: true)
        kpiPercent = workbook.addFormat().bold().fontSize(13).numberFormat("0.0%").border(bottomOnly: true)
        total = workbook.addFormat().bold().numberFormat("#,##0").fill(0xE8F1EB).border()
        totalLabel = workbook.addFormat().bold().fill(0xE8F1EB).border()
        note = workbook.addFormat().italic().fontColor(0x4B5563)
    }
}
