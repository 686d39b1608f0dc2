import DigestSend
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The send's own session: a connection of its own holding the month's
/// advisory lock, its holder recorded for a second send to name; every
/// step bounded, closing included.
extension PostgresMonthLedger {
    /// Closes `connection`, waiting a few seconds at most: closing a
    /// connection the server dropped must not hang the send either.
    static func close(_ connection: PostgresConnection) async {
        _ = try? await Deadline.run(limit: .seconds(5)) { try await connection.close() }
    }

    /// A new connection holding the month's lock, its holder recorded.
    static func lockedSession(server: StateServer, list: String, month: String) async throws
        -> PostgresConnection
    {
        let logger = server.logger
        let configuration = server.connectionConfiguration
        let id = ids.wrappingAdd(1, ordering: .relaxed).oldValue
        let connection = try await server.bounded(doing: "connect") {
            try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
        }
        // Every query bounded too: a server gone at the wrong moment must
        // not leave the send waiting for an answer that never comes.
        let name = "digest send \(list) \(month)"
        do {
            let taken = try await server.bounded(doing: "take the send's lock") { [connection] in
                var taken = false
                for try await got in try await connection.query(
                    "SELECT pg_try_advisory_lock(hashtextextended(\(name), 0))", logger: logger
                ).decode(Bool.self) { taken = got }
                guard taken else { return false }
                // Each mark committed without waiting for the disk, as the
                // SQLite ledger's: a killed send loses nothing, and what the
                // server lost in a crash of its machine is at most the last
                // second (checkpoint() forces the disk each second).
                try await connection.query("SET synchronous_commit = off", logger: logger)
                let host = ProcessInfo.processInfo.hostName
                let process = Int(ProcessInfo.processInfo.processIdentifier)
                let now = Date().timeIntervalSince1970
                try await connection.query(
                    """
                    INSERT INTO digest_send_holder (list, month, host, process, since, backend)
                    VALUES (\(list), \(month), \(host), \(process), \(now), pg_backend_pid())
                    ON CONFLICT (list, month) DO UPDATE SET host = excluded.host, process = excluded.process,
                        since = excluded.since, backend = excluded.backend
                    """, logger: logger)
                return true
            }
            guard taken else {
                let holder = try await server.bounded(doing: "see who holds the send") { [connection] in
                    try await Self.holder(connection, name: name, list: list, month: month, logger: logger)
                }
                throw SendError.runningElsewhere(month: month, host: holder.0, process: holder.1, since: holder.2)
            }
            return connection
        } catch {
            await Self.close(connection)
            throw error
        }
    }

    static func holder(_ connection: PostgresConnection, name: String, list: String, month: String, logger: Logger)
        async throws -> (String, Int, Double)
    {
        for _ in 0..<40 {
            for try await row in try await connection.query(
                """
                SELECT h.host, h.process, h.since FROM digest_send_holder h JOIN pg_locks l ON l.pid = h.backend
                WHERE h.list = \(list) AND h.month = \(month) AND l.locktype = 'advisory' AND l.granted
                    AND l.objsubid = 1
                    AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(\(name), 0)
                """, logger: logger
            ).decode((String, Int, Double).self) { return row }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return ("another host", 0, Date().timeIntervalSince1970)
    }
}
