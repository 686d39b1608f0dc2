import CoalitionData
import DigestModel
import Foundation
import MIME
import Mustache
import Wording

/// Renders a digest into the files of `output/<month>/`.
public struct DigestRenderer: Sendable {
    /// The output formats.
    public enum Format: String, CaseIterable, Sendable {
        /// `digest.txt`: the plain-text email body.
        case text
        /// `digest.html`: the HTML newsletter.
        case html
        /// `digest.eml`: the email, text and HTML together.
        case eml
        /// `digest.json`: the view model.
        case json
        /// `next-call.ics`: the next call for a calendar (none when no call is planned).
        case ics

        /// The file name it is written to.
        public var fileName: String {
            switch self {
            case .ics: return CallInvitation.fileName
            case .text: return "digest.txt"
            default: return "digest." + rawValue
            }
        }
    }

    /// Gmail clips messages whose HTML passes about 102 KB; `digest check`
    /// warns above this many bytes (quoted-printable encoded).
    public static let htmlSizeWarning = 90 * 1024

    /// The templates used.
    public let templates: TemplateSet
    /// The words of the language rendered in.
    public let words: Words
    /// The plain-text layout.
    public var layout: PlainTextLayout

    /// What every template sees beside its view: `w`, the catalogue's
    /// template words (`{{w.next_call}}`), and `lang`, the language's tag.
    let wordsNode: MustacheNode

    /// Creates a renderer with loaded templates, writing in `words`' language.
    public init(templates: TemplateSet, words: Words) {
        self.templates = templates
        self.words = words
        layout = PlainTextLayout(linksHeading: words.text("text.links"))
        wordsNode = MustacheNode.object(words.templateWords.mapValues(words.typeset))
    }

    /// `value` as the templates see it: with ``wordsNode`` and the language.
    func context(_ value: ViewValue) -> Any {
        context(typeset: typeset(value))
    }

    /// `value` with the language's typography over every string.
    func typeset(_ value: ViewValue) -> ViewValue {
        words.spacesHighPunctuation ? value.mappingStrings(FrenchSpacing.apply) : value
    }

    /// The context of a value already typeset (``typeset(_:)``).
    private func context(typeset value: ViewValue) -> Any {
        MustacheNode.context(value, adding: ["w": wordsNode, "lang": words.language])
    }

    /// The characters of call notes that fit on a phone's first screen
    /// with the rest: beyond them "In this issue" carries the Register
    /// button too (measured on the sample at 375 × 812 px).
    static let notesOnFirstScreen = 500

    /// The complete view model for `digest`, with the call notes laid out
    /// for each format: exactly what the templates see and `digest.json` holds.
    ///
    /// - Throws: ``RenderError/subject(_:_:)`` when `mail.subject` does not parse.
    public func view(for digest: Digest) throws(RenderError) -> DigestView {
        let digest = digest.localized(to: words.language)
        var view = DigestView(digest: digest, words: words)
        for (index, call) in digest.calls.enumerated() where index < view.calls.count {
            let notes = NotesActions.trimmed(call.notes, offering: digest.actions, words: words)
            view.calls[index].notesText = NotesText.markup(notes)
            view.calls[index].notesHtml = NotesHTML.html(notes)
        }
        view.call = view.calls.first
        // Notes of more than about a phone's screen push the Next call
        // section (and its Register button) off the first screen.
        let notes = view.calls.reduce(0) { $0 + ($1.notesText?.count ?? 0) }
        view.nextCall?.registerUpFront = notes > Self.notesOnFirstScreen
        // A `mail.subject` that does not parse is an error at its line,
        // never silently the default subject.
        if let pattern = digest.coalition.mail?.subject { view.subject = try Self.subject(pattern, view: view) }
        return view
    }

    /// `mail.subject` parsed as a Mustache line.
    ///
    /// - Throws: ``RenderError/subject(_:_:)`` naming the line in `coalition.yaml`.
    public static func subjectTemplate(_ pattern: Coalition.Pattern) throws(RenderError) -> MustacheTemplate {
        TemplateSet.registerContentTypes()
        do {
            return try MustacheTemplate(string: TemplateSet.textPragma + pattern.text)
        } catch {
            throw .subject(pattern, "mail.subject is not a valid Mustache line (\(error)); check its {{ and }}")
        }
    }

    /// Renders `mail.subject` over `view`: one line, runs of spaces as one,
    /// no bidirectional controls, and no dangling `:` or `—` where a value
    /// was empty; the default subject when nothing is left.
    ///
    /// - Throws: ``RenderError/subject(_:_:)`` when the pattern does not parse.
    public static func subject(_ pattern: Coalition.Pattern, view: DigestView) throws(RenderError) -> String {
        let template = try subjectTemplate(pattern)
        let rendered = template.render(MustacheNode.context(ViewValue(reflecting: view)))
            .replacingOccurrences(of: String(DigestTextContentType.lessThan), with: "<")
        var words = rendered.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        words = String(String.UnicodeScalarView(words.unicodeScalars.filter { !TextScan.isBidiControl($0) }))
        while let last = words.last, ":—-·|,".contains(last) || last == " " { words.removeLast() }
        return words.isEmpty ? view.subject : words
    }

    /// Renders the requested formats; keys are file names.
    ///
    /// - Throws: ``RenderError`` when a template is missing, or the email
    ///   cannot be built (no mail settings, a header with a line break).
    public func render(_ digest: Digest, formats: [Format] = Format.allCases) throws(RenderError) -> [String: Data] {
        let digest = digest.localized(to: words.language)
        let view = try view(for: digest)
        if let pattern = digest.coalition.mail?.subject { _ = try Self.subjectTemplate(pattern) }
        // The JSON is what the templates see: the language's typography too.
        let value = typeset(ViewValue(reflecting: view))
        var files: [String: Data] = [:]
        let needsText = formats.contains(.text) || formats.contains(.eml)
        let needsHTML = formats.contains(.html) || formats.contains(.eml)
        let context = needsText || needsHTML ? self.context(typeset: value) : ()
        let text = needsText ? try self.text(context: context) : ""
        let html = needsHTML ? try self.html(context: context) : ""
        let invitation =
            formats.contains(.ics) || formats.contains(.eml) ? CallInvitation.ics(for: digest, words: words) : nil
        for format in formats {
            switch format {
            case .ics: if let invitation { files[format.fileName] = Data(invitation.utf8) }
            case .json: files[format.fileName] = Data(value.json.utf8)
            case .text: files[format.fileName] = Data(text.utf8)
            case .html: files[format.fileName] = Data(html.utf8)
            case .eml:
                do {
                    var message = try DigestMail.message(for: digest, subject: view.subject, text: text, html: html)
                    message.language = words.language
                    if let invitation {
                        message.attachments = [
                            MailAttachment(
                                fileName: CallInvitation.fileName,
                                contentType: "text/calendar; charset=utf-8; method=PUBLISH", text: invitation)
                        ]
                    }
                    files[format.fileName] = Data(message.encoded().utf8)
                } catch {
                    throw .mail(error)
                }
            }
        }
        return files
    }

    /// The plain-text digest for a view model.
    public func text(_ value: ViewValue) throws(RenderError) -> String {
        try text(context: context(value))
    }

    private func text(context: Any) throws(RenderError) -> String {
        guard let markup = templates.render("digest.txt", context: context) else {
            throw RenderError.missingTemplate("digest.txt.mustache")
        }
        return layout.layout(markup)
    }

    /// The HTML newsletter for a view model.
    public func html(_ value: ViewValue) throws(RenderError) -> String {
        try html(context: context(value))
    }

    private func html(context: Any) throws(RenderError) -> String {
        guard let html = templates.render("digest.html", context: context) else {
            throw RenderError.missingTemplate("digest.html.mustache")
        }
        return html
    }

    /// Renders the HTML template `name` (such as `web/page.html`) over
    /// `value`: the web archive's pages use the newsletter's partials this way.
    ///
    /// - Throws: ``RenderError/missingTemplate(_:)`` when there is no such template.
    public func page(_ name: String, _ value: ViewValue) throws(RenderError) -> String {
        guard let html = templates.render(name, context: context(value)) else {
            throw RenderError.missingTemplate(name + ".mustache")
        }
        return html
    }

    /// Renders the plain-text template `name` (such as `country-news.txt`)
    /// over `value` and lays it out: the markup of a block the digest
    /// splices in, laid out as the digest would.
    ///
    /// - Throws: ``RenderError/missingTemplate(_:)`` when there is no such template.
    public func textMarkup(_ name: String, _ value: ViewValue) throws(RenderError) -> String {
        guard let markup = templates.render(name, context: context(value)) else {
            throw RenderError.missingTemplate(name + ".mustache")
        }
        return markup
    }

    /// A value from the data laid out as one paragraph, exactly as a text
    /// template line `{{value}}` would give it: a member's greeting.
    public func textParagraph(_ value: String) -> String {
        layout.layout(DigestTextContentType().escapeText(value))
    }

    /// The size of `html` once quoted-printable encoded, as mail carries it.
    public static func encodedSize(_ html: String) -> Int {
        QuotedPrintable.encode(html).utf8.count
    }
}

/// A digest that cannot be rendered.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    /// A template the format needs is not in the templates folder.
    case missingTemplate(String)
    /// The email could not be built.
    case mail(DigestMailError)
    /// `mail.subject` does not parse.
    case subject(Coalition.Pattern, String)

    /// The message as people read it.
    public var description: String {
        switch self {
        case .missingTemplate(let name):
            return "the template \(name) is missing from the templates folder; restore it from the repository"
        case .mail(let error): return error.description
        case .subject(let pattern, let message): return "\(pattern.file):\(pattern.line):\(pattern.column): \(message)"
        }
    }
}
