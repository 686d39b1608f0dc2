import Testing

@testable import CoalitionData

@Suite("Country table")
struct CountryTableTests {
    let table: CountryTable

    init() throws {
        table = try CountryTable.standard()
    }

    func name(_ text: String) -> String? {
        if case .found(let country) = table.lookup(text) { return country.name }
        return nil
    }

    func message(_ text: String) -> String? {
        if case .unknown(let message) = table.lookup(text) { return message }
        return nil
    }

    @Test("every ISO 3166-1 country with codes and an M49 region")
    func coverage() {
        #expect(table.countries.count >= 249)
        for country in table.countries {
            #expect(country.alpha2.count == 2)
            #expect(country.alpha3.count == 3)
            #expect(["Africa", "Americas", "Asia", "Europe", "Oceania", "Antarctica"].contains(country.region))
        }
    }

    @Test(
        "codes, names, old names, case and accents",
        arguments: [
            ("KE", "Kenya"), ("ken", "Kenya"), ("kenya", "Kenya"), ("Macedonia", "North Macedonia"),
            ("MKD", "North Macedonia"), ("Swaziland", "Eswatini"), ("Burma", "Myanmar"),
            ("cote d'ivoire", "Côte d'Ivoire"), ("Côte d’Ivoire", "Côte d'Ivoire"), ("the Netherlands", "Netherlands"),
            ("Kyrgyz Republic", "Kyrgyzstan"), ("Turkey", "Türkiye"), ("UK", "United Kingdom"),
        ])
    func lookup(text: String, expected: String) {
        #expect(name(text) == expected)
    }

    @Test("regions come from UN M49")
    func regions() throws {
        guard case .found(let nepal) = table.lookup("Nepal") else {
            Issue.record("Nepal not found")
            return
        }
        #expect(nepal.region == "Asia")
        #expect(nepal.subregion == "Southern Asia")
        guard case .found(let guatemala) = table.lookup("GT") else {
            Issue.record("GT not found")
            return
        }
        #expect(guatemala.region == "Americas")
    }

    @Test("an unknown name suggests the nearest known one")
    func suggestion() {
        #expect(message("Kirghistan") == "unknown country \"Kirghistan\"; did you mean \"Kyrgyzstan\"?")
        #expect(message("Keyna")?.contains("did you mean \"Kenya\"?") == true)
        #expect(message("Atlantis")?.contains("ISO code") == true)
    }
}
