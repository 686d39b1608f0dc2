import CoalitionData
import Foundation

/// What `digest check` says of a language's catalogue, held against the
/// English one (whose keys the program asks for): every entry there, the
/// same placeholders, a form for each plural form of the language, and
/// nothing left untranslated.
public struct CatalogueCheck: Sendable {
    /// A problem at its place in the catalogue.
    public struct Problem: Sendable, Equatable {
        /// An error keeps digests in this language from being right; a
        /// warning is worth a translator's look.
        public var isError: Bool
        /// Where.
        public var file: String
        /// The line, from 1.
        public var line: Int
        /// The column, from 1.
        public var column: Int = 1
        /// What is wrong and how to fix it.
        public var message: String
    }

    /// The problems of `catalogue` against `reference` (the English one).
    public static func problems(_ catalogue: Catalogue, reference: Catalogue) -> [Problem] {
        var problems: [Problem] = []
        func error(_ line: Int, _ message: String) {
            problems.append(Problem(isError: true, file: catalogue.file, line: line, message: message))
        }
        func warning(_ line: Int, _ message: String) {
            problems.append(Problem(isError: false, file: catalogue.file, line: line, message: message))
        }
        var plural = PluralRule.english
        if let header = catalogue.header["Plural-Forms"] {
            do {
                plural = try PluralRule(header: header)
            } catch let problem {
                error(1, "the Plural-Forms header cannot be read (\(problem.message)); write it as gettext does")
            }
        } else {
            error(
                1,
                "the header has no Plural-Forms line; add the language's, such as \"Plural-Forms: nplurals=2; plural=(n > 1);\\n\" for French"
            )
        }
        if catalogue.header["Language"] == nil {
            error(
                1,
                "the header has no Language line; add the locale its dates and numbers use, such as \"Language: fr_FR\\n\""
            )
        }
        var entries: [String: Catalogue.Entry] = [:]
        for entry in catalogue.entries { entries[entry.key] = entry }
        let known = Set(reference.entries.map(\.key))
        var untranslated = 0
        var firstUntranslated: Int?
        for source in reference.entries {
            guard let entry = entries[source.key] else {
                error(
                    catalogue.entries.last?.line ?? 1,
                    "the entry \(source.key) is missing (\(reference.file):\(source.line)); copy it from there and translate its msgstr"
                )
                continue
            }
            let expected = placeholders(source.source).union(source.sourcePlural.map(placeholders) ?? [])
            if source.sourcePlural != nil {
                let filled = entry.translations.filter { !$0.isEmpty }.count
                if filled > 0 && filled < plural.count {
                    error(
                        entry.line,
                        "\(entry.key) has \(filled) of the \(plural.count) plural forms its language needs (Plural-Forms); write msgstr[0] to msgstr[\(plural.count - 1)]"
                    )
                }
            }
            for (index, text) in entry.translations.enumerated() where !text.isEmpty {
                if let open = unclosedPlaceholder(text) {
                    problems.append(
                        problem(
                            in: catalogue, entry, index, isError: true,
                            "\(entry.key): the placeholder \"\(open)\" has no closing brace; write it as {name}, as in the English"
                        ))
                }
                let found = placeholders(text)
                let stray = found.subtracting(expected)
                if !stray.isEmpty {
                    error(
                        entry.line,
                        "\(entry.key): \(stray.sorted().map { "{\($0)}" }.joined(separator: ", ")) \(stray.count == 1 ? "is" : "are") not a placeholder of this entry; use only \(expected.sorted().map { "{\($0)}" }.joined(separator: ", "))"
                    )
                }
                // A plural form may leave out {count} ("one of them"); every other name is needed.
                let missing = expected.subtracting(found).subtracting(source.sourcePlural != nil ? ["count"] : [])
                if !missing.isEmpty {
                    error(
                        entry.line,
                        "\(entry.key)\(source.sourcePlural != nil ? " (msgstr[\(index)])" : ""): the translation leaves out \(missing.sorted().map { "{\($0)}" }.joined(separator: ", ")); keep every placeholder of the English"
                    )
                }
            }
            if catalogue.header["Language"]?.hasPrefix("fr") == true {
                for (index, text) in entry.translations.enumerated() {
                    guard let first = FrenchSpacing.plainSpaces(in: text).first else { continue }
                    problems.append(
                        problem(
                            in: catalogue, entry, index, isError: false,
                            "\(entry.key): an ordinary space before \"\(first.sign)\"; French puts a non-breaking space (U+00A0) before : ; ? ! (the digests print one there; type it here so the catalogue reads the same)"
                        ))
                }
            }
            if entry.translations.allSatisfy(\.isEmpty) {
                untranslated += 1
                firstUntranslated = firstUntranslated ?? entry.line
            }
        }
        if untranslated > 0, let line = firstUntranslated {
            warning(
                line,
                "\(untranslated) entr\(untranslated == 1 ? "y is" : "ies are") not translated (an empty msgstr, the first here); readers of this language get the English words there"
            )
        }
        for entry in catalogue.entries where !known.contains(entry.key) && !isAgreeingOrdinal(entry.key, known) {
            warning(
                entry.line, "\(entry.key) is not an entry the program asks for (not in \(reference.file)); remove it")
        }
        if let problem = languageHeaderProblem(catalogue) { problems.append(problem) }
        return problems
    }

    /// A problem at the place of `entry`'s translation `index` (its
    /// `msgstr`, else the entry's line).
    static func problem(
        in catalogue: Catalogue, _ entry: Catalogue.Entry, _ index: Int, isError: Bool, _ message: String
    ) -> Problem {
        let place =
            index < entry.translationPlaces.count
            ? entry.translationPlaces[index] : Catalogue.Entry.Place(line: entry.line, column: 1)
        return Problem(
            isError: isError, file: catalogue.file, line: place.line, column: place.column, message: message)
    }

    /// `schedule.ordinal.1.sunday` and the like: an ordinal of the
    /// reference written for one weekday, for languages where it agrees
    /// with the weekday's gender.
    static func isAgreeingOrdinal(_ key: String, _ known: Set<String>) -> Bool {
        guard key.hasPrefix("schedule.ordinal."), let dot = key.lastIndex(of: ".") else { return false }
        let day = String(key[key.index(after: dot)...])
        return known.contains(String(key[..<dot])) && ScheduleRule.weekdayNames.contains(day)
    }

    /// The first `{` in `text` without a `}` before the next `{` or the
    /// end, with what follows it (`{name,`), or nil when every one closes.
    static func unclosedPlaceholder(_ text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}"), after[..<close].firstIndex(of: "{") == nil else {
                return String(rest[open...].prefix(20))
            }
            rest = after[after.index(after: close)...]
        }
        return nil
    }

    /// The `{names}` in `text`.
    static func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = rest[rest.index(after: open)..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                names.insert(String(name))
            }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// A warning when the catalogue's `Language:` header names another
    /// language than its file (`fr.po` saying `Language: es`: a catalogue
    /// copied from another language and not yet translated). The header
    /// may add a region to the file's language (`fr_FR` in `fr.po`); `_`
    /// and `-` are one, capitals aside.
    static func languageHeaderProblem(_ catalogue: Catalogue) -> Problem? {
        guard let header = catalogue.header["Language"]?.trimmingCharacters(in: .whitespaces), !header.isEmpty
        else { return nil }
        let name = (catalogue.file as NSString).lastPathComponent
        guard name.hasSuffix(".po") else { return nil }
        let tag = String(name.dropLast(3))
        func subtags(_ text: String) -> [String] {
            text.lowercased().split(whereSeparator: { $0 == "_" || $0 == "-" }).map(String.init)
        }
        let file = subtags(tag)
        let said = subtags(header)
        guard !file.isEmpty, said.count < file.count || Array(said.prefix(file.count)) != file else { return nil }
        // The header's place: its line in the file, for the translator's editor.
        var line = 1
        var column = 1
        // The file was read already: failing now only loses the place.
        if let text = try? String(contentsOfFile: catalogue.file, encoding: .utf8) {
            for (index, content) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let range = content.range(of: "Language:") {
                    line = index + 1
                    column = content.distance(from: content.startIndex, to: range.lowerBound) + 1
                    break
                }
            }
        }
        return Problem(
            isError: false, file: catalogue.file, line: line, column: column,
            message:
                "the catalogue's Language header says \(header), but its file is \(name); a catalogue copied from another language? Translate it for \(tag) and set the header to Language: \(tag)"
        )
    }
}
