/// Why a connection, its TLS or its settings failed: the words staff read,
/// and the error underneath when there is one (NIO's, NIOSSL's,
/// BoringSSL's), kept for whoever needs more than the words. Two causes
/// are equal when their words are: the error underneath is not compared.
public struct SMTPCause: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The words.
    public var text: String
    /// The error underneath, when there is one.
    public var error: (any Error)?

    /// A cause in words, with the error underneath.
    public init(_ text: String, error: (any Error)? = nil) {
        self.text = text
        self.error = error
    }

    /// A cause in words alone.
    public init(stringLiteral text: String) {
        self.init(text)
    }

    /// An error's own words, with the error kept.
    public static func of(_ error: any Error) -> SMTPCause {
        SMTPCause(String(describing: error), error: error)
    }

    /// The words.
    public var description: String { text }

    /// Equal words.
    public static func == (lhs: SMTPCause, rhs: SMTPCause) -> Bool { lhs.text == rhs.text }
}
