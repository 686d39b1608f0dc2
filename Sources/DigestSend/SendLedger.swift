import Foundation
import GRDB
import ListState
import WholeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The record of one list's sending of one month:
/// `state/sends/<list id>/<month>.sqlite`, a row per member. The ledger
/// records whose it is (its `list`): every row belongs to that list, and
/// a ledger of another list is refused.
///
/// A row is `pending` until the relay answers the message's data with 250,
/// then `sent` with that reply. A 4xx reply or a lost connection makes it
/// `failed-temporary`, with the attempts so far and when to try next (none:
/// left for the next run); a 5xx reply makes it `failed-permanent` with the
/// reply. A message whose end got no reply in time is `uncertain`: the
/// relay may have it, and only staff can decide to send it again. Each
/// change is its own transaction, committed before the next message goes
/// out (WAL), so a `send` killed at any moment and run again resends only
/// what the ledger does not record as sent. The file is synced to the disk
/// every second (``checkpoint()``): after a power cut, what was recorded in
/// the last second may be sent again.
///
/// The ledger holds members' addresses: it is created readable by its
/// owner only (mode 0600, and so are SQLite's `-wal` and `-shm` files), and
/// it is the only place besides the relay they go.
public final class SendLedger: Sendable {
    /// A row's state.
    public enum State: String, Sendable, CaseIterable, Codable {
        /// Not sent yet.
        case pending
        /// The relay took it (250).
        case sent
        /// Refused for now; tried again at `nextTry`.
        case failedTemporary = "failed-temporary"
        /// Refused for good.
        case failedPermanent = "failed-permanent"
        /// Sent whole, but no reply to its end: the relay may have it.
        case uncertain
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
        /// When to try next (seconds since 1970), for `failed-temporary`;
        /// nil when the run that failed it had no attempts left.
        public var nextTry: Double?
        /// The relay's last reply.
        public var reply: String?
        /// The message's `Message-ID`.
        public var messageID: String
        /// When the row last changed (seconds since 1970).
        public var updated: Double

        /// A row.
        public init(
            key: String, address: String, line: Int, state: State, attempts: Int, nextTry: Double?, reply: String?,
            messageID: String, updated: Double
        ) {
            self.key = key
            self.address = address
            self.line = line
            self.state = state
            self.attempts = attempts
            self.nextTry = nextTry
            self.reply = reply
            self.messageID = messageID
            self.updated = updated
        }

        enum CodingKeys: String, CodingKey {
            case key, address, line, state, attempts
            case nextTry = "next_try"
            case reply
            case messageID = "message_id"
            case updated
        }
    }

    let queue: DatabaseQueue
    /// The database file.
    public let path: String
    /// The file's device and inode when it was opened.
    private let identity: FileIdentity

    /// Opens the ledger of `list` at `path`, creating it (mode 0600) when
    /// missing; a ledger that records another list is refused
    /// (``SendError/otherList(path:recorded:now:)``).
    public convenience init(path: String, list: String) throws {
        try self.init(path: path)
        if let recorded = try meta("list") {
            guard recorded == list else { throw SendError.otherList(path: path, recorded: recorded, now: list) }
        } else {
            try setMeta("list", list)
        }
    }

    /// Opens the ledger at `path`, creating it (mode 0600) when missing.
    ///
    /// The ledger stays on one synchronous connection, unlike the
    /// suppression list's pool: only the send that holds the month's lock
    /// uses it, each commit takes microseconds, and SQLite's lock is kept
    /// between them (`locking_mode = EXCLUSIVE`), so waiting on a thread
    /// costs less than handing each commit to another. Each commit
    /// survives the process being killed (WAL); the file is synced at each
    /// checkpoint, which the send makes every second (``checkpoint()``),
    /// not at every commit: an fsync a message would be a third of the
    /// time of a fast send.
    ///
    /// - Throws: ``SendError/ledger(path:doing:cause:)`` with the cause.
    public init(path: String) throws(SendError) {
        do {
            queue = try StateDatabase.queue(
                path: path, durability: .atCheckpoints, exclusive: true, migrator: Self.migrator)
        } catch {
            throw .ledger(path: path, doing: "open", cause: error)
        }
        self.path = path
        guard let identity = FileIdentity(path: path) else { throw SendError.ledgerReplaced(path: path) }
        self.identity = identity
    }

    /// The ledger's schema.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try Self.createMessageTable(
                db, named: "message", states: ["pending", "sent", "failed-temporary", "failed-permanent"])
        }
        migrator.registerMigration("v2: uncertain") { db in
            // SQLite cannot change a CHECK: the table is made anew, rows
            // and their order (rowid) kept.
            try Self.createMessageTable(db, named: "message_v2", states: State.allCases.map(\.rawValue))
            try db.execute(
                sql: """
                    INSERT INTO message_v2 (rowid, key, address, line, state, attempts, next_try, reply, message_id, updated)
                    SELECT rowid, key, address, line, state, attempts, next_try, reply, message_id, updated FROM message
                    """)
            try db.drop(table: "message")
            try db.rename(table: "message_v2", to: "message")
        }
        migrator.registerMigration("v3: meta") { db in
            try db.create(table: "meta") { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
        }
        return migrator
    }

    private static func createMessageTable(_ db: Database, named name: String, states: [String]) throws {
        try db.create(table: name) { table in
            table.primaryKey("key", .text)
            table.column("address", .text).notNull()
            table.column("line", .integer).notNull()
            table.column("state", .text).notNull().check(
                sql: "state IN (\(states.map { "'\($0)'" }.joined(separator: ",")))")
            table.column("attempts", .integer).notNull().defaults(to: 0)
            table.column("next_try", .double)
            table.column("reply", .text)
            table.column("message_id", .text).notNull()
            table.column("updated", .double).notNull()
        }
        // No index on state: each message's update would then write two
        // pages instead of one, and the queries that read by state run
        // once a run, not once a message.
    }

    /// What the ledger records of itself (`transport`: where its messages
    /// went), or nil.
    public func meta(_ key: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// Records `value` under `key`.
    public func setMeta(_ key: String, _ value: String) throws {
        try queue.writeWithoutTransaction { db in
            try db.execute(
                sql:
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    /// The months `keys` were sent in, from the sent rows of this ledger:
    /// a set of the keys whose row is `sent`.
    public func sentKeys() throws -> Set<String> {
        try queue.read { db in Set(try String.fetchAll(db, sql: "SELECT key FROM message WHERE state = 'sent'")) }
    }

    /// True when the ledger has no row at all.
    public func isEmpty() throws -> Bool {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0 } == 0
    }

    /// Throws ``SendError/ledgerReplaced(path:)`` when `path` is no longer
    /// the file this ledger opened (deleted, or another put in its place).
    public func verifyStillInPlace() throws(SendError) {
        guard FileIdentity(path: path) == identity else { throw .ledgerReplaced(path: path) }
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

    /// Every row's key and state, in the order the rows were added: what a
    /// run starts from. Read column by column, not decoded as ``Entry``
    /// (decoding 100,000 rows took a third of a second before the first
    /// message).
    public func states() throws -> [(key: String, state: State)] {
        try queue.read { db in
            var states: [(key: String, state: State)] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT key, state FROM message ORDER BY rowid")
            while let row = try rows.next() {
                let key: String = row[0]
                let text: String = row[1]
                guard let state = State(rawValue: text) else {
                    throw DatabaseError(message: "unknown state \"\(text)\" in the ledger")
                }
                states.append((key, state))
            }
            return states
        }
    }

    /// The rows in `states`, in the order they were added.
    public func entries(in states: [State]) throws -> [Entry] {
        let marks = states.map { _ in "?" }.joined(separator: ",")
        return try queue.read { db in
            try Entry.fetchAll(
                db, sql: "SELECT * FROM message WHERE state IN (\(marks)) ORDER BY rowid",
                arguments: StatementArguments(states.map(\.rawValue)))
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

    /// Records a refusal for now, to try again at `nextTry` (nil: in the
    /// next run).
    public func markTemporary(_ key: String, reply: String, nextTry: Double?, now: Double) throws {
        try update(key, state: .failedTemporary, nextTry: nextTry, reply: reply, attempt: true, now: now)
    }

    /// Records a refusal for good.
    public func markPermanent(_ key: String, reply: String, now: Double) throws {
        try update(key, state: .failedPermanent, nextTry: nil, reply: reply, attempt: true, now: now)
    }

    /// Records a message sent whole whose end got no reply.
    public func markUncertain(_ key: String, reply: String, now: Double) throws {
        try update(key, state: .uncertain, nextTry: nil, reply: reply, attempt: true, now: now)
    }

    /// Makes the `uncertain` rows among `keys` pending again, on staff's
    /// word (`--retry-uncertain`), keeping what was known in the reply.
    ///
    /// - Returns: how many rows changed.
    @discardableResult
    public func releaseUncertain(among keys: Set<String>, now: Double) throws -> Int {
        let uncertain = try all().filter { $0.state == .uncertain && keys.contains($0.key) }
        for row in uncertain {
            try update(
                row.key, state: .pending, nextTry: nil,
                reply: "sent again on request after: " + (row.reply ?? "no reply"), attempt: false, now: now)
        }
        return uncertain.count
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
    /// from here on, not only a killed process. Then checks that the file
    /// is still the one opened (``verifyStillInPlace()``).
    public func checkpoint() throws {
        try verifyStillInPlace()
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
