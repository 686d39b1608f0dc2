import CoalitionData
import Foundation
import Testing

@testable import Wording

@Suite("Catalogues and plural rules")
struct CatalogueTests {
    @Test(
        "plural rules as gettext writes them",
        arguments: [
            ("nplurals=2; plural=(n != 1);", [0: 1, 1: 0, 2: 1, 21: 1]),
            ("nplurals=2; plural=(n > 1);", [0: 0, 1: 0, 2: 1, 100: 1]),  // French: 0 and 1 singular
            (
                "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",  // Polish
                [1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 22: 1, 25: 2, 112: 2]
            ),
            (
                // Arabic
                "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
                [0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5]
            ),
            ("nplurals=1; plural=0;", [0: 0, 1: 0, 7: 0]),
        ])
    func pluralRules(header: String, forms: [Int: Int]) throws {
        let rule = try PluralRule(header: header)
        for (n, form) in forms { #expect(rule.form(for: n) == form, "n = \(n)") }
    }

    @Test("a broken plural rule is refused with where it broke")
    func brokenRule() {
        #expect(throws: PluralRule.ParseError.self) { try PluralRule(header: "nplurals=2; plural=(n != 1;") }
        #expect(throws: PluralRule.ParseError.self) { try PluralRule(header: "nplurals=2; plural=n ? 1;") }
        #expect(throws: PluralRule.ParseError.self) { try PluralRule(header: "plural=n != 1;") }
    }

    static let french = """
        # a comment
        msgid ""
        msgstr ""
        "Language: fr\\n"
        "Plural-Forms: nplurals=2; plural=(n > 1);\\n"

        #. Where it appears.
        msgctxt "count.signatures"
        msgid "{count} signature"
        msgid_plural "{count} signatures"
        msgstr[0] "{count} signature"
        msgstr[1] "{count} signatures"

        msgctxt "format.date.long"
        msgid "{weekday} {day} {month} {year}"
        msgstr ""

        msgctxt "greeting.named"
        msgid "Dear {name},"
        msgstr "Bonjour "
        "{name},"

        msgctxt "untranslated"
        msgid "Links"
        msgstr ""
        """

    @Test("a catalogue: header, comments, plural forms, continued lines; an empty msgstr is the msgid")
    func catalogue() throws {
        let catalogue = try Catalogue(text: Self.french, file: "fr.po")
        #expect(catalogue.header["Language"] == "fr")
        #expect(
            catalogue.entries.map(\.key) == ["count.signatures", "format.date.long", "greeting.named", "untranslated"])
        #expect(catalogue.entries[0].comment == "Where it appears.")
        #expect(catalogue.entries[0].line == 8)
        let words = try Words(catalogue: catalogue, language: "fr")
        #expect(words.count("count.signatures", 0) == "0 signature")  // French: 0 is singular
        #expect(words.count("count.signatures", 1) == "1 signature")
        #expect(words.count("count.signatures", 100_000) == "100\u{202F}000 signatures")
        #expect(words.text("greeting.named", ["name": "Amina"]) == "Bonjour Amina,")
        #expect(words.text("untranslated") == "Links")
        #expect(words.text("nowhere") == "⟦nowhere⟧")
        let date = try #require(LocalDate(iso: "2019-06-11"))
        #expect(words.longDate(date) == "mardi 11 juin 2019")
        #expect(words.list(["A", "B", "C"]) == "A, B et C")
        #expect(words.percent(tenths: 29) == "2,9\u{00A0}%")
    }

    @Test(
        "problems in a catalogue name the line and column",
        arguments: [
            ("msgctxt \"a\"\nmsgid \"x\nmsgstr \"\"\n", 2, "the quoted text is never closed"),
            ("msgctxt \"a\"\nmsgid \"x\" y\nmsgstr \"\"\n", 2, "text after the closing quote"),
            ("msgid \"x\"\nmsgstr \"\"\n", 1, "this entry has no msgctxt"),
            (
                "msgctxt \"a\"\nmsgid \"x\"\nmsgstr \"\"\n\nmsgctxt \"a\"\nmsgid \"y\"\nmsgstr \"\"\n", 5,
                "already on line 1"
            ),
            ("msgctxt \"a\"\nmsgid \"x\"\nmsgtr \"\"\n", 3, "is not a catalogue keyword"),
            ("msgctxt \"a\"\nmsgid \"\\q\"\nmsgstr \"\"\n", 2, "is not an escape"),
        ])
    func problems(text: String, line: Int, message: String) {
        do {
            _ = try Catalogue(text: text, file: "xx.po")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("xx.po:\(line):"))
        }
    }

    @Test("placeholders: each name filled, unknown ones kept, braces without a name left alone")
    func fill() {
        #expect(Words.fill("{a} and {b}", ["a": "1", "b": "2"]) == "1 and 2")
        #expect(Words.fill("{a} and {c}", ["a": "1"]) == "1 and {c}")
        #expect(Words.fill("{unclosed", ["unclosed": "x"]) == "{unclosed")
        #expect(Words.fill("{a}{a}", ["a": "x"]) == "xx")
    }
}
