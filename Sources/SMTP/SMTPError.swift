/// Why talking to the relay failed, in the protocol's terms. None of these
/// carries a message's recipient. Text that came from the server is kept
/// as it came: whoever prints it quotes its control characters.
///
/// The module knows nothing of where its settings come from: the layer
/// that reads them says which one to change.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be opened: the host and port, and why
    /// ("connection refused", "no such host").
    case connect(SMTPCause)
    /// No reply within the timeout, at the step named.
    case timeout(String)
    /// The server closed the connection.
    case closed
    /// The connection broke ("broken pipe").
    case lost(SMTPCause)
    /// The relay reset the connection (TCP RST). A relay that closes with
    /// data it has not read resets (RFC 1122 section 4.2.2.13), so after a
    /// message's end this says the relay did not read it to the end.
    case reset
    /// A reply that cannot answer the command it came for (a 354 to MAIL,
    /// a 250 to DATA): client and relay are out of step, as when pipelined
    /// replies arrive in another order.
    case outOfStep(step: String, reply: SMTPReply)
    /// The TLS handshake or certificate check failed.
    case tls(SMTPCause)
    /// The TLS settings themselves cannot be used (a certificate file that
    /// cannot be read).
    case tlsSettings(SMTPCause)
    /// The server sent more after its `220` to STARTTLS, before TLS began.
    /// Whatever it was cannot be trusted (RFC 3207 section 4.2); the
    /// connection is closed before anything is sent.
    case injection
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
        case .lost(let why): return "the connection to the relay was lost: \(why)"
        case .reset: return "the relay reset the connection"
        case .outOfStep(let step, let reply):
            return
                "the relay answered \(step) with \(reply), which is no answer to it (client and relay are out of step)"
        case .tls(let why): return "TLS with the relay failed: \(why)"
        case .tlsSettings(let why): return "the TLS settings cannot be used: \(why)"
        case .injection:
            return
                "the relay sent more text right after agreeing to STARTTLS, before encryption began; that text may have been put there by someone between this machine and the relay (RFC 3207 section 4.2), so the connection was closed and nothing was sent"
        case .unsupported(let what): return "the relay does not offer \(what)"
        case .authentication(let reply): return "the relay refused the login (\(reply))"
        case .unexpected(let step, let reply): return "the relay answered \(step) with \(reply)"
        case .malformedReply(let text): return "the relay sent something that is not an SMTP reply: \(text)"
        }
    }

    /// True when the same message may go through on a new connection
    /// (a refused or dropped connection, a timeout, a 4xx); false when the
    /// settings are wrong or the connection cannot be trusted.
    public var isTransient: Bool {
        switch self {
        case .connect, .timeout, .closed, .lost, .reset, .outOfStep, .malformedReply: return true
        case .unexpected(_, let reply): return reply.isTransient
        case .tls, .tlsSettings, .injection, .unsupported, .authentication: return false
        }
    }
}
