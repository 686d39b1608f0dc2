import XLSXWriter

/// The formats of the donor workbook, made once per workbook.
struct ReportStyle {
    let title: Format
    let subtitle: Format
    let header: Format
    let text: Format
    let wrapped: Format
    let date: Format
    let month: Format
    let number: Format
    let percent: Format
    let link: Format
    let kpiLabel: Format
    let kpiValue: Format
    let kpiPercent: Format
    let total: Format
    let totalLabel: Format
    let note: Format

    init(_ workbook: Workbook) {
        let green: UInt32 = 0x14532D
        title = workbook.addFormat().bold().fontSize(18).fontColor(green)
        subtitle = workbook.addFormat().fontSize(12).fontColor(0x4B5563)
        header = workbook.addFormat().bold().fontColor(0xFFFFFF).fill(green).wrap().alignTop().border()
        text = workbook.addFormat().alignTop()
        wrapped = workbook.addFormat().wrap().alignTop()
        date = workbook.addFormat().numberFormat("yyyy-mm-dd").alignTop().align(.left)
        month = workbook.addFormat().numberFormat("mmm yyyy").align(.left)
        number = workbook.addFormat().numberFormat("#,##0").alignTop()
        percent = workbook.addFormat().numberFormat("0.0%").alignTop()
        link = workbook.addFormat().hyperlink().alignTop()
        kpiLabel = workbook.addFormat().fontColor(0x374151).border(bottomOnly: true)
        kpiValue = workbook.addFormat().bold().fontSize(13).numberFormat("#,##0").border(bottomOnly: true)
        kpiPercent = workbook.addFormat().bold().fontSize(13).numberFormat("0.0%").border(bottomOnly: true)
        total = workbook.addFormat().bold().numberFormat("#,##0").fill(0xE8F1EB).border()
        totalLabel = workbook.addFormat().bold().fill(0xE8F1EB).border()
        note = workbook.addFormat().italic().fontColor(0x6B7280)
    }
}
