import Testing

@testable import CoalitionData

/// French puts a non-breaking space before `: ; ? !` (issue 34): the
/// digests print one, in staff's text too, and `check` names each
/// ordinary space in staff's French.
@Suite("French spacing before : ; ? !")
struct FrenchSpacingTests {
    @Test(
        "an ordinary space before the four signs becomes U+00A0; times, addresses and other spaces stay",
        arguments: [
            ("Nouvelles signatures ce mois-ci : 160", "Nouvelles signatures ce mois-ci\u{00A0}: 160"),
            ("Vraiment ? Oui ! Bien ; fin", "Vraiment\u{00A0}? Oui\u{00A0}! Bien\u{00A0}; fin"),
            ("fin :", "fin\u{00A0}:"),
            ("à 10:00, https://example.org/?a=1", "à 10:00, https://example.org/?a=1"),
            ("deux  : espaces", "deux \u{00A0}: espaces"),
            ("déjà\u{00A0}: bien", "déjà\u{00A0}: bien"),
            ("le ratio 3 :2 reste", "le ratio 3 :2 reste"),
            ("pas de signe ici", "pas de signe ici"),
        ])
    func apply(text: String, expected: String) {
        #expect(FrenchSpacing.apply(text) == expected)
        // Twice is once.
        #expect(FrenchSpacing.apply(expected) == expected)
    }

    @Test("plainSpaces names each sign with its line and column")
    func places() {
        let found = FrenchSpacing.plainSpaces(in: "Titre : un\nbien.\nQuoi ? et ; puis")
        #expect(found.map(\.sign) == [":", "?", ";"])
        #expect(found.map(\.line) == [0, 2, 2])
        #expect(found.map(\.column) == [6, 5, 10])
    }

    @Test("check warns at the cell of a French translation and the line of a French notes file; English is left alone")
    func checkWarns() throws {
        let diagnostics = try DataFolderFixture([
            "actions.csv": "title,title_fr,title_es\nSign up: now,Inscrivez-vous : maintenant,Inscríbase : ya\n",
            "calls/2019-06-11.md": "---\ndate: 2019-06-11\n---\n\nNotes: in English.\n",
            "calls/2019-06-11.fr.md": "---\ntitle: Rome\n---\n\nPremière ligne.\nDeuxième ligne : suite.\n",
        ]).diagnostics()
        let spacing = diagnostics.filter { $0.contains("ordinary space") }
        #expect(
            spacing == [
                "actions.csv:2:14: warning: an ordinary space before \":\": French puts a non-breaking space before : ; ? ! (the digests print one; type it here too, U+00A0, so the file reads as members see it)",
                "calls/2019-06-11.fr.md:6:15: warning: an ordinary space before \":\": French puts a non-breaking space before : ; ? ! (the digests print one; type it here too, U+00A0, so the file reads as members see it)",
            ])
    }
}
