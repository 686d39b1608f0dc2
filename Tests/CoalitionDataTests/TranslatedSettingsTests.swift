import Foundation
import Testing

@testable import CoalitionData

/// What staff write in `coalition.yaml` may have its translation beside it
/// (issue 34): the petition's title, the frameworks' names, the petition's
/// sources; a preview may show what loaded while the data has errors.
@Suite("coalition.yaml's translations and the partial data")
struct TranslatedSettingsTests {
    static let settings = DataFolderFixture.coalition.replacingOccurrences(
        of: "  title: Test petition\n  goal: 1000",
        with: """
              title: Test petition
              title_fr: Pétition test
              title_es: Petición de prueba
              goal: 1000
              sources:
                walks: {name_fr: marches, name_es: caminatas}
            frameworks:
              Open Government Partnership:
                aliases: [OGP]
                name_fr: Partenariat pour un gouvernement ouvert
              National programme: {name_es: Programa nacional}
              Political pledge:
            """)

    @Test("petition.title_<tag>, petition.sources and frameworks' name_<tag>, aliases kept")
    func translations() throws {
        let result = try DataFolderFixture(["coalition.yaml": Self.settings]).load()
        #expect(result.log.all.isEmpty, "\(result.log.sorted.map(\.description))")
        let coalition = try #require(result.dataset?.coalition)
        #expect(coalition.petition?.titles == ["fr": "Pétition test", "es": "Petición de prueba"])
        #expect(coalition.petition?.sourceNames == ["walks": ["fr": "marches", "es": "caminatas"]])
        let frameworks = try #require(coalition.frameworks)
        #expect(frameworks.lookup("ogp") == .found("Open Government Partnership"))
        #expect(frameworks.name("Open Government Partnership", in: "fr") == "Partenariat pour un gouvernement ouvert")
        #expect(frameworks.name("Open Government Partnership", in: "es") == nil)
        #expect(frameworks.name("National programme", in: "es") == "Programa nacional")
        #expect(
            frameworks.entries.map(\.name) == ["Open Government Partnership", "National programme", "Political pledge"])
    }

    @Test("a French translation with an ordinary space before a colon, and an unknown key, are named at their place")
    func problems() throws {
        let yaml = Self.settings.replacingOccurrences(
            of: "title_fr: Pétition test", with: "title_fr: \"Pétition : test\""
        )
        .replacingOccurrences(of: "name_fr: Partenariat", with: "nom_fr: Partenariat")
        let diagnostics = try DataFolderFixture(["coalition.yaml": yaml]).diagnostics()
        #expect(
            diagnostics.contains { $0.hasPrefix("coalition.yaml:9:13: warning: an ordinary space before \":\"") },
            "\(diagnostics)")
        #expect(
            diagnostics.contains {
                $0.hasPrefix(
                    "coalition.yaml:17:5: warning: unknown key \"frameworks.Open Government Partnership.nom_fr\" is ignored; known keys: aliases, name_<language>"
                )
            }, "\(diagnostics)")
    }

    @Test("with an error in a row, the data that loaded is kept apart for the preview; without, it is the dataset")
    func partial() throws {
        let bad = try DataFolderFixture([
            "commitments.csv": "date,country,actor,framework,title,status\n2019-05-14,Kenya,government,X,T,promised\n"
        ]).load()
        #expect(bad.dataset == nil)
        #expect(bad.partial?.coalition.name == "Test Coalition")
        #expect(bad.partial?.commitments.isEmpty == true)
        let good = try DataFolderFixture([:]).load()
        #expect(good.dataset != nil && good.partial != nil)
    }
}
