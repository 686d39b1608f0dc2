/// Why talking to the relay failed. None of these carries a message's
/// recipient, so they can be printed and logged.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be opened.
    case connect(String)
    /// No reply within the timeout.
    case timeout(String)
    /// The server closed the connection.
    case closed
    /// The TLS handshake or certificate check failed.
    case tls(String)
    /// The server does not offer what the settings need (STARTTLS, AUTH).
    case unsupported(String)
    /// The server refused the login.
    case authentication(SMTPReply)
    /// The server answered a step with an unexpected reply.
    case unexpected(step: String, reply: SMTPReply)
    /// The server sent something that is not an SMTP reply.
    case malformedReply(String)

    /// The message as people read it.
    public var description: String {
        switch self {
        case .connect(let why): return "cannot connect to the relay: \(why)"
        case .timeout(let step): return "the relay did not answer in time (\(step))"
        case .closed: return "the relay closed the connection"
        case .tls(let why): return "TLS with the relay failed: \(why)"
        case .unsupported(let what): return "the relay does not offer \(what)"
        case .authentication(let reply):
            return "the relay refused the login (\(reply)); check mail.smtp.username and DIGEST_SMTP_PASSWORD"
        case .unexpected(let step, let reply): return "the relay answered \(step) with \(reply)"
        case .malformedReply(let text): return "the relay sent something that is not an SMTP reply: \(text)"
        }
    }

    /// True when the same message may go through on a new connection
    /// (a dropped connection, a timeout); false when the settings are wrong.
    public var isTransient: Bool {
        switch self {
        case .connect, .timeout, .closed, .malformedReply: return true
        case .unexpected(_, let reply): return reply.isTransient
        case .tls, .unsupported, .authentication: return false
        }
    }
}
