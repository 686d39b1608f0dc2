import CoalitionData
import DigestTestSupport
import Foundation
import Testing

@testable import Wording

@Suite("French and Spanish: the catalogues and the locale's words")
struct LanguagesTests {
    static let folder = repositoryRoot.appendingPathComponent("templates/words").path

    @Test(
        "fr.po and es.po hold every entry of en.po, its placeholders and their plural forms", arguments: ["fr", "es"])
    func catalogueComplete(language: String) throws {
        let reference = try Catalogue(path: Self.folder + "/en.po")
        let catalogue = try Catalogue(path: Self.folder + "/\(language).po")
        #expect(CatalogueCheck.problems(catalogue, reference: reference) == [])
        #expect(catalogue.entries.count == reference.entries.count)
    }

    /// fr.po as `edit` leaves it, and what the check says of it against en.po.
    static func frenchEdited(_ edit: (inout String) -> Void) throws -> (Catalogue, [CatalogueCheck.Problem]) {
        let reference = try Catalogue(path: folder + "/en.po")
        var text = try String(contentsOfFile: folder + "/fr.po", encoding: .utf8)
        edit(&text)
        let catalogue = try Catalogue(text: text, file: "fr.po")
        return (catalogue, CatalogueCheck.problems(catalogue, reference: reference))
    }

    @Test("a catalogue with a missing entry, a stray or lost placeholder, too few plural forms: each named at its line")
    func catalogueProblems() throws {
        // Lose an entry, break a placeholder, drop a plural form, leave one empty.
        let (catalogue, problems) = try Self.frenchEdited { text in
            let drop = "msgctxt \"t.coming_up\"\nmsgid \"Coming up\"\nmsgstr \"À venir\"\n"
            #expect(text.contains(drop))
            text = text.replacingOccurrences(of: drop, with: "")
            text = text.replacingOccurrences(
                of: "msgstr \"L’appel du {date} a été annulé\"", with: "msgstr \"L’appel du {jour} a été annulé\"")
            // Only commitments.new_count's second form (other entries say the same words).
            text = text.replacingOccurrences(
                of:
                    "msgstr[0] \"{count} nouvel engagement\"\nmsgstr[1] \"{count} nouveaux engagements\"\n\n#. The commitments section: all",
                with: "msgstr[0] \"{count} nouvel engagement\"\n\n#. The commitments section: all")
            text = text.replacingOccurrences(of: "msgstr \"Site web\"", with: "msgstr \"\"")
        }
        let messages = problems.map(\.message)
        #expect(messages.contains { $0.hasPrefix("the entry t.coming_up is missing") })
        #expect(messages.contains { $0.hasPrefix("call.cancelled: {jour} is not a placeholder of this entry") })
        #expect(messages.contains { $0.hasPrefix("call.cancelled: the translation leaves out {date}") })
        #expect(messages.contains { $0.hasPrefix("commitments.new_count has 1 of the 2 plural forms") })
        #expect(
            problems.contains {
                !$0.isError && $0.message.hasPrefix("1 entry is not translated")
            })
        #expect(problems.filter(\.isError).count == 4)
        // Each at its own line.
        let line = try #require(catalogue.entries.first { $0.key == "call.cancelled" }).line
        #expect(problems.contains { $0.line == line && $0.message.contains("{jour}") })
    }

    @Test("fr.po: an ordinary space before : ; ? ! is a warning at the msgstr (the digests print a non-breaking one)")
    func frenchSpacing() throws {
        let spaced = "msgstr \"Nouvelles signatures ce mois-ci\u{00A0}: {count}\""
        let (catalogue, problems) = try Self.frenchEdited { text in
            #expect(text.contains(spaced))
            text = text.replacingOccurrences(of: spaced, with: "msgstr \"Nouvelles signatures ce mois-ci : {count}\"")
        }
        let entry = try #require(catalogue.entries.first { $0.key == "petition.new" })
        #expect(
            problems == [
                CatalogueCheck.Problem(
                    isError: false, file: "fr.po", line: entry.translationPlaces[0].line,
                    column: entry.translationPlaces[0].column,
                    message:
                        "petition.new: an ordinary space before \":\"; French puts a non-breaking space (U+00A0) before : ; ? ! (the digests print one there; type it here so the catalogue reads the same)"
                )
            ])
    }

    @Test("a catalogue whose Language header names another language is a warning at the header's line")
    func languageHeader() throws {
        let reference = try Catalogue(path: Self.folder + "/en.po")
        let folder = NSTemporaryDirectory() + "words-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // es.po copied as pt.po, and fr.po as it is (fr_FR in fr.po is right).
        try FileManager.default.copyItem(atPath: Self.folder + "/es.po", toPath: folder + "/pt.po")
        try FileManager.default.copyItem(atPath: Self.folder + "/fr.po", toPath: folder + "/fr.po")
        let copied = CatalogueCheck.problems(try Catalogue(path: folder + "/pt.po"), reference: reference)
        let header = try #require(copied.first { $0.message.contains("Language header") })
        #expect(!header.isError)
        #expect(header.message.hasPrefix("the catalogue's Language header says es"))
        #expect(header.message.contains("but its file is pt.po"))
        let lines = try String(contentsOfFile: folder + "/pt.po", encoding: .utf8).components(separatedBy: "\n")
        #expect(lines[header.line - 1].contains("\"Language: es"))
        #expect(header.column == 2)
        let french = CatalogueCheck.problems(try Catalogue(path: folder + "/fr.po"), reference: reference)
        #expect(!french.contains { $0.message.contains("Language header") })
        // A region other than the file's is named too.
        try FileManager.default.copyItem(atPath: Self.folder + "/fr.po", toPath: folder + "/fr-CA.po")
        let canadian = CatalogueCheck.problems(try Catalogue(path: folder + "/fr-CA.po"), reference: reference)
        #expect(canadian.contains { $0.message.contains("says fr_FR, but its file is fr-CA.po") })
    }

    @Test("a regional tag falls back to its language's catalogue, and keeps its own locale")
    func regionFallsBack() throws {
        let mexican = try Words.load(folder: Self.folder, language: "es-MX")
        let spanish = try Words.load(folder: Self.folder, language: "es")
        #expect(Words.catalogueFile(folder: Self.folder, language: "es-MX") == Self.folder + "/es.po")
        // No pt.po either: its own name, for the error to say.
        #expect(Words.catalogueFile(folder: Self.folder, language: "pt-BR") == Self.folder + "/pt-BR.po")
        #expect(mexican.text("t.coming_up") == spanish.text("t.coming_up"))
        #expect(mexican.language == "es-MX")
        // Mexico groups thousands with a comma, Spain with a point.
        #expect(mexican.number(12345) == "12,345")
        #expect(spanish.number(12345) == "12.345")
        #expect(throws: CatalogueError.self) { try Words.load(folder: Self.folder, language: "pt-BR") }
    }

    @Test("French counts 0 and 1 as singular; Spanish only 1")
    func plurals() {
        let french = words("fr")
        let spanish = words("es")
        #expect(french.count("commitments.new_count", 0) == "0 nouvel engagement")
        #expect(french.count("commitments.new_count", 1) == "1 nouvel engagement")
        #expect(french.count("commitments.new_count", 2) == "2 nouveaux engagements")
        #expect(spanish.count("commitments.new_count", 0) == "0 compromisos nuevos")
        #expect(spanish.count("commitments.new_count", 1) == "1 compromiso nuevo")
        #expect(english.count("commitments.new_count", 0) == "0 new commitments")
    }

    @Test("dates, numbers, lists and country names come from the locale's data")
    func localeWords() throws {
        let french = words("fr")
        let spanish = words("es")
        let date = try #require(LocalDate(iso: "2019-06-11"))
        #expect(french.longDate(date) == "mardi 11 juin 2019")
        #expect(spanish.longDate(date) == "martes, 11 de junio de 2019")
        #expect(english.longDate(date) == "Tuesday, 11 June 2019")
        // French groups thousands with a narrow no-break space; Spanish leaves four digits alone.
        #expect(french.number(100_000) == "100\u{202F}000")
        #expect(spanish.number(100_000) == "100.000")
        #expect(spanish.number(12345) == "12.345")
        #expect(french.percent(tenths: 16) == "1,6\u{A0}%")
        #expect(french.list(["A", "B", "C"]) == "A, B et C")
        #expect(spanish.list(["A", "B", "C"]) == "A, B y C")
        #expect(french.regionName(code: "ZA", english: "South Africa") == "Afrique du Sud")
        #expect(spanish.regionName(code: "ZA", english: "South Africa") == "Sudáfrica")
        #expect(french.regionName(code: "CD", english: "DR Congo") == "Congo-Kinshasa")
        // English keeps the data's own names.
        #expect(english.regionName(code: "CD", english: "DR Congo") == "DR Congo")
        #expect(french.value("status", "in progress") == "en cours")
        #expect(spanish.value("actor", "civil society") == "sociedad civil")
        #expect(english.value("status", "in progress") == "in progress")
    }

    @Test("language tags in their usual case; anything else refused")
    func tags() {
        #expect(LanguageTag.normalised("FR") == "fr")
        #expect(LanguageTag.normalised(" es ") == "es")
        #expect(LanguageTag.normalised("pt_br") == "pt-BR")
        #expect(LanguageTag.normalised("zh-hant-tw") == "zh-Hant-TW")
        for bad in ["", "f", "french!", "fr-", "e1", "fr\nBcc: x", "français"] {
            #expect(LanguageTag.normalised(bad) == nil, "\(bad)")
        }
    }
}
