import Foundation
import GRDB
import WholeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The addresses not to mail, with why, from where and when:
/// `state/suppressions.sqlite` (SQLite through GRDB), beside the send
/// ledgers and never inside `output/`.
///
/// An address is kept by its mailbox (``mailbox(_:)``: the whole address
/// in lower case), so `Amina@` and `amina@` are one. Every change is a
/// committed transaction before the call returns: a one-click unsubscribe
/// answered 200 is on the disk. Every suppression and every resubscription
/// is also kept as an event, so the list's history can be read back.
///
/// The file holds addresses: it is created readable by its owner only
/// (mode 0600, and SQLite's `-wal` and `-shm` files take the same mode).
public final class SuppressionList: Sendable {
    /// Why an address is suppressed.
    public enum Reason: String, Sendable, CaseIterable, Codable {
        /// The member asked to stop (one-click, the page, staff on their word).
        case unsubscribed
        /// A mail server said the mailbox or domain does not exist.
        case hardBounce = "hard-bounce"
        /// Deliveries failed for now too often (``BounceRecord``).
        case softBounces = "soft-bounces"
        /// The member marked the digest as spam.
        case complaint
        /// Staff decided, for a reason of their own.
        case staff
    }

    /// Where a suppression came from.
    public enum Source: String, Sendable, CaseIterable, Codable {
        /// RFC 8058's one-click POST from a mail client.
        case oneClick = "one-click"
        /// The button on the unsubscribe or preferences page.
        case page
        /// The relay's reply while sending.
        case relayReply = "relay reply"
        /// A delivery report read from the bounce mailbox.
        case deliveryReport = "delivery report"
        /// A `digest members` command.
        case command
    }

    /// One suppressed address.
    public struct Entry: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
        /// The table: `suppression`.
        public static let databaseTableName = "suppression"
        /// The mailbox (lower case).
        public var mailbox: String
        /// Why.
        public var reason: Reason
        /// From where.
        public var source: Source
        /// What was said (a relay's reply, a report's status), never shown with the address.
        public var detail: String?
        /// When (seconds since 1970).
        public var created: Double
    }

    private let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// The mailbox of an address: the whole address in lower case.
    public static func mailbox(_ address: String) -> String { address.lowercased() }

    /// Opens the list at `path`, creating it (mode 0600) when missing.
    public init(path: String) throws {
        try PrivateFile.prepare(path)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // A suppression must survive a power cut as soon as it is
            // answered: every commit is synced.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        self.path = path
        try Self.enableWAL(queue)
        // The schema is made under SQLite's write lock (BEGIN IMMEDIATE)
        // and numbered in `user_version`: ten processes opening a new list
        // at once (ten `members unsubscribe`, a send and the server) make
        // it once. GRDB's DatabaseMigrator reads what was applied before it
        // takes the lock, so two processes could both create the tables.
        try queue.inTransaction(.immediate) { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if version < 1 {
                // A list made before the schema was numbered has its tables.
                if try !db.tableExists("suppression") { try Self.createVersion1(db) }
                try db.execute(sql: "PRAGMA user_version = 1")
            }
            return .commit
        }
        PrivateFile.restrictSiblings(path)
    }

    /// Puts the list in WAL mode (once set, it stays with the file).
    /// SQLite answers a change of journal mode with "database is locked" at
    /// once, without waiting, while another connection opens the file; so
    /// this asks again for up to ten seconds.
    private static func enableWAL(_ queue: DatabaseQueue) throws {
        var tries = 0
        while true {
            do {
                let mode = try queue.writeWithoutTransaction { db in
                    try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                }
                if mode?.lowercased() == "wal" { return }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && tries < 200 {
                // Another connection holds the file for a moment.
            }
            tries += 1
            guard tries <= 200 else {
                throw DatabaseError(
                    resultCode: .SQLITE_BUSY, message: "the list stays locked; is another program holding it?")
            }
            usleep(50_000)
        }
    }

    /// The tables of the first version.
    private static func createVersion1(_ db: Database) throws {
        try db.create(table: "suppression") { table in
            table.primaryKey("mailbox", .text)
            table.column("reason", .text).notNull().check(
                sql: "reason IN (\(Reason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
            table.column("source", .text).notNull().check(
                sql: "source IN (\(Source.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
            table.column("detail", .text)
            table.column("created", .double).notNull()
        }
        try db.create(table: "event") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("mailbox", .text).notNull()
            table.column("action", .text).notNull()
            table.column("reason", .text)
            table.column("source", .text).notNull()
            table.column("detail", .text)
            table.column("time", .double).notNull()
        }
        try db.create(table: "bounce") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("mailbox", .text).notNull()
            table.column("month", .text).notNull()
            table.column("kind", .text).notNull().check(sql: "kind IN ('hard','soft')")
            table.column("status", .text)
            table.column("source", .text).notNull()
            // A report read twice counts once: its own identity.
            table.column("report", .text).unique()
            table.column("time", .double).notNull()
        }
        try db.create(index: "bounce_mailbox", on: "bounce", columns: ["mailbox", "month"])
        try db.create(table: "preference") { table in
            table.primaryKey("mailbox", .text)
            table.column("language", .text)
            table.column("updated", .double).notNull()
        }
    }

    /// The suppression of `address`, if any.
    public func entry(for address: String) throws -> Entry? {
        try queue.read { db in try Entry.fetchOne(db, key: Self.mailbox(address)) }
    }

    /// Every suppression.
    public func all() throws -> [Entry] {
        try queue.read { db in try Entry.fetchAll(db, sql: "SELECT * FROM suppression ORDER BY created, mailbox") }
    }

    /// Every suppressed mailbox.
    public func mailboxes() throws -> Set<String> {
        try queue.read { db in Set(try String.fetchAll(db, sql: "SELECT mailbox FROM suppression")) }
    }

    /// How many addresses are suppressed for each reason.
    public func counts() throws -> [Reason: Int] {
        try queue.read { db in
            var counts: [Reason: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT reason, COUNT(*) AS n FROM suppression GROUP BY reason") {
                if let reason = Reason(rawValue: row["reason"]) { counts[reason] = row["n"] }
            }
            return counts
        }
    }

    /// A number that changes whenever another connection changes the list
    /// (SQLite's `data_version`): cheap to read before every message, so a
    /// send learns of an unsubscribe made while it runs.
    public func version() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    /// Suppresses `address`, committed before it returns. An address
    /// already suppressed keeps its first reason (the event is still kept).
    ///
    /// - Returns: true when the address was not suppressed before.
    @discardableResult
    public func suppress(
        _ address: String, reason: Reason, source: Source, detail: String? = nil, now: Double
    ) throws -> Bool {
        let mailbox = Self.mailbox(address)
        return try queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO event (mailbox, action, reason, source, detail, time) VALUES (?, 'suppress', ?, ?, ?, ?)",
                arguments: [mailbox, reason.rawValue, source.rawValue, detail, now])
            guard try Entry.fetchOne(db, key: mailbox) == nil else { return false }
            try Entry(mailbox: mailbox, reason: reason, source: source, detail: detail, created: now).insert(db)
            return true
        }
    }

    /// One suppression of a batch.
    public struct Request: Sendable {
        /// The address.
        public var address: String
        /// Why.
        public var reason: Reason
        /// From where.
        public var source: Source

        /// A request.
        public init(address: String, reason: Reason, source: Source) {
            self.address = address
            self.reason = reason
            self.source = source
        }
    }

    /// Suppresses every address of `requests` in one transaction, committed
    /// before it returns (as ``suppress(_:reason:source:detail:now:)``
    /// does for one), and reads each one's state back in it.
    ///
    /// - Returns: for each request, in order, the suppression in force and
    ///   the language the member chose.
    public func suppress(_ requests: [Request], now: Double) throws -> [(entry: Entry, language: String?)] {
        try queue.write { db in
            var results: [(entry: Entry, language: String?)] = []
            results.reserveCapacity(requests.count)
            for request in requests {
                let mailbox = Self.mailbox(request.address)
                try db.execute(
                    sql:
                        "INSERT INTO event (mailbox, action, reason, source, detail, time) VALUES (?, 'suppress', ?, ?, NULL, ?)",
                    arguments: [mailbox, request.reason.rawValue, request.source.rawValue, now])
                let entry: Entry
                if let existing = try Entry.fetchOne(db, key: mailbox) {
                    entry = existing
                } else {
                    entry = Entry(
                        mailbox: mailbox, reason: request.reason, source: request.source, detail: nil, created: now)
                    try entry.insert(db)
                }
                let language = try String.fetchOne(
                    db, sql: "SELECT language FROM preference WHERE mailbox = ?", arguments: [mailbox])
                results.append((entry, language))
            }
            return results
        }
    }

    /// Lifts the suppression of `address`: only on the member's own action
    /// (the preferences page) or staff's word (`digest members resubscribe`).
    ///
    /// - Returns: the suppression lifted, if there was one.
    @discardableResult
    public func resubscribe(_ address: String, source: Source, now: Double) throws -> Entry? {
        let mailbox = Self.mailbox(address)
        return try queue.write { db in
            guard let entry = try Entry.fetchOne(db, key: mailbox) else { return nil }
            try db.execute(
                sql:
                    "INSERT INTO event (mailbox, action, reason, source, detail, time) VALUES (?, 'resubscribe', NULL, ?, NULL, ?)",
                arguments: [mailbox, source.rawValue, now])
            _ = try Entry.deleteOne(db, key: mailbox)
            return entry
        }
    }

    /// The language a member chose on the preferences page, if any.
    public func language(for address: String) throws -> String? {
        try queue.read { db in
            try String.fetchOne(
                db, sql: "SELECT language FROM preference WHERE mailbox = ?", arguments: [Self.mailbox(address)])
        }
    }

    /// Every language members chose on the preferences page, by mailbox.
    public func languages() throws -> [String: String] {
        try queue.read { db in
            var chosen: [String: String] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT mailbox, language FROM preference WHERE language IS NOT NULL")
            while let row = try rows.next() {
                if let mailbox: String = row["mailbox"], let language: String = row["language"] {
                    chosen[mailbox] = language
                }
            }
            return chosen
        }
    }

    /// Records the language a member chose.
    public func setLanguage(_ language: String, for address: String, now: Double) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO preference (mailbox, language, updated) VALUES (?, ?, ?)
                    ON CONFLICT(mailbox) DO UPDATE SET language = excluded.language, updated = excluded.updated
                    """, arguments: [Self.mailbox(address), language, now])
        }
    }

    /// Runs `body` in one write transaction (bounces applied together).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.write(body)
    }

    /// Reads in one transaction.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }
}
