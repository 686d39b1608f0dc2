import CoalitionData
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// A PostgreSQL database holding lists' state: PostgresNIO's pooled
/// client, running for as long as this value lives, and the schema brought
/// up to date once, on first use (``ready()``), under an advisory lock so
/// that two hosts starting at once migrate it once.
///
/// Every call is bounded: a database that does not answer within the
/// address's `connect_timeout` (plus the statement's own time) is
/// ``DatabaseFailure/unreachable(location:cause:)``, never a wait without end,
/// so `digest serve` answers 503 and `digest send` waits and retries.
public final class StateServer: Sendable {
    /// The address, as messages show it (never with a password).
    public let address: DatabaseAddress
    let client: PostgresClient
    let connectionConfiguration: PostgresConnection.Configuration
    private let running: Task<Void, Never>
    private let migration = Mutex<Task<[String], any Error>?>(nil)
    let logger: Logger

    /// Connects to `address` (lazily: no connection is made until a call
    /// needs one) with `password`.
    ///
    /// - Throws: ``DatabaseFailure/settings(location:problem:)`` when the
    ///   TLS settings cannot be made (a `sslrootcert` that cannot be read).
    public init(address: DatabaseAddress, password: String?, maximumConnections: Int = 20) throws(DatabaseFailure) {
        self.address = address
        // Silent: PostgresNIO's trace logs would carry the queries' values.
        logger = Logger(label: "digest.state") { _ in SwiftLogNoOpLogHandler() }
        let configurations = try Self.configurations(address, password: password)
        var clientConfiguration = configurations.client
        clientConfiguration.options.maximumConnections = maximumConnections
        clientConfiguration.options.connectionIdleTimeout = .seconds(60)
        connectionConfiguration = configurations.connection
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// Stops the client: the calls under way fail, the connections close.
    public func close() { running.cancel() }

    /// Where the state is, as staff read it.
    public var location: String { address.description }

    /// The longest a call waits for the database before it is unreachable.
    var deadline: Duration { .seconds(address.connectTimeout + 5) }

    /// One connection made directly, not through the pool, and closed: the
    /// pool waits and tries again on any failure, where this says at once
    /// what is wrong (no server, the login refused, TLS).
    func probe() async throws {
        let configuration = connectionConfiguration
        let logger = self.logger
        let connection = try await bounded(doing: "connect") {
            try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        }
        try await connection.close()
    }

    /// Brings the schema up to date, once for this value (a failure is
    /// tried again by the next call).
    ///
    /// - Returns: the migrations this call applied.
    @discardableResult
    public func ready() async throws(DatabaseFailure) -> [String] {
        let task = migration.withLock { running -> Task<[String], any Error> in
            if let running { return running }
            let made = Task {
                try await self.probe()
                return try await PostgresSchema.migrate(self)
            }
            running = made
            return made
        }
        do {
            return try await task.value
        } catch {
            migration.withLock { $0 = nil }
            throw DatabaseFailure.from(error, location: location, doing: "bring the state's tables up to date")
        }
    }

    /// Runs `body` on a pooled connection, within ``deadline``.
    func withConnection<T: Sendable>(
        doing: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(DatabaseFailure) -> T {
        try await ready()
        return try await bounded(doing: doing) { [client] in try await client.withConnection(body) }
    }

    /// Runs `body` in one transaction on a pooled connection, within
    /// ``deadline``: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(
        doing: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(DatabaseFailure) -> T {
        try await ready()
        return try await bounded(doing: doing) { [client, logger] in
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Runs `body`, giving up after ``deadline``.
    func bounded<T: Sendable>(
        doing: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws(DatabaseFailure) -> T {
        let limit = deadline
        do {
            return try await Deadline.run(limit: limit, body)
        } catch is Deadline.Passed {
            throw DatabaseFailure.unreachable(
                location: location, cause: "no answer in \(limit.components.seconds) seconds")
        } catch {
            throw DatabaseFailure.from(error, location: location, doing: doing)
        }
    }

}
