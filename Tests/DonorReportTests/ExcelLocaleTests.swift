import DigestTestSupport
import Foundation
import Testing
import Wording

@testable import DonorReport

@Suite("The workbook's date formats carry the language's locale code")
struct ExcelLocaleTests {
    static let folder = repositoryRoot.appendingPathComponent("templates/words").path

    @Test(
        "from the language's locale, no table: French, Spain's and Mexico's Spanish, British English",
        arguments: [("fr", "[$-40C]"), ("es", "[$-C0A]"), ("es-MX", "[$-80A]"), ("en", "[$-809]")])
    func codes(language: String, prefix: String) throws {
        let words = try Words.load(folder: Self.folder, language: language)
        #expect(ExcelLocale.format("d mmm yyyy", words: words) == prefix + "d mmm yyyy")
    }

    @Test("a format that names its own locale keeps it")
    func kept() throws {
        let words = try Words.load(folder: Self.folder, language: "fr")
        #expect(ExcelLocale.format("[$-407]mmm yyyy", words: words) == "[$-407]mmm yyyy")
    }
}
