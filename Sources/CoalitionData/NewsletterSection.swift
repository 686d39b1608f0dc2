/// A section of the newsletter the coalition adds itself (`sections:` in
/// `coalition.yaml`): a heading in each language, and its entries in a CSV
/// file of the data folder named after it (`resources.csv`). A month's
/// digest lists the entries dated in it, once they were known (``Listing``).
///
/// Adding one needs no code: a few lines of `coalition.yaml` and a CSV file
/// (docs/architecture.md walks through it).
public struct NewsletterSection: Sendable, Equatable {
    /// Its name: lower-case letters, digits, `-` and `_`, starting with a
    /// letter (`resources`); the CSV file is `<name>.csv`.
    public var name: String
    /// The heading in the coalition's language.
    public var heading: String
    /// The heading in other languages, by tag (`heading_fr`).
    public var headings: [String: String] = [:]

    /// The data file the entries are in.
    public var file: String { name + ".csv" }

    /// A section.
    public init(name: String, heading: String, headings: [String: String] = [:]) {
        self.name = name
        self.heading = heading
        self.headings = headings
    }

    /// Names no section may take: the data contract's own files, and the
    /// parts of the view model a section would hide.
    static let reserved: Set<String> = [
        "coalition", "commitments", "vnr", "petition", "events", "actions", "members", "calls", "call", "sections",
    ]

    /// True when `name` can name a section.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 40 else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}
