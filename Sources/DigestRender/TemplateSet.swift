import Foundation
import Mustache

/// The Mustache templates of a `templates/` folder, parsed once.
///
/// Every `*.mustache` file is loaded, named by its path without the
/// extension (`digest.txt`, `partials/header.html`), so templates can use
/// each other as partials (`{{> partials/header.html}}`). Templates whose
/// name ends in `.txt` render as plain text (nothing is HTML-escaped); all
/// others escape `& < > " '` for HTML, so a value is safe in element text
/// and in quoted attributes.
public struct TemplateSet: Sendable {
    private let library: MustacheLibrary
    /// The names of the loaded templates, sorted.
    public let names: [String]

    /// Loads the templates under `folder`: every one, or only `roots` and
    /// the partials they use (every process parses what it loads, and a
    /// render needs none of the web archive's or `digest serve`'s pages).
    ///
    /// - Parameters:
    ///   - display: how to name the folder in errors (as the user typed it).
    ///   - roots: the templates a job renders; nil for all (`check`, the preview).
    /// - Throws: ``TemplateError`` naming file, line and column of the first
    ///   template that does not parse, or the folder that cannot be read.
    public init(folder: String, display: String? = nil, roots: Set<String>? = nil) throws(TemplateError) {
        let shown = display ?? folder
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw TemplateError(file: shown, line: 1, column: 1, message: "the templates folder cannot be read")
        }
        var sources: [String: String] = [:]
        for case let url as URL in enumerator where url.pathExtension == "mustache" {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            // Unreadable: an error naming the file (its cause is not UTF-8 or permissions).
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw TemplateError(
                    file: shown + "/" + relative, line: 1, column: 1,
                    message: "this template is not readable UTF-8 text")
            }
            sources[String(relative.dropLast(".mustache".count))] = text
        }
        if sources.isEmpty {
            throw TemplateError(
                file: shown, line: 1, column: 1,
                message: "no templates found (expected files such as digest.txt.mustache); pass --templates FOLDER")
        }
        if let roots { sources = Self.closure(of: roots, in: sources) }
        try self.init(sources: sources, folder: shown)
    }

    /// `roots` and every template they name as a partial (`{{> name}}`),
    /// at any depth. A template that changes its delimiters (`{{=`) could
    /// name partials this cannot see: then every template is kept.
    static func closure(of roots: Set<String>, in sources: [String: String]) -> [String: String] {
        if sources.values.contains(where: { $0.contains("{{=") }) { return sources }
        var kept: [String: String] = [:]
        var waiting = Array(roots)
        while let name = waiting.popLast() {
            guard kept[name] == nil, let source = sources[name] else { continue }
            kept[name] = source
            waiting += partials(in: source)
        }
        return kept
    }

    /// The names in `{{> name}}` tags.
    static func partials(in source: String) -> [String] {
        var names: [String] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{>") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            let name = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// Parses templates given as text, keyed by name (tests use this).
    public init(sources: [String: String], folder: String = "templates") throws(TemplateError) {
        _ = Self.registration
        var library = MustacheLibrary()
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            let isText = name.hasSuffix(".txt")
            // The pragma sits on line 1 before the template's own text, so only
            // line-1 columns need shifting back.
            let prefix = isText ? Self.textPragma : Self.htmlPragma
            do {
                let template = try MustacheTemplate(string: prefix + source)
                library.register(template, named: name)
            } catch let error as MustacheTemplate.ParserError {
                let line = error.context.lineNumber
                let column = line == 1 ? max(1, error.context.columnNumber - prefix.count) : error.context.columnNumber
                throw TemplateError(
                    file: "\(folder)/\(name).mustache", line: line, column: column,
                    message: Self.describe(error.error), cause: error)
            } catch {
                throw TemplateError(
                    file: "\(folder)/\(name).mustache", line: 1, column: 1, message: "\(error)", cause: error)
            }
        }
        self.library = library
        self.names = sources.keys.sorted()
    }

    static let textPragma = "{{% CONTENT_TYPE: \(DigestTextContentType.name)}}"
    static let htmlPragma = "{{% CONTENT_TYPE: \(DigestHTMLContentType.name)}}"

    /// Registers the digest's content types with swift-mustache before a
    /// template that names them is parsed (the subject line is parsed on
    /// its own, by `check`, before any template is loaded).
    static func registerContentTypes() { _ = registration }

    /// swift-mustache keeps content types in a global table; once is enough.
    private static let registration: Void = {
        MustacheContentTypes.register(DigestHTMLContentType(), named: DigestHTMLContentType.name)
        MustacheContentTypes.register(DigestTextContentType(), named: DigestTextContentType.name)
    }()

    /// Whether a template of that name was loaded.
    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// Renders the template `name` with `context`; nil when there is no such template.
    public func render(_ name: String, context: Any) -> String? {
        library.render(context, withTemplate: name)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect:
            return "a section is closed with a different name than it was opened with ({{#name}} … {{/name}})"
        case MustacheTemplate.Error.unfinishedName:
            return "a tag is not closed; every {{ needs its }}"
        case MustacheTemplate.Error.expectedSectionEnd:
            return "a section is never closed; add {{/name}} for every {{#name}} and {{^name}}"
        case MustacheTemplate.Error.invalidSetDelimiter:
            return "invalid delimiter change"
        default:
            return "the template cannot be read (\(error))"
        }
    }
}

/// A template that cannot be loaded.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The template file.
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// Column, from 1.
    public var column: Int
    /// What is wrong.
    public var message: String
    /// The error underneath (the parser's, the file system's), when there is one.
    public var cause: (any Error)? = nil

    /// `file:line:column: error: message`.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}
