import Foundation
import GRDB
import MIME
import Synchronization
import WholeFiles

/// The list's state in SQLite (through GRDB): `state/suppressions.sqlite`,
/// beside the send ledgers and never inside `output/`. The default
/// ``ListStore``: nothing to set up.
///
/// One file holds every list of the state. A file made before lists were
/// told apart is taken, on its first open by a writing command, as the
/// list that opens it (its hard bounces for every list).
///
/// The file is a `DatabasePool` (one writer, readers at once) opened by
/// ``StateDatabase``, and every call is `async`: `digest serve`'s requests
/// wait for SQLite without holding a thread. Every commit is synced
/// (`synchronous = FULL`). A file deleted or replaced under a running
/// program is noticed at each call: a replaced one is opened anew, a
/// deleted one is an error, never a write into nothing.
///
/// The file holds addresses: it is created readable by its owner only
/// (mode 0600, and SQLite's `-wal` and `-shm` files take the same mode).
public final class SQLiteListStore: ListStore {
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
    /// The file's path.
    public var location: String { path }
    private let writable: Bool
    private let connection: Mutex<Connection>

    /// An open database and what it was opened as.
    struct Connection: Sendable {
        var database: any DatabaseWriter
        var identity: FileIdentity
        var scope: Scope
        var generation: Int
    }

    /// Opens the list at `path` for `list`, creating the file (mode 0600)
    /// when missing and bringing an earlier version's file up to date.
    ///
    /// - Throws: ``StateDatabase/OpenError`` with its cause.
    public init(path: String, list: ListID) throws {
        self.path = path
        self.list = list
        writable = true
        connection = Mutex(try Self.open(path: path, list: list, writable: true, generation: 0))
    }

    private init(path: String, list: ListID, reading open: Connection) {
        self.path = path
        self.list = list
        writable = false
        connection = Mutex(open)
    }

    /// The list at `path` for reading only, or nil when there is no file:
    /// nothing is created, made or migrated (`check`, `members status`).
    public static func existing(path: String, list: ListID) throws -> SQLiteListStore? {
        guard access(path, F_OK) == 0 else { return nil }
        return SQLiteListStore(
            path: path, list: list, reading: try open(path: path, list: list, writable: false, generation: 0))
    }

    private static func open(path: String, list: ListID, writable: Bool, generation: Int) throws -> Connection {
        let database: any DatabaseWriter
        let schema: Int
        if writable {
            database = try StateDatabase.pool(
                path: path, durability: .everyCommit, migrator: Schema.migrator(for: list))
            try database.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO list (id, first_used) VALUES (?, ?)",
                    arguments: [list.value, Date().timeIntervalSince1970])
            }
            schema = Schema.current
        } else {
            database = try StateDatabase.existing(path: path)
            schema = try database.read(Schema.version)
        }
        guard let identity = FileIdentity(path: path) else { throw PlaceError.deleted(path: path) }
        return Connection(
            database: database, identity: identity, scope: Scope(list: list, schema: schema), generation: generation)
    }

    /// The connection to the file now at ``path``: a file replaced since
    /// the last call is opened anew (the old connection closed first, once
    /// the calls under way on it are done, so its WAL is not mistaken for
    /// the new file's), a deleted one is ``PlaceError/deleted(path:)``.
    func current(writing: Bool) throws -> Connection {
        if writing, !writable { throw PlaceError.readOnly(path: path) }
        guard let now = FileIdentity(path: path) else { throw PlaceError.deleted(path: path) }
        return try connection.withLock { connection in
            if now != connection.identity {
                // The old file is gone from this path: what it held is the
                // backup's or the mover's business, not this program's. A
                // failure to close leaves it to be closed when released.
                try? connection.database.close()
                connection = try Self.open(
                    path: path, list: list, writable: writable, generation: connection.generation + 1)
            }
            return connection
        }
    }

    /// Reads in one transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database, Scope) throws -> T) async throws -> T {
        let connection = try current(writing: false)
        return try await connection.database.read { db in try body(db, connection.scope) }
    }

    /// Writes in one transaction; after it, the file must still be the one
    /// written to.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database, Scope) throws -> T) async throws -> T {
        let connection = try current(writing: true)
        let result = try await connection.database.write { db in try body(db, connection.scope) }
        if FileIdentity(path: path) != connection.identity { throw PlaceError.replacedDuringWrite(path: path) }
        return result
    }

    // MARK: Reading

    /// See ``ListStore``: `lists`.
    public func lists() async throws -> [(id: String, adopted: Bool)] {
        let rows = try await read { db, scope -> [(id: String, adopted: Bool)] in
            guard scope.schema >= 2 else { return [] }
            return try Row.fetchAll(db, sql: "SELECT id, adopted FROM list ORDER BY id").map {
                (id: $0["id"], adopted: ($0["adopted"] as String?) != nil)
            }
        }
        return rows
    }

    /// See ``ListStore``: `suppression`.
    public func suppression(of address: String) async throws -> Suppression? {
        let mailbox = Suppression.mailbox(address)
        return try await read { db, scope in try Self.suppression(mailbox, scope: scope, db) }
    }

    static func suppression(_ mailbox: String, scope: Scope, _ db: Database) throws -> Suppression? {
        guard !scope.isEmpty else { return nil }
        guard scope.schema >= 2 else {
            return try Row.fetchOne(db, sql: "SELECT * FROM suppression WHERE mailbox = ?", arguments: [mailbox])
                .map { try Schema.legacySuppression($0, list: scope.list) }
        }
        return try Suppression.fetchOne(
            db, sql: "SELECT * FROM suppression WHERE mailbox = ? AND \(scope.condition) \(scope.ownFirst) LIMIT 1",
            arguments: [mailbox] + scope.arguments)
    }

    /// See ``ListStore``: `suppressions`.
    public func suppressions() async throws -> [Suppression] {
        try await read { db, scope in
            guard !scope.isEmpty else { return [] }
            guard scope.schema >= 2 else {
                return try Row.fetchAll(db, sql: "SELECT * FROM suppression ORDER BY created, mailbox").map {
                    try Schema.legacySuppression($0, list: scope.list)
                }
            }
            var seen = Set<String>()
            return try Suppression.fetchAll(
                db,
                sql:
                    "SELECT * FROM suppression WHERE \(scope.condition) ORDER BY created, mailbox, list = '\(ListID.everyList)'",
                arguments: scope.arguments
            ).filter { seen.insert($0.mailbox).inserted }
        }
    }

    /// See ``ListStore``: `mailboxes`.
    public func mailboxes() async throws -> Set<String> {
        try await read { db, scope in
            guard !scope.isEmpty else { return [] }
            return Set(
                try String.fetchAll(
                    db, sql: "SELECT mailbox FROM suppression WHERE \(scope.condition)", arguments: scope.arguments))
        }
    }

    /// The last event's number (every suppression and resubscription is
    /// an event, and events are only ever added), with how often the file
    /// was opened anew: the same on every connection, unlike SQLite's
    /// `data_version`.
    public func changeMark() async throws -> Int {
        let connection = try current(writing: false)
        let last = try await connection.database.read { db -> Int in
            guard connection.scope.schema > 0 else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT MAX(id) FROM event") ?? 0
        }
        return connection.generation << 40 | last
    }

    /// See ``ListStore``: `language`.
    public func language(of address: String) async throws -> String? {
        let mailbox = Suppression.mailbox(address)
        return try await read { db, scope in
            guard !scope.isEmpty else { return nil }
            return try String.fetchOne(
                db, sql: "SELECT language FROM preference WHERE mailbox = ? AND \(scope.condition)",
                arguments: [mailbox] + scope.arguments)
        }
    }

    /// See ``ListStore``: `languages`.
    public func languages() async throws -> [String: String] {
        try await read { db, scope in
            var chosen: [String: String] = [:]
            guard !scope.isEmpty else { return chosen }
            let rows = try Row.fetchCursor(
                db, sql: "SELECT mailbox, language FROM preference WHERE language IS NOT NULL AND \(scope.condition)",
                arguments: scope.arguments)
            while let row = try rows.next() {
                if let mailbox: String = row["mailbox"], let language: String = row["language"] {
                    chosen[mailbox] = language
                }
            }
            return chosen
        }
    }

    // MARK: Changing

    /// See ``ListStore``: `suppress`.
    public func suppress(_ requests: [Suppression.Request], now: Double) async throws -> [Suppression.Applied] {
        let list = self.list.value
        return try await write { db, scope in
            var results: [Suppression.Applied] = []
            results.reserveCapacity(requests.count)
            for request in requests {
                let mailbox = Suppression.mailbox(request.address)
                try Self.event(
                    db, list: list, mailbox, "suppress", request.reason, request.source, request.detail, now)
                var suppression = try Self.suppression(mailbox, scope: scope, db)
                let isNew = suppression == nil
                if suppression == nil {
                    let made = Suppression(
                        list: list, mailbox: mailbox, reason: request.reason, source: request.source,
                        detail: request.detail, created: now)
                    try made.insert(db)
                    suppression = made
                }
                guard let suppression else { continue }
                let language = try String.fetchOne(
                    db, sql: "SELECT language FROM preference WHERE list = ? AND mailbox = ?",
                    arguments: [list, mailbox])
                results.append(Suppression.Applied(suppression: suppression, isNew: isNew, language: language))
            }
            return results
        }
    }

    static func event(
        _ db: Database, list: String, _ mailbox: String, _ action: String, _ reason: Suppression.Reason?,
        _ source: Suppression.Source, _ detail: String?, _ now: Double
    ) throws {
        try db.execute(
            sql: "INSERT INTO event (list, mailbox, action, reason, source, detail, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [list, mailbox, action, reason?.rawValue, source.rawValue, detail, now])
    }

    /// See ``ListStore``: `resubscribe`.
    public func resubscribe(_ address: String, source: Suppression.Source, now: Double) async throws -> Suppression? {
        let mailbox = Suppression.mailbox(address)
        let list = self.list.value
        return try await write { db, scope in
            guard let suppression = try Self.suppression(mailbox, scope: scope, db) else { return nil }
            try Self.event(db, list: list, mailbox, "resubscribe", nil, source, nil, now)
            try db.execute(
                sql: "DELETE FROM suppression WHERE mailbox = ? AND \(scope.condition)",
                arguments: [mailbox] + scope.arguments)
            return suppression
        }
    }

    /// See ``ListStore``: `setLanguage`.
    public func setLanguage(_ language: String, of address: String, now: Double) async throws {
        let mailbox = Suppression.mailbox(address)
        let list = self.list.value
        try await write { db, _ in
            try db.execute(
                sql: """
                    INSERT INTO preference (list, mailbox, language, updated) VALUES (?, ?, ?, ?)
                    ON CONFLICT(list, mailbox) DO UPDATE SET language = excluded.language, updated = excluded.updated
                    """, arguments: [list, mailbox, language, now])
        }
    }
}
