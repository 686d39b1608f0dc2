import SMTP

/// Sends through a relay over one SMTP connection, reopened when it drops.
///
/// It tries each connection once: waiting and giving up are the run's
/// business (``SendRun`` stops after a few consecutive failures), so an
/// unreachable relay costs seconds, not members × attempts × timeout.
public actor SMTPTransport: MessageTransport {
    private let settings: SMTPConnection.Settings
    private var connection: SMTPConnection?
    /// Connections opened so far (the benchmark and tests read it).
    public private(set) var connections = 0

    /// Where messages go: `smtp://host:port`.
    public nonisolated let identity: String

    /// Messages a connection carries before it is closed and a new one
    /// opened (`mail.smtp.per_connection`, a relay's own limit); nil for none.
    private let perConnection: Int?

    /// A transport with the SMTP client's own settings, closing each
    /// connection after `perConnection` messages when given.
    public init(settings: SMTPConnection.Settings, perConnection: Int? = nil) {
        self.settings = settings
        self.perConnection = perConnection
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host.lowercased()
        identity = "smtp://\(host):\(settings.port)"
    }

    /// True while the connection can carry the next message.
    public var isOpen: Bool { connection?.isUsable == true }

    /// Messages the open connection has carried.
    private var carried = 0

    /// Sends over the open connection, opening one when there is none.
    ///
    /// A connection that has already carried messages and then drops, or
    /// answers 421, before this message's end is a relay ending a long
    /// session (a limit of messages a connection, an idle timeout), not a
    /// relay in trouble: the message, which it has not taken, is offered
    /// once more on a new connection at once. Any failure on a new
    /// connection is the run's to count and wait for.
    public func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError)
        -> TransportResult
    {
        let reused = connection?.isUsable == true && carried > 0
        let result = try await attempt(from: sender, to: recipient, data: data)
        guard reused else { return result }
        switch result {
        case .lost: return try await attempt(from: sender, to: recipient, data: data)
        default: return result
        }
    }

    private func attempt(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError)
        -> TransportResult
    {
        let connection: SMTPConnection
        if let open = self.connection, open.isUsable {
            connection = open
        } else {
            self.connection = nil
            carried = 0
            do {
                connection = try await SMTPConnection.connect(settings)
            } catch {
                guard error.isTransient else { throw .relay(error) }
                return .unreachable(error.description)
            }
            self.connection = connection
            connections += 1
        }
        let outcome: SMTPConnection.Outcome
        do {
            outcome = try await connection.send(from: sender, to: recipient, data: data)
        } catch {
            // The connection is gone before the relay took the message
            // (it broke before the message's end, or the relay reset it
            // with the message unread): it stays unsent.
            self.connection = nil
            await connection.close()
            guard error.isTransient else { throw .relay(error) }
            return .lost(error.description)
        }
        if !connection.isUsable {
            self.connection = nil
            await connection.close()
        }
        switch outcome {
        case .accepted(let reply):
            carried += 1
            // The relay's limit of messages a connection: QUIT before it
            // refuses, and the next message opens a new one.
            if let perConnection, carried >= perConnection, self.connection != nil {
                self.connection = nil
                await connection.close()
            }
            return .accepted(reply.description)
        case .deferred(let reply):
            // 421: the relay is closing the connection (RFC 5321 3.8), a
            // sign of the relay's trouble rather than this message's.
            return reply.code == 421 ? .lost(reply.description) : .deferred(reply.description)
        case .rejected(let reply): return .rejected(reply.description)
        case .uncertain(let why): return .uncertain(why)
        }
    }

    /// Says QUIT and closes the connection.
    public func close() async {
        await connection?.close()
        connection = nil
    }
}
