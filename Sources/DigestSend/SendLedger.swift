import Foundation
import GRDB

/// The record of one month's sending: `output/<month>/send.sqlite`, a row
/// per member.
///
/// A row is `pending` until the relay answers the message's data with 250,
/// then `sent` with that reply. A 4xx reply or a lost connection makes it
/// `failed-temporary`, with the attempts so far and when to try next; a 5xx
/// reply, or too many attempts, makes it `failed-permanent` with the reply.
/// Each change is its own transaction, committed before the next message
/// goes out (WAL), so a `send` killed at any moment and run again resends
/// only what the ledger does not record as sent. The file is synced to the
/// disk every second (``checkpoint()``): after a power cut, what was
/// recorded in the last second may be sent again.
///
/// The ledger holds members' addresses: it stays in `output/`, which is
/// never committed, and is the only place besides the relay they go.
public final class SendLedger: Sendable {
    /// A row's state.
    public enum State: String, Sendable, CaseIterable, Codable {
        /// Not sent yet.
        case pending
        /// The relay took it (250).
        case sent
        /// Refused for now; tried again at `nextTry`.
        case failedTemporary = "failed-temporary"
        /// Refused for good, or out of attempts.
        case failedPermanent = "failed-permanent"
    }

    /// One member's row.
    public struct Entry: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
        /// The table: `message`.
        public static let databaseTableName = "message"
        /// The member's key (the address with its domain in lower case).
        public var key: String
        /// The address the message went to.
        public var address: String
        /// The member's line in `members.csv` when the row was made.
        public var line: Int
        /// The row's state.
        public var state: State
        /// Attempts made.
        public var attempts: Int
        /// When to try next (seconds since 1970), for `failed-temporary`.
        public var nextTry: Double?
        /// The relay's last reply.
        public var reply: String?
        /// The message's `Message-ID`.
        public var messageID: String
        /// When the row last changed (seconds since 1970).
        public var updated: Double

        enum CodingKeys: String, CodingKey {
            case key, address, line, state, attempts
            case nextTry = "next_try"
            case reply
            case messageID = "message_id"
            case updated
        }
    }

    private let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens the ledger at `path`, creating it when missing.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // Each commit survives the process being killed (WAL); the file
            // is synced to the disk at each checkpoint, which the send makes
            // every second (``checkpoint()``), not at every commit: an fsync
            // a message would be a third of the time of a fast send.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Only the running send uses the ledger (it holds the month's
            // lock): keeping SQLite's lock saves taking it for every message.
            try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
        }
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        self.path = path
        _ = try queue.writeWithoutTransaction { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "message") { table in
                table.primaryKey("key", .text)
                table.column("address", .text).notNull()
                table.column("line", .integer).notNull()
                table.column("state", .text).notNull().check(
                    sql: "state IN ('pending','sent','failed-temporary','failed-permanent')")
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("next_try", .double)
                table.column("reply", .text)
                table.column("message_id", .text).notNull()
                table.column("updated", .double).notNull()
            }
            // No index on state: each message's update would then write two
            // pages instead of one, and the queries that read by state run
            // once a pass over the rows, not once a message.
        }
        try migrator.migrate(queue)
    }

    /// Adds a `pending` row for each member not in the ledger yet; rows
    /// already there keep their state.
    public func add(_ members: [(key: String, address: String, line: Int, messageID: String)], now: Double) throws {
        try queue.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO message (key, address, line, state, attempts, message_id, updated)
                    VALUES (?, ?, ?, 'pending', 0, ?, ?)
                    """)
            for member in members {
                try statement.execute(arguments: [member.key, member.address, member.line, member.messageID, now])
            }
        }
    }

    /// Rows to send now: pending, or failed-temporary and due, in the
    /// order they were added.
    public func due(now: Double) throws -> [Entry] {
        try queue.read { db in
            try Entry.fetchAll(
                db,
                sql: """
                    SELECT * FROM message
                    WHERE state = 'pending' OR (state = 'failed-temporary' AND next_try <= ?)
                    ORDER BY rowid
                    """, arguments: [now])
        }
    }

    /// The earliest retry still to come, for the keys in `keys`.
    public func nextRetry(among keys: Set<String>) throws -> Double? {
        try queue.read { db in
            try Entry.fetchAll(db, sql: "SELECT * FROM message WHERE state = 'failed-temporary'")
                .filter { keys.contains($0.key) }.compactMap(\.nextTry).min()
        }
    }

    /// Every row.
    public func all() throws -> [Entry] {
        try queue.read { db in try Entry.fetchAll(db, sql: "SELECT * FROM message ORDER BY rowid") }
    }

    /// Records the relay's 250.
    public func markSent(_ key: String, reply: String, now: Double) throws {
        try update(key, state: .sent, nextTry: nil, reply: reply, attempt: true, now: now)
    }

    /// Records a refusal for now, to try again at `nextTry`.
    public func markTemporary(_ key: String, reply: String, nextTry: Double, now: Double) throws {
        try update(key, state: .failedTemporary, nextTry: nextTry, reply: reply, attempt: true, now: now)
    }

    /// Records a refusal for good.
    public func markPermanent(_ key: String, reply: String, now: Double) throws {
        try update(key, state: .failedPermanent, nextTry: nil, reply: reply, attempt: true, now: now)
    }

    private func update(_ key: String, state: State, nextTry: Double?, reply: String, attempt: Bool, now: Double)
        throws
    {
        // One statement, committed on its own (SQLite's autocommit): the
        // same guarantee as a transaction around it, at half the cost.
        try queue.writeWithoutTransaction { db in
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE message SET state = ?, next_try = ?, reply = ?, attempts = attempts + ?, updated = ?
                    WHERE key = ?
                    """)
            try statement.execute(arguments: [state.rawValue, nextTry, reply, attempt ? 1 : 0, now, key])
        }

    }

    /// Syncs the ledger to the disk: what is committed survives a power cut
    /// from here on, not only a killed process.
    public func checkpoint() throws {
        try queue.writeWithoutTransaction { db in
            _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
        }
    }

    /// How many rows are in each state.
    public func counts() throws -> [State: Int] {
        try queue.read { db in
            var counts: [State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM message GROUP BY state") {
                if let state = State(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }
}
