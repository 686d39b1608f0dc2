import Foundation
import GRDB
import MIME

extension SQLiteListStore {
    /// The migrations of a suppression list's file: those applied, and
    /// those this version knows that it has not yet. Only read.
    public struct SchemaStatus: Sendable, Equatable {
        /// Applied, in order.
        public var applied: [String]
        /// Known here and not applied.
        public var pending: [String]
    }

    /// The schema of the file at `path`, read only; nil when there is none.
    ///
    /// - Throws: ``StateDatabase/OpenError`` or SQLite's error.
    public static func schemaStatus(path: String) throws -> SchemaStatus? {
        guard FileManager.default.fileExists(atPath: path), let any = ListID("status.schema") else { return nil }
        let migrator = Schema.migrator(for: any)
        let queue = try StateDatabase.existing(path: path)
        return try queue.read { db in
            let applied = try migrator.appliedMigrations(db)
            return SchemaStatus(applied: applied, pending: migrator.migrations.filter { !applied.contains($0) })
        }
    }
}
