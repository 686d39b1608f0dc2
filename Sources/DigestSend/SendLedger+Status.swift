import Foundation
import GRDB
import ListState

extension SendLedger {
    /// What `digest state status` says of one month's ledger: its rows by
    /// state and the migrations its file has (no address). Only read.
    public struct Status: Sendable, Equatable {
        /// Rows by state.
        public var counts: [State: Int]
        /// The schema's migrations applied to the file, in order.
        public var migrations: [String]
        /// The migrations this version knows that the file has not yet.
        public var pending: [String]
    }

    /// The status of the ledger at `path`, read only; nil when there is none.
    ///
    /// - Throws: ``StateDatabase/OpenError`` or SQLite's error.
    public static func status(path: String) throws -> Status? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let queue = try StateDatabase.existing(path: path)
        return try queue.read { db in
            var counts: [State: Int] = [:]
            if try db.tableExists("message") {
                for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM message GROUP BY state") {
                    if let state = State(rawValue: row["state"]) { counts[state] = row["n"] }
                }
            }
            let applied = try migrator.appliedMigrations(db)
            let known = migrator.migrations
            return Status(counts: counts, migrations: applied, pending: known.filter { !applied.contains($0) })
        }
    }

    /// Opens the ledger at `path` for writing, which brings its schema up
    /// to date, and says which migrations that applied.
    ///
    /// - Throws: ``SendError`` as ``init(path:)`` does.
    public static func migrate(path: String) throws -> [String] {
        let before = try status(path: path)?.migrations ?? []
        _ = try SendLedger(path: path)
        let after = try status(path: path)?.migrations ?? []
        return after.filter { !before.contains($0) }
    }
}
