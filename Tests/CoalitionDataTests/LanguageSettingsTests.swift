import Testing

@testable import CoalitionData

@Suite("coalition.yaml: the languages digests are written in")
struct LanguageSettingsTests {
    static let head = """
        name: Test Coalition
        schedule:
          rule: 2nd Tuesday
          time: "10:00"
          timezone: America/New_York
        """

    static func parse(_ text: String) -> (Coalition?, [String]) {
        var log = DiagnosticLog()
        let coalition = Coalition.parse(head + "\n" + text, file: "coalition.yaml", log: &log)
        return (coalition, log.sorted.map(\.description))
    }

    static func member(_ language: String?) -> Member {
        Member(
            email: "a@example.org", name: nil, country: nil, organisation: nil, language: language,
            status: .subscribed, line: 2)
    }

    @Test("English alone when nothing is said")
    func defaults() throws {
        let (coalition, messages) = Self.parse("")
        #expect(messages.isEmpty)
        let found = try #require(coalition)
        #expect(found.language == "en" && found.languages == ["en"])
        #expect(found.language(for: Self.member("fr")) == "en")
    }

    @Test(
        "the default first, each once, tags in their usual case; a member's own language when the coalition writes in it"
    )
    func languages() throws {
        let (coalition, messages) = Self.parse("language: EN\nlanguages: [fr, es, en, FR]")
        #expect(messages.isEmpty)
        let found = try #require(coalition)
        #expect(found.languages == ["en", "fr", "es"])
        #expect(found.language(for: Self.member("fr")) == "fr")
        #expect(found.language(for: Self.member("ES")) == "es")
        #expect(found.language(for: Self.member("it")) == "en")
        #expect(found.language(for: Self.member(nil)) == "en")
        #expect(found.language(for: Self.member("not a tag")) == "en")
    }

    @Test("a French coalition: members without a language read French")
    func frenchCoalition() throws {
        let (coalition, _) = Self.parse("language: fr\nlanguages: [en]")
        let found = try #require(coalition)
        #expect(found.languages == ["fr", "en"])
        #expect(found.language(for: Self.member(nil)) == "fr")
        #expect(found.language(for: Self.member("en")) == "en")
    }

    @Test("a value that is not a language tag: an error at its line and column")
    func badTags() {
        let (_, messages) = Self.parse("language: French\nlanguages: [fr, \"es es\"]")
        #expect(
            messages.contains {
                $0.hasPrefix("coalition.yaml:6:11: error: language must be a language tag such as en, fr or es")
            })
        #expect(messages.contains { $0.hasPrefix("coalition.yaml:7:17: error: each of languages is a language tag") })
    }
}
