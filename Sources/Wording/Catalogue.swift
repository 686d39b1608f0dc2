import Foundation

/// One language's words as a translator keeps them: a gettext PO file
/// (`templates/words/fr.po`), which ordinary editors and translation tools
/// (Poedit, Weblate, Lokalize) open.
///
/// Each entry is keyed by its `msgctxt` (`petition.forecast.reached`); its
/// `msgid` is the English text, and `msgstr` the translation (an empty one
/// means the `msgid` itself, as in the English catalogue). Entries with
/// `msgid_plural` have a `msgstr[N]` for each of the language's plural
/// forms. A `#.` comment says where the words appear. Placeholders are
/// names in braces, `{count}`, kept as they are in every language.
public struct Catalogue: Sendable {
    /// One entry.
    public struct Entry: Sendable, Equatable {
        /// The key (`msgctxt`).
        public var key: String
        /// The English text (`msgid`).
        public var source: String
        /// The English plural (`msgid_plural`), for counted entries.
        public var sourcePlural: String?
        /// The translations: one, or one per plural form. Empty strings
        /// mean "not translated".
        public var translations: [String]
        /// The `#.` comments: where the words appear.
        public var comment: String
        /// The line of the entry's `msgctxt`.
        public var line: Int
        /// Where each translation's quoted text starts.
        public var translationPlaces: [Place] = []

        /// A line and a column, from 1.
        public struct Place: Sendable, Equatable {
            /// The line.
            public var line: Int
            /// The column.
            public var column: Int
        }

        /// An entry (its translations' places: the `msgctxt` line).
        public init(
            key: String, source: String, sourcePlural: String?, translations: [String], comment: String, line: Int
        ) {
            self.key = key
            self.source = source
            self.sourcePlural = sourcePlural
            self.translations = translations
            self.comment = comment
            self.line = line
        }
    }

    /// The file, as diagnostics name it.
    public let file: String
    /// The header's fields (`Language`, `Plural-Forms`…).
    public let header: [String: String]
    /// The entries, in file order.
    public let entries: [Entry]

    /// Reads a catalogue.
    ///
    /// - Throws: ``CatalogueError`` naming the file, line and column.
    public init(text: String, file: String) throws(CatalogueError) {
        var parser = CatalogueParser(file: file, text: Array(text.utf8))
        let (header, entries) = try parser.parse()
        self.file = file
        self.header = header
        self.entries = entries
    }

    /// Reads the catalogue at `path`.
    public init(path: String) throws(CatalogueError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CatalogueError(
                file: path, line: 1, column: 1,
                message:
                    "there is no catalogue of words here; the templates folder needs words/en.po (restore it from the repository) and one file for each other language"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogueError(
                file: path, line: 1, column: 1, message: "the catalogue cannot be read; check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CatalogueError(
                file: path, line: 1, column: 1, message: "the catalogue is not UTF-8; save it as UTF-8")
        }
        try self.init(text: text, file: path)
    }
}
