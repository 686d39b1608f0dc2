/// What became of one message handed to a transport.
public enum TransportResult: Sendable, Equatable {
    /// Accepted, with the reply to record (`250 2.0.0 Ok: queued as …`).
    case accepted(String)
    /// Refused for now (a 4xx reply): try again later.
    case deferred(String)
    /// Refused for good (a 5xx reply).
    case rejected(String)
    /// The connection broke, timed out or was closed by the relay (a 421)
    /// before the relay took the message: it was not delivered; try again
    /// later. It also counts toward the relay's consecutive failures.
    case lost(String)
    /// The whole message went out and no reply to its end came: the relay
    /// may have taken it. Never sent again without staff asking for it.
    case uncertain(String)
    /// No connection could be opened: the message was not offered at all.
    case unreachable(String)
}

/// Hands messages to the mail system: a relay over SMTP, or sendmail.
public protocol MessageTransport: Sendable {
    /// Where messages go, as the ledger records it: `smtp://host:port`,
    /// `sendmail:/usr/sbin/sendmail`. A month's ledger refuses another.
    var identity: String { get }

    /// Sends `data` (CRLF line ends) from `sender` to `recipient`.
    ///
    /// - Throws: ``SendError`` when nothing more can be sent with these
    ///   settings (the login is refused, TLS fails, the program cannot be
    ///   run); the run stops there.
    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult
    /// True when a session is open, so the next message goes without
    /// connecting first. A run opens its sessions one at a time.
    var isOpen: Bool { get async }
    /// Ends the session.
    func close() async
}

extension MessageTransport {
    /// Always true: a transport without sessions never waits its turn to open one.
    public var isOpen: Bool { true }
}
