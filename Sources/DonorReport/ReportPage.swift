import Foundation
import Wording
import XLSXWriter

/// How every sheet of the workbook prints: landscape on the chosen paper,
/// one page wide, with a header naming the coalition, the sheet and the
/// period, and "Page N of M" in the footer, so a loose page still says
/// what it shows.
struct ReportPage {
    let coalition: String
    let period: String
    let paper: Worksheet.Paper
    /// "Page 2 of 5", centred: `&C` and the catalogue's `workbook.footer`,
    /// whose `{page}` and `{pages}` become Excel's `&P` and `&N`.
    let footer: String

    /// `&L` coalition, `&C` the sheet's own name (`&A`), `&R` the period.
    var header: String {
        // Excel allows 255 characters in a header; names are cut well short of it.
        "&L\(Worksheet.headerText(String(coalition.prefix(80))))&C&\"-,Bold\"&A&R\(Worksheet.headerText(String(period.prefix(80))))"
    }

    /// The page setup of a workbook in `words`' language.
    init(coalition: String, period: String, paper: Worksheet.Paper, words: Words) {
        self.coalition = coalition
        self.period = period
        self.paper = paper
        // A & of the text itself is doubled, as Excel's header codes ask.
        let text = words.text("workbook.footer").replacingOccurrences(of: "&", with: "&&")
        footer =
            "&C" + text.replacingOccurrences(of: "{page}", with: "&P").replacingOccurrences(of: "{pages}", with: "&N")
    }

    /// Applies the page setup to `sheet`; `repeatRows` print at the top of
    /// every page, and `onePage` fits the whole sheet to a single page.
    func apply(to sheet: Worksheet, repeatRows: ClosedRange<Int>? = nil, onePage: Bool = false) throws(XLSXError) {
        try sheet.printSetup(
            paper: paper, pagesTall: onePage ? 1 : nil, repeatRows: repeatRows, header: header, footer: footer)
    }
}
