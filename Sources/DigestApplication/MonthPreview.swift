import Foundation

/// The files behind one preview page, rendered in memory.
public struct MonthPreview: Sendable {
    /// `digest.txt`, `digest.html`, `digest.eml`, `digest.json`, `report.xlsx`.
    public var files: [String: Data]
    /// The newsletter's size once quoted-printable encoded.
    public var encodedHTMLSize: Int
    /// Problems met while rendering (an email that cannot be built, cut text).
    public var notes: [String]
    /// What an inbox shows: the sender's name, the subject, the preheader.
    public var sender: String
    /// The subject line.
    public var subject: String
    /// The preheader, the line inboxes show after the subject.
    public var preheader: String
    /// Why there is no workbook, when it could not be made.
    public var workbookError: ProjectError?
    /// The language previewed.
    public var language: String = "en"
    /// What staff have not translated into this language: "1 call's
    /// notes and 3 events stay in English"; nil in the coalition's own
    /// language or when all is translated.
    public var untranslated: String?
}
