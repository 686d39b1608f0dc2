/// Who made a commitment.
public enum Actor: String, Sendable, CaseIterable, Codable {
    case government
    case civilSociety = "civil society"
    case privateSector = "private sector"
    case multilateral
    case philanthropy
}

/// How far a commitment has got.
public enum CommitmentStatus: String, Sendable, CaseIterable, Codable {
    case announced
    case inProgress = "in progress"
    case fulfilled
}

/// A promise a government or another actor made: one row of `commitments.csv`.
public struct Commitment: Sendable {
    /// When it was made.
    public var date: LocalDate
    /// The country it concerns; nil for a regional or global commitment.
    public var country: Country?
    /// The region it concerns (a UN region or sub-region, or Latin America
    /// and the Caribbean), when it concerns a region and not one country.
    public var region: String? = nil
    /// Who made it.
    public var actor: Actor
    /// Where it was made, such as "Open Government Partnership" or "The
    /// Hague Declaration": the name from `coalition.yaml`'s frameworks when
    /// it has them, whichever alias the row used.
    public var framework: String
    /// What was promised.
    public var title: String
    /// How far it has got.
    public var status: CommitmentStatus
    /// Where to read it.
    public var url: String?

    /// What the commitment is counted under, as a code rather than
    /// words: the country's ISO alpha-2 code, else the region's UN M49
    /// name as the data writes it, else `global`. Readers see each
    /// language's name for it (``Words``).
    public var scopeCode: String { country?.alpha2 ?? region ?? Self.globalScope }

    /// The code of a commitment of no country or region.
    public static let globalScope = "global"
    /// The title in other languages, by tag (the `title_fr` column…).
    public var titles: [String: String] = [:]
}

extension Commitment {
    static let columns = (
        required: ["date", "actor", "framework", "title", "status"], optional: ["country", "region", "url"]
    )
    /// Columns translated beside the original: `title_fr`, `title_es`.
    static let translatable = ["title"]

    static func parse(_ row: inout CSVRow, countries: CountryTable, frameworks: FrameworkList?) -> Commitment? {
        let date = row.date("date", required: true)
        let country = row.country("country", in: countries)
        var region: String?
        if let text = row.text("region") {
            if !row.raw("country").isEmpty {
                row.error(
                    "region",
                    "a commitment concerns one country or one region: country is \"\(row.raw("country"))\" and region is \"\(text)\"; empty one of them"
                )
            } else {
                switch countries.region(text) {
                case .found(let name): region = name
                case .unknown(let message): row.error("region", message)
                }
            }
        }
        let actor = row.choice("actor", as: Actor.self, required: true)
        var framework = row.text("framework", required: true)
        if let text = framework, let frameworks {
            switch frameworks.lookup(text) {
            case .found(let name): framework = name
            case .unknown(let message):
                row.error("framework", message)
                framework = nil
            }
        }
        let title = row.text("title", required: true)
        let status = row.choice("status", as: CommitmentStatus.self, required: true)
        let url = row.url("url")
        guard let date, let actor, let framework, let title, let status else { return nil }
        var commitment = Commitment(
            date: date, country: country, region: region, actor: actor, framework: framework, title: title,
            status: status, url: url)
        commitment.titles = row.translations("title")
        return commitment
    }
}
