import CoalitionData
import Foundation
import SMTP

/// Sends through a relay over one SMTP connection, reopened when it drops.
public actor SMTPTransport: MessageTransport {
    private let settings: SMTPConnection.Settings
    private let retry: Coalition.Retry
    private let sleep: @Sendable (Double) async -> Void
    private var connection: SMTPConnection?
    /// Connections opened so far (the benchmark and tests read it).
    public private(set) var connections = 0

    /// A transport for `relay`, logging in with `password` when the relay
    /// names a user.
    public init(
        relay: Coalition.SMTPRelay, password: String?, retry: Coalition.Retry,
        sleep: @escaping @Sendable (Double) async -> Void = { seconds in
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
        }
    ) {
        let security: SMTPConnection.Security
        switch relay.security {
        case .starttls: security = .starttls
        case .tls: security = .tls
        case .none: security = .none
        }
        let credentials = relay.username.map { (username: $0, password: password ?? "") }
        // EHLO gives the machine's name when it is a full one (RFC 5321 4.1.4).
        let hostName = ProcessInfo.processInfo.hostName
        settings = SMTPConnection.Settings(
            host: relay.host, port: relay.port, security: security, credentials: credentials,
            certificateAuthority: relay.certificateAuthority, timeout: relay.timeout,
            clientName: hostName.contains(".")
                && hostName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
                ? hostName : "localhost")
        self.retry = retry
        self.sleep = sleep
    }

    /// Sends over the open connection, opening one when there is none.
    public func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError)
        -> TransportResult
    {
        let connection = try await open()
        do {
            let outcome = try await connection.send(from: sender, to: recipient, data: data)
            if !connection.isUsable {
                self.connection = nil
                await connection.close()
            }
            switch outcome {
            case .accepted(let reply): return .accepted(reply.description)
            case .deferred(let reply): return .deferred(reply.description)
            case .rejected(let reply): return .rejected(reply.description)
            }
        } catch {
            // The connection is gone; whether the relay kept the message is
            // unknown, and it has no 250, so it stays unsent.
            self.connection = nil
            await connection.close()
            return .deferred(error.description)
        }
    }

    /// Says QUIT and closes the connection.
    public func close() async {
        await connection?.close()
        connection = nil
    }

    /// The open connection, or a new one; a relay that cannot be reached is
    /// tried again with the retry settings' waits before giving up.
    private func open() async throws(SendError) -> SMTPConnection {
        if let connection, connection.isUsable { return connection }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let opened = try await SMTPConnection.connect(settings)
                connection = opened
                connections += 1
                return opened
            } catch {
                guard error.isTransient, attempt < retry.attempts else {
                    throw .relay(error.description)
                }
                await sleep(retry.delay(after: attempt))
            }
        }
    }
}
