import CoalitionData
import DigestTestSupport
import Foundation
import Testing

@testable import DigestModel

@Suite("A digest in another language than the coalition's")
struct LocalizedDigestTests {
    static let dataset: CoalitionDataset? = DataFolder.load(path: repositoryRoot.appendingPathComponent("data").path)
        .dataset

    @Test("June 2019 in French: the translated notes and titles; nothing marked as left in English")
    func translated() throws {
        let dataset = try #require(Self.dataset)
        let digest = Digest(dataset: dataset, period: try Period(parsing: "2019-06")).localized(to: "fr")
        #expect(digest.calls.first?.title == "Déclaration de Rome, Ottawa et préparation du FPHN")
        #expect(digest.untranslated?.isEmpty == true)
        let view = DigestView(digest: digest, words: words("fr"))
        #expect(view.calls.first?.untranslatedText == nil)
        #expect(view.events.allSatisfy { $0.titleLang == nil && $0.locationLang == nil })
        #expect(view.untranslatedNote == nil)
        #expect(view.events.first?.location == "En ligne")
        // Commitments and the coalition's part in a VNR, from their title_fr and engagement_fr columns.
        #expect(
            view.commitments.new.map(\.title).contains(
                "Coalition des volontaires pour l’accès à la justice au sein du PGO"))
        #expect(view.vnr.reviews.first { $0.code == "GT" }?.engagement == "Rapport parallèle")
    }

    @Test("May 2019 in Spanish: the notes stay in English, said in Spanish, with their language")
    func untranslated() throws {
        let dataset = try #require(Self.dataset)
        let digest = Digest(dataset: dataset, period: try Period(parsing: "2019-05")).localized(to: "es")
        let missing = try #require(digest.untranslated)
        #expect(missing.original == "en" && missing.callNotes.count == 1)
        let view = DigestView(digest: digest, words: words("es"))
        let call = try #require(view.calls.first)
        #expect(call.untranslatedText == "Las notas de esta llamada están en inglés.")
        #expect(call.notesLang == "en")
        // In the coalition's own language nothing is marked.
        let english = Digest(dataset: dataset, period: try Period(parsing: "2019-05")).localized(to: "en")
        #expect(english.untranslated == nil)
    }
}
