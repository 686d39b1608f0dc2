import Foundation
import GRDB
import ListState

extension SendLedger {
    /// Every row and meta value of the ledger file at `path`, in the order
    /// the rows were added; nil when there is no file. Only read.
    public static func snapshot(path: String, list: String, month: String) throws -> StateSnapshot.Ledger? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let queue = try StateDatabase.existing(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            guard try db.tableExists("message") else { return nil }
            let rows = try Entry.fetchAll(db, sql: "SELECT * FROM message ORDER BY rowid").map {
                StateSnapshot.LedgerRow(
                    key: $0.key, address: $0.address, line: $0.line, state: $0.state.rawValue,
                    attempts: $0.attempts, nextTry: $0.nextTry, reply: $0.reply, messageID: $0.messageID,
                    updated: $0.updated)
            }
            var meta: [String: String] = [:]
            if try db.tableExists("meta") {
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") { meta[row["key"]] = row["value"] }
            }
            // Which list it is, the ledger's own business in a file, is the
            // folder's here.
            meta["list"] = nil
            return StateSnapshot.Ledger(list: list, month: month, rows: rows, meta: meta)
        }
    }

    /// Adds `ledger`'s rows (in order) and meta to this ledger, in one
    /// transaction, then syncs it to the disk.
    public func add(_ ledger: StateSnapshot.Ledger) throws {
        try queue.write { db in
            for row in ledger.rows {
                guard let state = State(rawValue: row.state) else {
                    throw DatabaseError(message: "unknown state \"\(row.state)\" in the ledger copied")
                }
                try Entry(
                    key: row.key, address: row.address, line: row.line, state: state, attempts: row.attempts,
                    nextTry: row.nextTry, reply: row.reply, messageID: row.messageID, updated: row.updated
                ).insert(db)
            }
            for (key, value) in ledger.meta {
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
            }
        }
        try checkpoint()
    }
}
