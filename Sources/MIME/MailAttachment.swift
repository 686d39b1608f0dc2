/// A text file sent with a message, such as a calendar invitation.
public struct MailAttachment: Sendable, Equatable {
    /// The name a mail program shows and saves it under; ASCII letters,
    /// digits, `.`, `-` and `_` only (anything else is replaced by `_`).
    public var fileName: String
    /// The media type with its parameters, such as
    /// `text/calendar; charset=utf-8; method=PUBLISH`.
    public var contentType: String
    /// The content, sent quoted-printable.
    public var text: String

    /// Creates an attachment.
    public init(fileName: String, contentType: String, text: String) {
        self.fileName = String(
            fileName.unicodeScalars.map { scalar -> Character in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            })
        self.contentType = contentType.filter { !$0.isNewline }
        self.text = text
    }
}
