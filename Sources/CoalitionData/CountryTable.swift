import Foundation

/// Every country staff may name, by code or by name, old names included.
///
/// The table is the data file `Resources/countries.tsv` (ISO 3166-1 codes and
/// names, UN M49 regions, older and common names such as Macedonia or
/// Swaziland), shipped beside the binary as a SwiftPM resource.
public struct CountryTable: Sendable {
    /// The outcome of looking up a name.
    public enum Lookup: Sendable {
        /// The country named.
        case found(Country)
        /// Not a known country; the message says so and suggests the nearest name.
        case unknown(String)
    }

    /// All countries, ordered by alpha-2 code.
    public let countries: [Country]
    private let index: [String: Country]
    /// Codes and names exactly as listed (`KE`, `KEN`, `Kenya`): most values in
    /// data files are written this way, and matching them needs no folding.
    private let exact: [String: Country]

    /// The outcome of looking up a region.
    public enum RegionLookup: Sendable, Equatable {
        /// The region's name as the table writes it.
        case found(String)
        /// Not a known region; the message says so and suggests the nearest.
        case unknown(String)
    }

    /// UN M49 regions and sub-regions, and the two groupings above some
    /// sub-regions (Latin America and the Caribbean, Sub-Saharan Africa).
    public var regionNames: [String] {
        var seen = Set<String>()
        let names = countries.map(\.region) + countries.map(\.subregion) + Self.groupings
        return names.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    static let groupings = ["Latin America and the Caribbean", "Sub-Saharan Africa"]

    /// Finds a UN M49 region, sub-region or grouping by name, ignoring case,
    /// accents and punctuation (`latin america & the caribbean`).
    public func region(_ text: String) -> RegionLookup {
        let key = Self.normalized(text.replacingOccurrences(of: "&", with: " and "))
        let names = regionNames
        if let name = names.first(where: { Self.normalized($0) == key }) { return .found(name) }
        let hint = Suggestion.nearest(to: text, in: names).map { "did you mean \"\($0)\"? " } ?? ""
        return .unknown(
            "unknown region \"\(text)\"; \(hint)write a UN region (Africa, Americas, Asia, Europe, Oceania), a sub-region such as Western Africa, or Latin America and the Caribbean"
        )
    }

    /// Reads a table in the format of `countries.tsv`: lines starting with `#`
    /// are comments, then a header line, then tab-separated rows of alpha2,
    /// alpha3, name, region, subregion, `|`-separated other names and the
    /// capital's IANA time zone.
    public init(tsv: String) throws(CountryTableError) {
        var countries: [Country] = []
        var index: [String: Country] = [:]
        var exact: [String: Country] = [:]
        // About five keys a country: growing the tables as they fill was a
        // third of building them.
        index.reserveCapacity(tsv.utf8.count / 10)
        exact.reserveCapacity(tsv.utf8.count / 10)
        var headerSeen = false
        // Split on bytes: splitting a String on Characters (grapheme by
        // grapheme) took five times as long for the same cells.
        for (number, line) in tsv.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated()
        {
            if line.first == UInt8(ascii: "#") || line.isEmpty { continue }
            if !headerSeen {
                headerSeen = true
                continue
            }
            let cells = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                String(Substring($0))
            }
            guard cells.count >= 5 else { throw CountryTableError.malformedLine(number + 1) }
            let country = Country(
                alpha2: cells[0], alpha3: cells[1], name: cells[2], region: cells[3], subregion: cells[4],
                timezone: cells.count > 6 && !cells[6].isEmpty ? cells[6] : nil)
            countries.append(country)
            let aliases = cells.count > 5 ? cells[5].split(separator: "|").map(String.init) : []
            for key in [country.alpha2, country.alpha3, country.name] + aliases {
                index[Self.normalized(key)] = country
                exact[key] = country
            }
        }
        guard !countries.isEmpty else { throw CountryTableError.empty }
        self.countries = countries
        self.index = index
        self.exact = exact
    }

    /// The table shipped with Coalition Digest.
    public static func standard() throws(CountryTableError) -> CountryTable {
        try loaded.get()
    }

    private static let loaded: Result<CountryTable, CountryTableError> = {
        let name = "CoalitionDigest_CoalitionData.resources"
        var folders = [Bundle.main.bundleURL, Bundle.main.resourceURL].compactMap { $0 }
        if let executable = Bundle.main.executableURL {
            folders.append(executable.deletingLastPathComponent())
        }
        for folder in folders {
            let url = folder.appendingPathComponent(name).appendingPathComponent("countries.tsv")
            // Not in this folder: the next is tried, and the error names every one.
            if let text = try? String(contentsOf: url, encoding: .utf8) {
                return Result { () throws(CountryTableError) in try CountryTable(tsv: text) }
            }
        }
        return .failure(.notFound(searched: folders.map { $0.appendingPathComponent(name).path }))
    }()

    /// Finds a country by alpha-2 or alpha-3 code or English name, ignoring
    /// case, accents and punctuation.
    public func lookup(_ text: String) -> Lookup {
        if let country = exact[text] { return .found(country) }
        let key = Self.normalized(text)
        if let country = index[key] { return .found(country) }
        let names = countries.map(\.name)
        if let near = Suggestion.nearest(to: key, in: names) {
            return .unknown("unknown country \"\(text)\"; did you mean \"\(near)\"?")
        }
        return .unknown(
            "unknown country \"\(text)\"; write the English name (Kenya) or its ISO code (KE or KEN), or leave it empty for global"
        )
    }

    /// Lower case, without accents, punctuation, extra spaces or a leading "the".
    static func normalized(_ text: String) -> String {
        // Nearly every name and code is ASCII: fold those byte by byte, which
        // is the same result as Foundation's folding without its cost (it was
        // a fifth of loading the sample data).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return normalizedASCII(text) }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var words: [String] = []
        var word = ""
        for character in folded {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if character == "'" || character == "’" {
                continue
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        if words.first == "the", words.count > 1 { words.removeFirst() }
        return words.joined(separator: " ")
    }

    /// ``normalized(_:)`` for ASCII text.
    private static func normalizedASCII(_ text: String) -> String {
        var words: [[UInt8]] = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "'"): continue
            default:
                if !word.isEmpty {
                    words.append(word)
                    word.removeAll(keepingCapacity: true)
                }
            }
        }
        if !word.isEmpty { words.append(word) }
        if words.first == Array("the".utf8), words.count > 1 { words.removeFirst() }
        return String(decoding: Array(words.joined(separator: [UInt8(ascii: " ")])), as: UTF8.self)
    }
}

/// Why the country table could not be read: a broken installation, not bad data.
public enum CountryTableError: Error, Sendable, CustomStringConvertible {
    /// The resource bundle is not beside the program.
    case notFound(searched: [String])
    /// A row has fewer than five columns.
    case malformedLine(Int)
    /// No rows.
    case empty

    /// The message as people read it.
    public var description: String {
        switch self {
        case .notFound(let searched):
            return
                "the country table countries.tsv was not found (looked in \(searched.joined(separator: ", "))); rebuild with `swift build` or keep the .resources folder beside the digest program"
        case .malformedLine(let line): return "countries.tsv line \(line) has fewer than 5 columns"
        case .empty: return "countries.tsv has no countries"
        }
    }
}
