import XLSXWriter

/// How every sheet of the workbook prints: landscape on the chosen paper,
/// one page wide, with a header naming the coalition, the sheet and the
/// period, and "Page N of M" in the footer, so a loose page still says
/// what it shows.
struct ReportPage {
    let coalition: String
    let period: String
    let paper: Worksheet.Paper

    /// `&L` coalition, `&C` the sheet's own name (`&A`), `&R` the period.
    var header: String {
        // Excel allows 255 characters in a header; names are cut well short of it.
        "&L\(Worksheet.headerText(String(coalition.prefix(80))))&C&\"-,Bold\"&A&R\(Worksheet.headerText(String(period.prefix(80))))"
    }

    /// "Page 2 of 5", centred.
    let footer = "&CPage &P of &N"

    /// Applies the page setup to `sheet`; `repeatRows` print at the top of
    /// every page, and `onePage` fits the whole sheet to a single page.
    func apply(to sheet: Worksheet, repeatRows: ClosedRange<Int>? = nil, onePage: Bool = false) throws(XLSXError) {
        try sheet.printSetup(
            paper: paper, pagesTall: onePage ? 1 : nil, repeatRows: repeatRows, header: header, footer: footer)
    }
}
