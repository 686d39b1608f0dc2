/// What became of one message handed to a transport.
public enum TransportResult: Sendable, Equatable {
    /// Accepted, with the reply to record (`250 2.0.0 Ok: queued as …`).
    case accepted(String)
    /// Refused for now or lost on the way; try again later.
    case deferred(String)
    /// Refused for good.
    case rejected(String)
}

/// Hands messages to the mail system: a relay over SMTP, or sendmail.
public protocol MessageTransport: Sendable {
    /// Sends `data` (CRLF line ends) from `sender` to `recipient`.
    ///
    /// - Throws: ``SendError/relay(_:)`` when nothing more can be sent with
    ///   these settings (the login is refused, the relay cannot be reached
    ///   after every retry); the run stops there.
    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult
    /// Ends the session.
    func close() async
}
