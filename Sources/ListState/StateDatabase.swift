import Foundation
import GRDB
import WholeFiles

/// The one way the program opens an SQLite file of the list's state (the
/// suppression list, a month's ledger): made readable by its owner only,
/// in WAL mode, its schema brought up to date by a GRDB
/// `DatabaseMigrator`, each commit as durable as the file needs.
///
/// Two processes opening one new file at once (ten `members unsubscribe`,
/// a send and the server) must not both make its tables: GRDB's migrator
/// reads what was applied before it takes SQLite's write lock. So the
/// opening and the migration run under a ``FileLock`` on the file's
/// folder (never on the database itself: closing a descriptor of it would
/// drop SQLite's own locks). The kernel wakes the next opener; nothing
/// sleeps and asks again.
public enum StateDatabase {
    /// When a commit is on the disk.
    public enum Durability: Sendable {
        /// At every commit (`synchronous = FULL`): a suppression answered
        /// 200 survives a power cut.
        case everyCommit
        /// At each checkpoint (`synchronous = NORMAL` in WAL mode): a commit
        /// survives the process being killed, and the caller syncs the file
        /// when it chooses (a send, once a second).
        case atCheckpoints
    }

    /// A state file that could not be opened, with the cause kept: a
    /// ``WriteError`` (the file or its folder), or SQLite's `DatabaseError`.
    public struct OpenError: Error, CustomStringConvertible {
        /// The database file.
        public var path: String
        /// What failed.
        public var cause: any Error

        /// The message as staff read it.
        public var description: String {
            if let error = cause as? WriteError { return "cannot open \(path): \(error.why)" }
            if let error = cause as? DatabaseError {
                return "cannot open \(path): \(error.message ?? "\(error.resultCode)")"
            }
            return "cannot open \(path): \(cause)"
        }
    }

    /// Opens `path` for reading and writing as a pool (one writer, several
    /// readers at once, GRDB's async API): for what a server and a send
    /// read while others write.
    ///
    /// - Throws: ``OpenError`` with its cause.
    public static func pool(
        path: String, durability: Durability, migrator: DatabaseMigrator
    ) throws(OpenError) -> DatabasePool {
        try opening(path) {
            let pool = try DatabasePool(path: path, configuration: configuration(durability, exclusive: false))
            // GRDB sets `synchronous = NORMAL` when it turns WAL on, after
            // the configuration's own statements: set the level again.
            try pool.writeWithoutTransaction { db in try db.execute(sql: pragma(durability)) }
            try migrator.migrate(pool)
            return pool
        }
    }

    /// Opens `path` for one process's use (a month's ledger, held by the
    /// send that holds its lock): one connection; with `exclusive`, SQLite's
    /// lock is kept between transactions, which saves taking it for each.
    ///
    /// - Throws: ``OpenError`` with its cause.
    public static func queue(
        path: String, durability: Durability, exclusive: Bool, migrator: DatabaseMigrator
    ) throws(OpenError) -> DatabaseQueue {
        try opening(path) {
            let queue = try DatabaseQueue(path: path, configuration: configuration(durability, exclusive: exclusive))
            _ = try queue.writeWithoutTransaction { db in
                try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
            try migrator.migrate(queue)
            return queue
        }
    }

    /// Opens the file at `path` as it is: nothing is made or migrated (a
    /// file this user cannot write is opened with SQLite's read-only mode).
    /// For reading commands, and for an earlier layout's file whose rows
    /// are taken over.
    ///
    /// - Throws: ``OpenError`` with its cause.
    public static func existing(path: String) throws(OpenError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                configuration.readonly = true
                return try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            throw OpenError(path: path, cause: error)
        }
    }

    /// Runs `open` under the folder's lock, on a file made private first.
    private static func opening<T>(_ path: String, _ open: () throws -> T) throws(OpenError) -> T {
        do {
            try PrivateFile.prepare(path)
            let folder = (path as NSString).deletingLastPathComponent
            let lock = try FileLock.waiting(for: folder.isEmpty ? "." : folder)
            defer { withExtendedLifetime(lock) {} }
            let opened = try open()
            PrivateFile.restrictSiblings(path)
            return opened
        } catch {
            throw OpenError(path: path, cause: error)
        }
    }

    private static func configuration(_ durability: Durability, exclusive: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: pragma(durability))
            if exclusive { try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE") }
        }
        configuration.busyMode = .timeout(10)
        return configuration
    }

    private static func pragma(_ durability: Durability) -> String {
        switch durability {
        case .everyCommit: return "PRAGMA synchronous = FULL"
        case .atCheckpoints: return "PRAGMA synchronous = NORMAL"
        }
    }
}
