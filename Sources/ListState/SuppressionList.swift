import Foundation
import GRDB
import MIME
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
/// One file holds every list of the state; an instance speaks for one
/// ``list``. An unsubscribe, a complaint, staff's word, soft bounces and a
/// language chosen belong to the list they were made on; a hard bounce
/// (the mailbox does not exist) is recorded for every list
/// (``ListID/everyList``). A list made before lists were told apart is
/// taken, on its first open by a writing command, as the list that opens
/// it (its hard bounces for every list).
///
/// An address is kept by its mailbox (``mailbox(_:)``: the whole address
/// in lower case), so `Amina@` and `amina@` are one. Every change is a
/// committed transaction before the call returns: a one-click unsubscribe
/// answered 200 is on the disk, in the file at ``path`` (a file deleted or
/// replaced under a running program is noticed at each call: a replaced
/// one is opened anew, a deleted one is an error, never a write into
/// nothing). Every suppression and every resubscription is also kept as an
/// event, so the list's history can be read back.
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
        /// The list it holds for: a list's identifier, or ``ListID/everyList``.
        public var list: String
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

    /// The file is gone from its place, or was replaced while a change was
    /// being written to it: the change may not be in the file the next
    /// send reads, so it is not acknowledged.
    public enum PlaceError: Error, Sendable, CustomStringConvertible {
        /// Nothing is at the path any more.
        case deleted(path: String)
        /// Another file took the path while a change was written.
        case replacedDuringWrite(path: String)
        /// This list was opened for reading only.
        case readOnly(path: String)

        /// The message as staff read it.
        public var description: String {
            switch self {
            case .deleted(let path):
                return
                    "the suppression list \(path) was deleted while the program ran; restore it from the backup (or start the program again to begin an empty one)"
            case .replacedDuringWrite(let path):
                return
                    "the suppression list \(path) was replaced while a change was being written; the change was not kept"
            case .readOnly(let path): return "the suppression list \(path) was opened for reading only"
            }
        }
    }

    /// The database file.
    public let path: String
    /// The list this instance speaks for.
    public let list: ListID
    private let writable: Bool
    private let holder: Holder

    /// The schema this version writes: 2 (a list column everywhere).
    static let schemaVersion = 2

    /// The mailbox of an address: the whole address in lower case.
    public static func mailbox(_ address: String) -> String { address.lowercased() }

    /// Opens the list at `path` for `list`, creating the file (mode 0600)
    /// when missing and bringing an earlier version's file up to date.
    public init(path: String, list: ListID) throws {
        self.path = path
        self.list = list
        writable = true
        holder = Holder(try Self.open(path: path, list: list, writable: true, generation: 0))
    }

    private init(path: String, list: ListID, reading open: Connection) {
        self.path = path
        self.list = list
        writable = false
        holder = Holder(open)
    }

    /// The list at `path` for reading only, or nil when there is no file:
    /// nothing is created, made or migrated (`check`, `members status`).
    public static func existing(path: String, list: ListID) throws -> SuppressionList? {
        guard access(path, F_OK) == 0 else { return nil }
        return SuppressionList(
            path: path, list: list, reading: try open(path: path, list: list, writable: false, generation: 0))
    }

    /// An open database and what it was opened as.
    private struct Connection {
        var queue: DatabaseQueue
        var identity: FileIdentity
        var schema: Int
        var generation: Int
    }

    private final class Holder: @unchecked Sendable {
        let lock = NSLock()
        var connection: Connection
        init(_ connection: Connection) { self.connection = connection }
    }

    private static func open(path: String, list: ListID, writable: Bool, generation: Int) throws -> Connection {
        if writable { try PrivateFile.prepare(path) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // A suppression must survive a power cut as soon as it is
            // answered: every commit is synced.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch  where !writable {
            // A folder this user cannot write: SQLite's own read-only mode.
            configuration.readonly = true
            queue = try DatabaseQueue(path: path, configuration: configuration)
        }
        guard let identity = FileIdentity(path: path) else { throw PlaceError.deleted(path: path) }
        guard writable else {
            let schema = try queue.read { db in
                try db.tableExists("suppression") ? max(1, try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0) : 0
            }
            return Connection(queue: queue, identity: identity, schema: schema, generation: generation)
        }
        try enableWAL(queue)
        // The schema is made under SQLite's write lock (BEGIN IMMEDIATE)
        // and numbered in `user_version`: ten processes opening a new list
        // at once (ten `members unsubscribe`, a send and the server) make
        // it once. GRDB's DatabaseMigrator reads what was applied before it
        // takes the lock, so two processes could both create the tables.
        try queue.inTransaction(.immediate) { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            let hasTables = try db.tableExists("suppression")
            if !hasTables {
                try createVersion2(db)
            } else if version < 2 {
                // Version 1 (or before numbering): one list, the one opening it now.
                try migrateVersion1(db, to: list)
            }
            try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
            try db.execute(
                sql: "INSERT OR IGNORE INTO list (id, first_used) VALUES (?, ?)",
                arguments: [list.value, Date().timeIntervalSince1970])
            return .commit
        }
        PrivateFile.restrictSiblings(path)
        return Connection(queue: queue, identity: identity, schema: schemaVersion, generation: generation)
    }

    /// Runs `body` on the file now at ``path``: a file replaced since the
    /// last call is opened anew (the old connection closed first, so its
    /// WAL is not mistaken for the new file's), a deleted one is
    /// ``PlaceError/deleted(path:)``. After a write the file must still be
    /// the one written to.
    private func use<T>(writing: Bool, _ body: (DatabaseQueue, Scope) throws -> T) throws -> T {
        if writing, !writable { throw PlaceError.readOnly(path: path) }
        holder.lock.lock()
        defer { holder.lock.unlock() }
        guard let now = FileIdentity(path: path) else { throw PlaceError.deleted(path: path) }
        if now != holder.connection.identity {
            let generation = holder.connection.generation + 1
            try? holder.connection.queue.close()
            holder.connection = try Self.open(path: path, list: list, writable: writable, generation: generation)
        }
        let connection = holder.connection
        let result = try body(connection.queue, Scope(list: list, schema: connection.schema))
        if writing, FileIdentity(path: path) != connection.identity {
            throw PlaceError.replacedDuringWrite(path: path)
        }
        return result
    }

    /// Which rows are this list's, as SQL: its own and every list's; in a
    /// file of the first version (read only), every row.
    struct Scope {
        let list: ListID
        let schema: Int

        /// The condition, for a table with a `list` column.
        var condition: String { schema >= 2 ? "list IN (?, '\(ListID.everyList)')" : "1" }
        /// Its arguments.
        var arguments: StatementArguments { schema >= 2 ? [list.value] : [] }
        /// True when there is nothing to read (no tables yet).
        var isEmpty: Bool { schema == 0 }
        /// The list column's order: this list's own rows before every list's.
        var ownFirst: String { schema >= 2 ? "ORDER BY list = '\(ListID.everyList)'" : "" }
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

    /// The tables of the second version: every row belongs to a list.
    private static func createVersion2(_ db: Database, suffix: String = "") throws {
        let reasons = Reason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let sources = Source.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
        try db.execute(
            sql: """
                CREATE TABLE suppression\(suffix) (
                    list TEXT NOT NULL, mailbox TEXT NOT NULL,
                    reason TEXT NOT NULL CHECK (reason IN (\(reasons))),
                    source TEXT NOT NULL CHECK (source IN (\(sources))),
                    detail TEXT, created DOUBLE NOT NULL,
                    PRIMARY KEY (list, mailbox));
                CREATE TABLE event\(suffix) (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, list TEXT NOT NULL, mailbox TEXT NOT NULL,
                    action TEXT NOT NULL, reason TEXT, source TEXT NOT NULL, detail TEXT, time DOUBLE NOT NULL);
                CREATE TABLE bounce\(suffix) (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, list TEXT NOT NULL, mailbox TEXT NOT NULL,
                    month TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('hard','soft')), status TEXT,
                    source TEXT NOT NULL,
                    -- A report read twice counts once: its own identity.
                    report TEXT, time DOUBLE NOT NULL, UNIQUE (list, report));
                CREATE TABLE preference\(suffix) (
                    list TEXT NOT NULL, mailbox TEXT NOT NULL, language TEXT, updated DOUBLE NOT NULL,
                    PRIMARY KEY (list, mailbox));
                CREATE TABLE IF NOT EXISTS list (id TEXT PRIMARY KEY, first_used DOUBLE NOT NULL, adopted TEXT);
                """)
    }

    /// Makes a first-version file (one list, no list column) the second
    /// version's, every row given to `list` (hard-bounce suppressions to
    /// every list), in the open transaction.
    private static func migrateVersion1(_ db: Database, to list: ListID) throws {
        try createVersion2(db, suffix: "_v2")
        let every = ListID.everyList
        let copies = [
            """
            INSERT INTO suppression_v2 (list, mailbox, reason, source, detail, created)
                SELECT CASE reason WHEN 'hard-bounce' THEN '\(every)' ELSE ? END,
                    mailbox, reason, source, detail, created FROM suppression
            """,
            """
            INSERT INTO event_v2 (id, list, mailbox, action, reason, source, detail, time)
                SELECT id, CASE WHEN action = 'suppress' AND reason = 'hard-bounce' THEN '\(every)' ELSE ? END,
                    mailbox, action, reason, source, detail, time FROM event
            """,
            """
            INSERT INTO bounce_v2 (id, list, mailbox, month, kind, status, source, report, time)
                SELECT id, ?, mailbox, month, kind, status, source, report, time FROM bounce
            """,
            """
            INSERT INTO preference_v2 (list, mailbox, language, updated)
                SELECT ?, mailbox, language, updated FROM preference
            """,
        ]
        for copy in copies { try db.execute(sql: copy, arguments: [list.value]) }
        try db.execute(
            sql: """
                DROP TABLE suppression; DROP TABLE event; DROP TABLE bounce; DROP TABLE preference;
                ALTER TABLE suppression_v2 RENAME TO suppression;
                ALTER TABLE event_v2 RENAME TO event;
                ALTER TABLE bounce_v2 RENAME TO bounce;
                ALTER TABLE preference_v2 RENAME TO preference;
                """)
        try db.execute(
            sql: "INSERT OR REPLACE INTO list (id, first_used, adopted) VALUES (?, ?, 'version 1')",
            arguments: [list.value, Date().timeIntervalSince1970])
    }

    /// The lists this file has held, and which one took a first-version
    /// file's rows (`adopted`).
    public func lists() throws -> [(id: String, adopted: Bool)] {
        try use(writing: false) { queue, scope in
            guard scope.schema >= 2 else { return [] }
            return try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, adopted FROM list ORDER BY id").map {
                    (id: $0["id"], adopted: ($0["adopted"] as String?) != nil)
                }
            }
        }
    }

    /// The suppression of `address` for this list, if any (its own before
    /// every list's).
    public func entry(for address: String) throws -> Entry? {
        try use(writing: false) { queue, scope in
            guard !scope.isEmpty else { return nil }
            return try queue.read { db in try Self.entry(Self.mailbox(address), scope: scope, db) }
        }
    }

    static func entry(_ mailbox: String, scope: Scope, _ db: Database) throws -> Entry? {
        guard scope.schema >= 2 else {
            return try Row.fetchOne(db, sql: "SELECT * FROM suppression WHERE mailbox = ?", arguments: [mailbox])
                .map { try legacyEntry($0, list: scope.list) }
        }
        return try Entry.fetchOne(
            db, sql: "SELECT * FROM suppression WHERE mailbox = ? AND \(scope.condition) \(scope.ownFirst) LIMIT 1",
            arguments: [mailbox] + scope.arguments)
    }

    private static func legacyEntry(_ row: Row, list: ListID) throws -> Entry {
        guard let reason = Reason(rawValue: row["reason"]), let source = Source(rawValue: row["source"]) else {
            throw DatabaseError(message: "an unknown reason or source in the suppression list")
        }
        return Entry(
            list: list.value, mailbox: row["mailbox"], reason: reason, source: source, detail: row["detail"],
            created: row["created"])
    }

    /// Every suppression in force for this list, one a mailbox.
    public func all() throws -> [Entry] {
        try use(writing: false) { queue, scope in
            guard !scope.isEmpty else { return [] }
            return try queue.read { db in
                guard scope.schema >= 2 else {
                    return try Row.fetchAll(db, sql: "SELECT * FROM suppression ORDER BY created, mailbox").map {
                        try Self.legacyEntry($0, list: scope.list)
                    }
                }
                var seen = Set<String>()
                return try Entry.fetchAll(
                    db,
                    sql:
                        "SELECT * FROM suppression WHERE \(scope.condition) ORDER BY created, mailbox, list = '\(ListID.everyList)'",
                    arguments: scope.arguments
                ).filter { seen.insert($0.mailbox).inserted }
            }
        }
    }

    /// Every mailbox suppressed for this list.
    public func mailboxes() throws -> Set<String> {
        try use(writing: false) { queue, scope in
            guard !scope.isEmpty else { return [] }
            return try queue.read { db in
                Set(
                    try String.fetchAll(
                        db, sql: "SELECT mailbox FROM suppression WHERE \(scope.condition)", arguments: scope.arguments)
                )
            }
        }
    }

    /// How many addresses are suppressed for this list, by reason.
    public func counts() throws -> [Reason: Int] {
        var counts: [Reason: Int] = [:]
        for entry in try all() { counts[entry.reason, default: 0] += 1 }
        return counts
    }

    /// A number that changes whenever another connection changes the list
    /// (SQLite's `data_version`), or the file is opened anew: cheap to read
    /// before every message, so a send learns of an unsubscribe made while
    /// it runs.
    public func version() throws -> Int {
        try use(writing: false) { queue, _ in
            let generation = holder.connection.generation
            let version = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
            return generation << 40 | version
        }
    }

    /// Suppresses `address` for this list, committed before it returns. An
    /// address already suppressed keeps its first reason (the event is
    /// still kept).
    ///
    /// - Returns: true when the address was not suppressed before.
    @discardableResult
    public func suppress(
        _ address: String, reason: Reason, source: Source, detail: String? = nil, now: Double
    ) throws -> Bool {
        let mailbox = Self.mailbox(address)
        return try use(writing: true) { queue, scope in
            try queue.write { db in
                try Self.event(db, list: list.value, mailbox, "suppress", reason, source, detail, now)
                guard try Self.entry(mailbox, scope: scope, db) == nil else { return false }
                try Entry(
                    list: list.value, mailbox: mailbox, reason: reason, source: source, detail: detail, created: now
                )
                .insert(db)
                return true
            }
        }
    }

    static func event(
        _ db: Database, list: String, _ mailbox: String, _ action: String, _ reason: Reason?, _ source: Source,
        _ detail: String?, _ now: Double
    ) throws {
        try db.execute(
            sql: "INSERT INTO event (list, mailbox, action, reason, source, detail, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [list, mailbox, action, reason?.rawValue, source.rawValue, detail, now])
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
        try use(writing: true) { queue, scope in
            try queue.write { db in
                var results: [(entry: Entry, language: String?)] = []
                results.reserveCapacity(requests.count)
                for request in requests {
                    let mailbox = Self.mailbox(request.address)
                    try Self.event(db, list: list.value, mailbox, "suppress", request.reason, request.source, nil, now)
                    let entry: Entry
                    if let existing = try Self.entry(mailbox, scope: scope, db) {
                        entry = existing
                    } else {
                        entry = Entry(
                            list: list.value, mailbox: mailbox, reason: request.reason, source: request.source,
                            detail: nil, created: now)
                        try entry.insert(db)
                    }
                    let language = try String.fetchOne(
                        db, sql: "SELECT language FROM preference WHERE list = ? AND mailbox = ?",
                        arguments: [list.value, mailbox])
                    results.append((entry, language))
                }
                return results
            }
        }
    }

    /// Lifts the suppression of `address` for this list: only on the
    /// member's own action (the preferences page) or staff's word (`digest
    /// members resubscribe`). A hard bounce, kept for every list, is lifted
    /// too: the member's own action, or staff's word, says the mailbox
    /// exists again.
    ///
    /// - Returns: the suppression lifted, if there was one.
    @discardableResult
    public func resubscribe(_ address: String, source: Source, now: Double) throws -> Entry? {
        let mailbox = Self.mailbox(address)
        return try use(writing: true) { queue, scope in
            try queue.write { db in
                guard let entry = try Self.entry(mailbox, scope: scope, db) else { return nil }
                try Self.event(db, list: list.value, mailbox, "resubscribe", nil, source, nil, now)
                try db.execute(
                    sql: "DELETE FROM suppression WHERE mailbox = ? AND \(scope.condition)",
                    arguments: [mailbox] + scope.arguments)
                return entry
            }
        }
    }

    /// The language a member chose on this list's preferences page, if any.
    public func language(for address: String) throws -> String? {
        try use(writing: false) { queue, scope in
            guard !scope.isEmpty else { return nil }
            return try queue.read { db in
                try String.fetchOne(
                    db, sql: "SELECT language FROM preference WHERE mailbox = ? AND \(scope.condition)",
                    arguments: [Self.mailbox(address)] + scope.arguments)
            }
        }
    }

    /// Every language members chose on this list's preferences page, by mailbox.
    public func languages() throws -> [String: String] {
        try use(writing: false) { queue, scope in
            guard !scope.isEmpty else { return [:] }
            return try queue.read { db in
                var chosen: [String: String] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT mailbox, language FROM preference WHERE language IS NOT NULL AND \(scope.condition)",
                    arguments: scope.arguments)
                while let row = try rows.next() {
                    if let mailbox: String = row["mailbox"], let language: String = row["language"] {
                        chosen[mailbox] = language
                    }
                }
                return chosen
            }
        }
    }

    /// Records the language a member chose for this list.
    public func setLanguage(_ language: String, for address: String, now: Double) throws {
        try use(writing: true) { queue, _ in
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO preference (list, mailbox, language, updated) VALUES (?, ?, ?, ?)
                        ON CONFLICT(list, mailbox) DO UPDATE SET language = excluded.language, updated = excluded.updated
                        """, arguments: [list.value, Self.mailbox(address), language, now])
            }
        }
    }

    /// Runs `body` in one write transaction (bounces applied together).
    func write<T>(_ body: (Database, Scope) throws -> T) throws -> T {
        try use(writing: true) { queue, scope in try queue.write { db in try body(db, scope) } }
    }

    /// Reads in one transaction.
    func read<T>(_ body: (Database, Scope) throws -> T) throws -> T {
        try use(writing: false) { queue, scope in try queue.read { db in try body(db, scope) } }
    }

    /// Reads in one transaction (tests).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try read { db, _ in try body(db) }
    }
}
