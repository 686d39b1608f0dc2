/// The UN M49 codes of the region and sub-region names the data uses
/// (`countries.tsv`, `commitments.csv`'s `region`), so their names come
/// from the locale like countries': `002` is Africa, Afrique, África.
public enum RegionCodes {
    /// English name -> M49 code.
    public static let m49: [String: String] = [
        "World": "001", "Africa": "002", "Americas": "019", "Asia": "142", "Europe": "150", "Oceania": "009",
        "Antarctica": "AQ", "Northern Africa": "015", "Eastern Africa": "014", "Middle Africa": "017",
        "Southern Africa": "018", "Western Africa": "011", "Sub-Saharan Africa": "202", "Caribbean": "029",
        "Central America": "013", "South America": "005", "Northern America": "021",
        "Latin America and the Caribbean": "419", "Latin America": "419", "Central Asia": "143", "Eastern Asia": "030",
        "South-eastern Asia": "035", "Southern Asia": "034", "Western Asia": "145", "Eastern Europe": "151",
        "Northern Europe": "154", "Southern Europe": "039", "Western Europe": "155",
        "Australia and New Zealand": "053", "Melanesia": "054", "Micronesia": "057", "Polynesia": "061",
    ]
}
