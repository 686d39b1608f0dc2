import CoalitionData
import DigestSend
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// One list's ledger of one month in PostgreSQL (`digest_send_message`),
/// and the month's lock: a session advisory lock on a connection of its
/// own, which every change of the ledger goes through. Holding the
/// connection is holding the lock: when the process dies (kill -9, a lost
/// host) the server ends the session and the lock with it, and a rerun
/// anywhere resumes from the ledger.
///
/// When the database goes away, each call waits and tries again (`retry`'s
/// attempts and waits), reconnecting and taking the lock again; if another
/// send took it meanwhile, the run stops (``SendError/runningElsewhere(month:host:process:since:)``),
/// and if the database does not come back in time, it stops with
/// ``SendError/stateUnavailable(location:cause:)``. A change is kept only
/// once the server said so: a message is never recorded `sent` that was
/// not, and what was recorded is never sent again.
public final class PostgresMonthLedger: MonthLedger, MonthLock {
    let server: StateServer
    /// The list.
    public let list: String
    /// The month (`2019-03`).
    public let month: String
    let retry: Coalition.Retry
    let sleep: @Sendable (Double) async throws -> Void
    private let session: Mutex<PostgresConnection?>
    private let reconnecting = Mutex<Task<PostgresConnection, any Error>?>(nil)
    static let ids = Atomic<Int>(1)

    /// Where the ledger is, as staff read it.
    public var location: String { "\(server.location) (list \(list), \(month))" }

    private init(
        server: StateServer, list: String, month: String, retry: Coalition.Retry,
        sleep: @escaping @Sendable (Double) async throws -> Void, session: PostgresConnection
    ) {
        self.server = server
        self.list = list
        self.month = month
        self.retry = retry
        self.sleep = sleep
        self.session = Mutex(session)
    }

    /// Takes the month's lock and opens its ledger.
    ///
    /// - Throws: ``SendError/runningElsewhere(month:host:process:since:)``
    ///   when another send holds the lock; ``SendError/stateUnavailable(location:cause:)``
    ///   when the database cannot be reached.
    public static func open(
        server: StateServer, list: String, month: String, retry: Coalition.Retry,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) async throws(SendError) -> PostgresMonthLedger {
        do {
            try await server.ready()
            let connection = try await lockedSession(server: server, list: list, month: month)
            return PostgresMonthLedger(
                server: server, list: list, month: month, retry: retry, sleep: sleep, session: connection)
        } catch let error as SendError {
            throw error
        } catch {
            throw .stateUnavailable(location: server.location, cause: error)
        }
    }

    /// Lets the lock go (the run is over).
    public func close() async {
        let connection = session.withLock { current -> PostgresConnection? in
            defer { current = nil }
            return current
        }
        if let connection { await Self.close(connection) }
    }

    /// Runs `body` on the locked session; when the database went away,
    /// waits and tries again, reconnecting and taking the lock again.
    ///
    /// The sessions of a send call this side by side: their queries share
    /// the one connection (PostgresNIO queues them), and when it is gone,
    /// one of them reconnects while the others wait for that connection
    /// (two would take the lock from each other).
    func perform<T: Sendable>(
        _ doing: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        var failures = 0
        while true {
            var used: PostgresConnection?
            do {
                let connection = try await current()
                used = connection
                let logger = server.logger
                return try await server.bounded(doing: doing) { try await body(connection, logger) }
            } catch let error as SendError {
                throw error
            } catch {
                let failure = DatabaseFailure.from(error, location: server.location, doing: doing)
                guard failure.isTransient else { throw failure }
                // Only the connection this call used is let go: another
                // call may have reconnected meanwhile.
                let dropped = session.withLock { current -> PostgresConnection? in
                    guard let held = current, used == nil || held === used else { return nil }
                    current = nil
                    return held
                }
                if let dropped { await Self.close(dropped) }
                failures += 1
                guard failures < max(retry.attempts, 2) else {
                    throw SendError.stateUnavailable(location: server.location, cause: failure)
                }
                do {
                    try await sleep(retry.delay(after: failures))
                } catch {
                    throw SendError.interrupted
                }
            }
        }
    }

    /// The locked session, opened again (by one caller at a time) when it is gone.
    private func current() async throws -> PostgresConnection {
        enum Step {
            case ready(PostgresConnection)
            case wait(Task<PostgresConnection, any Error>)
        }
        let step = session.withLock { connection -> Step in
            if let connection, !connection.isClosed { return .ready(connection) }
            connection = nil
            return reconnecting.withLock { task -> Step in
                if let task { return .wait(task) }
                let (server, list, month) = (server, list, month)
                let fresh = Task { try await Self.lockedSession(server: server, list: list, month: month) }
                task = fresh
                return .wait(fresh)
            }
        }
        switch step {
        case .ready(let connection): return connection
        case .wait(let task):
            let result = await task.result
            reconnecting.withLock { if $0 == task { $0 = nil } }
            let connection = try result.get()
            session.withLock { current in
                if current == nil { current = connection }
            }
            return connection
        }
    }

    // MARK: MonthLedger

    /// See ``MonthLedger``.
    public func states() async throws -> [(key: String, state: SendLedger.State)] {
        let rows = try await perform("read the ledger") { [list, month] connection, logger in
            var found: [KeyState] = []
            let rows = try await connection.query(
                "SELECT key, state FROM digest_send_message WHERE list = \(list) AND month = \(month) ORDER BY seq",
                logger: logger)
            for try await (key, text) in rows.decode((String, String).self) {
                guard let state = SendLedger.State(rawValue: text) else { continue }
                found.append(KeyState(key: key, state: state))
            }
            return found
        }
        return rows.map { (key: $0.key, state: $0.state) }
    }

    struct KeyState: Sendable {
        var key: String
        var state: SendLedger.State
    }

    /// See ``MonthLedger``.
    public func entries(in states: [SendLedger.State]) async throws -> [SendLedger.Entry] {
        try await perform("read the ledger") { [list, month] connection, logger in
            let wanted = states.map(\.rawValue)
            let rows = try await connection.query(
                """
                SELECT key, address, line, state, attempts, next_try, reply, message_id, updated
                FROM digest_send_message WHERE list = \(list) AND month = \(month) AND state = ANY(\(wanted))
                ORDER BY seq
                """, logger: logger)
            return try await Self.entries(rows)
        }
    }

    static func entries(_ rows: PostgresRowSequence) async throws -> [SendLedger.Entry] {
        var found: [SendLedger.Entry] = []
        for try await row in rows.decode((String, String, Int, String, Int, Double?, String?, String, Double).self) {
            guard let state = SendLedger.State(rawValue: row.3) else { continue }
            found.append(
                SendLedger.Entry(
                    key: row.0, address: row.1, line: row.2, state: state, attempts: row.4, nextTry: row.5,
                    reply: row.6, messageID: row.7, updated: row.8))
        }
        return found
    }

    /// See ``MonthLedger``.
    public func add(_ members: [(key: String, address: String, line: Int, messageID: String)], now: Double)
        async throws
    {
        guard !members.isEmpty else { return }
        let keys = members.map(\.key)
        let addresses = members.map(\.address)
        let lines = members.map(\.line)
        let ids = members.map(\.messageID)
        try await perform("write the ledger") { [list, month] connection, logger in
            try await connection.query(
                """
                INSERT INTO digest_send_message (list, month, key, address, line, state, message_id, updated)
                SELECT \(list), \(month), k, a, l, 'pending', m, \(now)
                FROM unnest(\(keys)::text[], \(addresses)::text[], \(lines)::bigint[], \(ids)::text[])
                    WITH ORDINALITY AS t(k, a, l, m, n)
                ORDER BY n
                ON CONFLICT (list, month, key) DO NOTHING
                """, logger: logger)
        }
    }

    /// See ``MonthLedger``.
    public func markSent(_ key: String, reply: String, now: Double) async throws {
        try await update(key, state: .sent, nextTry: nil, reply: reply, attempt: true, now: now)
    }

    /// See ``MonthLedger``.
    public func markTemporary(_ key: String, reply: String, nextTry: Double?, now: Double) async throws {
        try await update(key, state: .failedTemporary, nextTry: nextTry, reply: reply, attempt: true, now: now)
    }

    /// See ``MonthLedger``.
    public func markPermanent(_ key: String, reply: String, now: Double) async throws {
        try await update(key, state: .failedPermanent, nextTry: nil, reply: reply, attempt: true, now: now)
    }

    /// See ``MonthLedger``.
    public func markUncertain(_ key: String, reply: String, now: Double) async throws {
        try await update(key, state: .uncertain, nextTry: nil, reply: reply, attempt: true, now: now)
    }

    private func update(
        _ key: String, state: SendLedger.State, nextTry: Double?, reply: String, attempt: Bool, now: Double
    ) async throws {
        let step = attempt ? 1 : 0
        try await perform("write the ledger") { [list, month] connection, logger in
            try await connection.query(
                """
                UPDATE digest_send_message SET state = \(state.rawValue), next_try = \(nextTry), reply = \(reply),
                    attempts = attempts + \(step), updated = \(now)
                WHERE list = \(list) AND month = \(month) AND key = \(key)
                """, logger: logger)
        }
    }

    /// See ``MonthLedger``.
    @discardableResult
    public func releaseUncertain(among keys: Set<String>, now: Double) async throws -> Int {
        let uncertain = try await entries(in: [.uncertain]).filter { keys.contains($0.key) }
        for row in uncertain {
            try await update(
                row.key, state: .pending, nextTry: nil,
                reply: "sent again on request after: " + (row.reply ?? "no reply"), attempt: false, now: now)
        }
        return uncertain.count
    }

    /// Makes every mark so far safe on the server's disk (a commit that
    /// waits for it flushes all before it), and checks that the session,
    /// and so the lock, is still held. The send calls it each second.
    public func checkpoint() async throws {
        try await perform("write the ledger") { [list, month] connection, logger in
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SET LOCAL synchronous_commit = on", logger: logger)
                try await connection.query(
                    "UPDATE digest_send_holder SET since = since WHERE list = \(list) AND month = \(month)",
                    logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// See ``MonthLedger``.
    public func counts() async throws -> [SendLedger.State: Int] {
        try await server.withConnection(doing: "read the ledger") {
            [list, month, logger = server.logger]
            connection in
            try await Self.counts(list: list, month: month, connection, logger: logger)
        }
    }

    static func counts(list: String, month: String, _ connection: PostgresConnection, logger: Logger) async throws
        -> [SendLedger.State: Int]
    {
        var counts: [SendLedger.State: Int] = [:]
        let rows = try await connection.query(
            """
            SELECT state, COUNT(*) FROM digest_send_message WHERE list = \(list) AND month = \(month)
            GROUP BY state
            """, logger: logger)
        for try await (state, count) in rows.decode((String, Int).self) {
            if let state = SendLedger.State(rawValue: state) { counts[state] = count }
        }
        return counts
    }

    /// See ``MonthLedger``.
    public func isEmpty() async throws -> Bool {
        try await perform("read the ledger") { [list, month] connection, logger in
            let rows = try await connection.query(
                "SELECT 1 FROM digest_send_message WHERE list = \(list) AND month = \(month) LIMIT 1", logger: logger)
            for try await _ in rows.decode(Int.self) { return false }
            return true
        }
    }

    /// See ``MonthLedger``.
    public func meta(_ key: String) async throws -> String? {
        try await perform("read the ledger") { [list, month] connection, logger in
            let rows = try await connection.query(
                "SELECT value FROM digest_send_meta WHERE list = \(list) AND month = \(month) AND key = \(key)",
                logger: logger)
            for try await value in rows.decode(String.self) { return value }
            return nil
        }
    }

    /// See ``MonthLedger``.
    public func setMeta(_ key: String, _ value: String) async throws {
        try await perform("write the ledger") { [list, month] connection, logger in
            try await connection.query(
                """
                INSERT INTO digest_send_meta (list, month, key, value) VALUES (\(list), \(month), \(key), \(value))
                ON CONFLICT (list, month, key) DO UPDATE SET value = excluded.value
                """, logger: logger)
        }
    }

    /// Moves this month's rows and meta to `name` (`--new-ledger`): kept,
    /// never deleted, and no longer this month's.
    public func setAside(as name: String) async throws {
        try await perform("set the ledger aside") { [list, month] connection, logger in
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query(
                    "UPDATE digest_send_message SET month = \(name) WHERE list = \(list) AND month = \(month)",
                    logger: logger)
                try await connection.query(
                    "UPDATE digest_send_meta SET month = \(name) WHERE list = \(list) AND month = \(month)",
                    logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// See ``MonthLock``: recorded in the ledger's own meta.
    public func markFilled() async throws {
        try await setMeta("filled", "yes")
    }
}
