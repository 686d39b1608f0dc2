import CoalitionData
import DigestModel
import Foundation

/// Renders a digest into the files of `output/<month>/`.
public struct DigestRenderer: Sendable {
    /// The output formats.
    public enum Format: String, CaseIterable, Sendable {
        /// `digest.txt`: the plain-text email body.
        case text
        /// `digest.json`: the view model.
        case json

        /// The file name it is written to.
        public var fileName: String {
            switch self {
            case .text: return "digest.txt"
            case .json: return "digest.json"
            }
        }
    }

    /// The templates used.
    public let templates: TemplateSet
    /// The plain-text layout.
    public var layout = PlainTextLayout()

    /// Creates a renderer with loaded templates.
    public init(templates: TemplateSet) {
        self.templates = templates
    }

    /// The complete view model for `digest`, with the call notes laid out
    /// for each format: exactly what the templates see and `digest.json` holds.
    public func view(for digest: Digest) -> DigestView {
        var view = DigestView(digest: digest)
        if let call = digest.call {
            view.call?.notesText = NotesText.markup(call.notes)
        }
        return view
    }

    /// Renders the requested formats; keys are file names.
    ///
    /// - Throws: ``RenderError`` when a template the format needs is missing.
    public func render(_ digest: Digest, formats: [Format] = Format.allCases) throws(RenderError) -> [String: Data] {
        let value = ViewValue(reflecting: view(for: digest))
        var files: [String: Data] = [:]
        for format in formats {
            switch format {
            case .json:
                files[format.fileName] = Data(value.json.utf8)
            case .text:
                files[format.fileName] = Data(try text(value).utf8)
            }
        }
        return files
    }

    /// The plain-text digest for a view model.
    public func text(_ value: ViewValue) throws(RenderError) -> String {
        guard let markup = templates.render("digest.txt", context: value.mustacheContext) else {
            throw RenderError.missingTemplate("digest.txt.mustache")
        }
        return layout.layout(markup)
    }
}

/// A digest that cannot be rendered.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    /// A template the format needs is not in the templates folder.
    case missingTemplate(String)

    public var description: String {
        switch self {
        case .missingTemplate(let name):
            return "the template \(name) is missing from the templates folder; restore it from the repository"
        }
    }
}
