/// Why a message could not be built.
public enum MIMEError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header value holds a line break, which would start another header.
    case lineBreak(field: String, value: String)
    /// Not a `Name <local@domain>` or `local@domain` address, and why.
    case invalidAddress(String, reason: String)

    /// The message as people read it.
    public var description: String {
        switch self {
        case .lineBreak(let field, _):
            return "the \(field) contains a line break; write it on one line"
        case .invalidAddress(let text, let reason):
            return
                "\"\(text)\" is not an email address: \(reason); write it as name@example.org or Name <name@example.org>"
        }
    }
}
