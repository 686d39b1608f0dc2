import Testing

@testable import DonorReport

/// The line counts LibreOffice gave the 2019 workbook's commitments in a
/// column of width 30 (read from its PDF), predicted without it.
@Suite("Rows sized as the readers lay out wrapped text")
struct CellTextLayoutTests {
    let layout = CellTextLayout()

    @Test(
        "LibreOffice's line counts in a column of width 30",
        arguments: [
            ("Government-funded legal education programme announced", 2),
            ("New government's informal commitments on justice", 2),
            ("Declaration of Villa Inflamable for access to justice and legal empowerment for all", 3),
            (
                "Escazú Agreement opens for signature, the region's first binding protection for environmental defenders",
                4
            ),
            ("The Elders launch an access-to-justice programme supporting grassroots justice defenders", 3),
            ("Commitments to close the justice gap highlighted at the World Justice Forum", 3),
            ("Coalition of the willing on access to justice within OGP", 2),
            ("OGP Acceleration Action on justice", 1),
        ])
    func lineCounts(text: String, lines: Int) {
        #expect(layout.lines(text, columnWidth: 30) == lines)
    }

    @Test("a hyphenated word breaks after its hyphen, a word wider than the line where it overflows")
    func breaks() {
        let pieces = CellTextLayout.pieces("an access-to-justice plan").map { "\($0.text)\($0.joined ? "+" : "")" }
        #expect(pieces == ["an", "access-", "to-+", "justice+", "plan"])
        #expect(layout.lines(String(repeating: "x", count: 100), columnWidth: 10) > 5)
        #expect(layout.lines("one\ntwo", columnWidth: 30) == 2)
    }

    @Test("a row's height: 13 points a line and 2 of margin; a wider column needs fewer lines")
    func heights() {
        #expect(layout.height(lines: 1) == 15)
        #expect(layout.height(lines: 4) == 54)
        let text = "Rome Civil Society Declaration on SDG 16+, signed by more than 60 organisations"
        #expect(layout.lines(text, columnWidth: 60) < layout.lines(text, columnWidth: 20))
        // LibreOffice's column of width 30 is 228 pixels (30.71 digits of Carlito's 7.43).
        #expect(abs(CellTextLayout.pixels(ofColumnWidth: 30) - 228.3) < 0.5)
    }
}
