import Foundation
import Yams

/// A YAML mapping read for one of the data files, reporting problems with
/// the file's own line numbers.
///
/// Values are read as plain strings and parsed by the caller, so YAML's own
/// guesses (a bare `10:00` as the number 600, `no` as false, dates as
/// timestamps) never change what staff wrote.
struct YAMLMapping {
    let file: String
    /// Added to YAML line numbers: front matter starts below its `---` line.
    let lineOffset: Int
    let mapping: Node.Mapping
    /// Where the mapping itself starts, for "missing key" messages.
    let line: Int
    let column: Int
    /// Dotted prefix for keys in messages, such as `schedule.`.
    let prefix: String

    /// Parses `text` as a YAML mapping; nil after reporting when it is not one.
    static func parse(_ text: String, file: String, lineOffset: Int = 0, log: inout DiagnosticLog) -> YAMLMapping? {
        let node: Node?
        do {
            // The basic resolver: values stay strings, and Yams's default one
            // compiles its regular expressions (ICU) on every run. The
            // encoding is given, or Yams reads the environment each time.
            node = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let error as YamlError {
            let (line, column, problem) = describe(error)
            log.error(
                file, line + lineOffset, column,
                "this is not valid YAML (\(problem)); check the indentation and put text containing a colon or # in \"quotes\""
            )
            return nil
        } catch {
            log.error(file, 1 + lineOffset, 1, "this is not valid YAML: \(error)")
            return nil
        }
        guard let node, let mapping = node.mapping else {
            log.error(file, 1 + lineOffset, 1, "expected lines of the form \"key: value\"")
            return nil
        }
        return YAMLMapping(
            file: file, lineOffset: lineOffset, mapping: mapping, line: (node.mark?.line ?? 1) + lineOffset,
            column: node.mark?.column ?? 1, prefix: "")
    }

    private static func describe(_ error: YamlError) -> (Int, Int, String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return (mark.line, mark.column, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (
                context.mark.line, context.mark.column,
                "the key\(duplicates.count == 1 ? "" : "s") \(duplicates.joined(separator: ", ")) appear\(duplicates.count == 1 ? "s" : "") twice"
            )
        case .reader(let problem, _, _, _):
            return (1, 1, problem)
        default:
            return (1, 1, "\(error)")
        }
    }

    func location(_ node: Node) -> (line: Int, column: Int) {
        ((node.mark?.line ?? line - lineOffset) + lineOffset, node.mark?.column ?? column)
    }

    func value(_ key: String) -> Node? {
        for (keyNode, valueNode) in mapping where keyNode.string == key { return valueNode }
        return nil
    }

    func keyLocation(_ key: String) -> (line: Int, column: Int)? {
        for (keyNode, _) in mapping where keyNode.string == key { return location(keyNode) }
        return nil
    }

    /// Warns about keys that are not in `known`, suggesting the nearest.
    func checkKeys(_ known: [String], log: inout DiagnosticLog) {
        for (keyNode, _) in mapping {
            let name = keyNode.string ?? ""
            guard !known.contains(name) else { continue }
            let at = location(keyNode)
            let hint = Suggestion.nearest(to: name, in: known).map { "did you mean \"\(prefix)\($0)\"? " } ?? ""
            log.warning(
                file, at.line, at.column,
                "unknown key \"\(prefix)\(name)\" is ignored; \(hint)known keys: \(known.joined(separator: ", "))")
        }
    }

    /// A scalar value as written, with its location; nil when absent or empty.
    func scalar(_ key: String, required: Bool = false, log: inout DiagnosticLog, example: String = "")
        -> (value: String, line: Int, column: Int)?
    {
        guard let node = value(key) else {
            if required {
                log.error(file, line, column, "\(prefix)\(key) is missing; add a line \"\(key): \(example)\"")
            }
            return nil
        }
        let at = location(node)
        guard let scalar = node.scalar else {
            log.error(file, at.line, at.column, "\(prefix)\(key) should be a single value, not a list or a group")
            return nil
        }
        let text = String(scalar.string.trimmedSpaces)
        if Self.isNull(scalar) {
            if required {
                log.error(file, at.line, at.column, "\(prefix)\(key) is empty; write it as \"\(key): \(example)\"")
            }
            return nil
        }
        return (text, at.line, at.column)
    }

    /// A nested mapping.
    func mapping(_ key: String, required: Bool = false, log: inout DiagnosticLog) -> YAMLMapping? {
        guard let node = value(key) else {
            if required { log.error(file, line, column, "\(prefix)\(key) is missing; add a \"\(key):\" section") }
            return nil
        }
        let at = location(node)
        guard let mapping = node.mapping else {
            log.error(file, at.line, at.column, "\(prefix)\(key) should be a group of indented \"key: value\" lines")
            return nil
        }
        return YAMLMapping(
            file: file, lineOffset: lineOffset, mapping: mapping, line: at.line, column: at.column,
            prefix: prefix + key + ".")
    }

    /// The items of a list; a single scalar counts as a one-item list, and a
    /// comma-separated scalar as several.
    /// Whether `scalar` is YAML's null: empty, or `~`, `null`, `Null` or
    /// `NULL` without quotes (YAML 1.2's core schema).
    static func isNull(_ scalar: Node.Scalar) -> Bool {
        let text = scalar.string.trimmedSpaces
        return text.isEmpty || (scalar.style == .plain && ["~", "null", "Null", "NULL"].contains(text))
    }

    func list(_ key: String, log: inout DiagnosticLog) -> [(node: Node, line: Int, column: Int)] {
        guard let node = value(key) else { return [] }
        let at = location(node)
        if let sequence = node.sequence {
            return sequence.map { item in
                let where_ = location(item)
                return (item, where_.line, where_.column)
            }
        }
        if let scalar = node.scalar {
            // YAML's null (nothing, `~`, `null`, `Null`, `NULL` unquoted) is no list at all.
            if Self.isNull(scalar) { return [] }
            return scalar.string.split(separator: ",").map {
                (Node(String($0.trimmedSpaces)), at.line, at.column)
            }
        }
        log.error(file, at.line, at.column, "\(prefix)\(key) should be a list: [a, b] or lines starting with \"- \"")
        return []
    }
}
