/// The coalition's names for the frameworks commitments are made under
/// (`frameworks:` in `coalition.yaml`), each with the other ways staff
/// write it: `Open Government Partnership: [OGP, OGP action plan]`; or,
/// with its name in other languages, `Open Government Partnership:
/// {aliases: [OGP], name_fr: Partenariat pour un gouvernement ouvert}`.
///
/// With a list, every commitment's framework must be one of its names or
/// aliases, and counts, digests, JSON and the workbook use the name, so
/// "OGP" and "OGP action plan" count together. Without one, any text is a
/// framework of its own, as written.
public struct FrameworkList: Sendable, Equatable {
    /// A framework's name and the other ways it is written.
    public struct Entry: Sendable, Equatable {
        /// The name shown everywhere.
        public var name: String
        /// Other spellings that mean the same framework.
        public var aliases: [String]
        /// The name in other languages, by tag (`name_fr`): what readers of
        /// that language see.
        public var names: [String: String]

        /// A name, its aliases and its translations.
        public init(name: String, aliases: [String] = [], names: [String: String] = [:]) {
            self.name = name
            self.aliases = aliases
            self.names = names
        }
    }

    /// In the order of `coalition.yaml`.
    public private(set) var entries: [Entry] = []
    private var index: [String: String] = [:]

    /// An empty list; add entries with ``add(_:)``.
    public init() {}

    /// A list of `entries`; a spelling given twice keeps its first meaning.
    public init(_ entries: [Entry]) {
        for entry in entries { _ = add(entry) }
    }

    /// Adds `entry`; returns the spellings already taken by another
    /// framework (which keep their first meaning), empty when all is well.
    @discardableResult
    public mutating func add(_ entry: Entry) -> [(spelling: String, takenBy: String)] {
        var clashes: [(String, String)] = []
        for spelling in [entry.name] + entry.aliases {
            let key = Self.key(spelling)
            if let owner = index[key] {
                if owner != entry.name { clashes.append((spelling, owner)) }
                continue
            }
            index[key] = entry.name
        }
        entries.append(entry)
        return clashes
    }

    /// The name of the framework called `name` in `language` (a tag), or
    /// nil when staff have not translated it (or it is not in the list).
    public func name(_ name: String, in language: String) -> String? {
        entries.first { $0.name == name }?.names[language]
    }

    /// What a commitment's framework column says.
    public enum Lookup: Sendable, Equatable {
        /// The framework's name.
        case found(String)
        /// Not a name or an alias; the message says what to do.
        case unknown(String)
    }

    /// The name for `text`, ignoring case and runs of spaces.
    public func lookup(_ text: String) -> Lookup {
        if let name = index[Self.key(text)] { return .found(name) }
        let spellings = entries.flatMap { [$0.name] + $0.aliases }
        let hint = Suggestion.nearest(to: text, in: spellings).map { "did you mean \"\($0)\"? " } ?? ""
        return .unknown(
            "framework \"\(text)\" is not in coalition.yaml's frameworks; \(hint)use one of: \(entries.map(\.name).joined(separator: ", ")), or add it there as a name or an alias"
        )
    }

    static func key(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
