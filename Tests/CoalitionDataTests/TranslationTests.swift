import Foundation
import Testing

@testable import CoalitionData

@Suite("Staff's translations: calls/<date>.<tag>.md and the title_<tag> columns")
struct TranslationTests {
    static let call = """
        ---
        date: 2019-06-11
        title: Rome declaration
        attended: 46
        ---

        ## Rome

        Notes in English.
        """

    @Test("a translation gives the call's title and notes in its language; the facts stay the original's")
    func callTranslation() throws {
        let fixture = try DataFolderFixture([
            "calls/2019-06-11.md": Self.call,
            "calls/2019-06-11.fr.md":
                "---\ntitle: Déclaration de Rome\nattended: 12\n---\n\n## Rome\n\nNotes en français.\n",
            "calls/2019-06-11.ES.md": "## Roma\n\nNotas en español.\n",
        ])
        let result = fixture.load()
        let call = try #require(result.dataset?.calls.first)
        #expect(result.dataset?.calls.count == 1)
        #expect(call.attended == 46)
        #expect(call.translations["fr"]?.title == "Déclaration de Rome")
        #expect(call.translations["fr"]?.notes.count == 2)
        // Without front matter: notes only, the title stays to be translated.
        #expect(call.translations["es"]?.title == nil)
        #expect(call.translations["es"]?.notes.count == 2)
        let warnings = result.log.sorted.map(\.description)
        #expect(
            warnings.contains {
                $0.hasSuffix(
                    "calls/2019-06-11.fr.md:3:1: warning: a translation holds only the title and the notes; attended is taken from the original file, so this line is ignored"
                )
            })
    }

    @Test(
        "a translation of a call that is not there, or named with something that is not a language: an error naming the file"
    )
    func orphans() throws {
        let fixture = try DataFolderFixture([
            "calls/2019-06-11.md": Self.call,
            "calls/2019-07-09.fr.md": "Notes.\n",
            "calls/2019-06-11.français.md": "Notes.\n",
        ])
        let messages = fixture.diagnostics()
        #expect(
            messages.contains(
                "calls/2019-07-09.fr.md:1:1: error: this translates calls/2019-07-09.md, which is not there; check the date in the file name"
            ))
        #expect(
            messages.contains {
                $0.hasPrefix(
                    "calls/2019-06-11.français.md:1:1: error: a translation is named after its call and a language tag")
            })
    }

    @Test("title_fr, location_es and details_fr columns are translations; an unknown suffix is still an unknown column")
    func columns() throws {
        let fixture = try DataFolderFixture([
            "events.csv":
                "start,title,location,title_fr,location_es,title_xyz1\n2019-07-09,Forum,New York,Forum (FR),Nueva York,x\n",
            "actions.csv": "title,details,title_es,details_fr\nSign,Sign it.,Firme,Signez-la.\nShare,,,\n",
        ])
        let result = fixture.load()
        let event = try #require(result.dataset?.events.first)
        #expect(event.titles == ["fr": "Forum (FR)"])
        #expect(event.locations == ["es": "Nueva York"])
        let actions = try #require(result.dataset?.actions)
        #expect(actions[0].titles == ["es": "Firme"] && actions[0].detailsByLanguage == ["fr": "Signez-la."])
        #expect(actions[1].titles.isEmpty)
        #expect(
            result.log.sorted.map(\.description).contains {
                $0.contains("events.csv:1:43: warning: unknown column \"title_xyz1\" is ignored")
            })
    }
}
