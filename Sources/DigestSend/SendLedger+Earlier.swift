import Foundation
import GRDB
import ListState
import WholeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SendLedger {
    /// What a ledger records of one member's message, for reading reports.
    public struct Delivery: Sendable, Equatable {
        /// The address the message went to.
        public var address: String
        /// Its `Message-ID`.
        public var messageID: String
        /// The row's state.
        public var state: State

        /// A delivery.
        public init(address: String, messageID: String, state: State) {
            self.address = address
            self.messageID = messageID
            self.state = state
        }
    }

    /// The messages of the ledger at `path` that the relay took, or may
    /// have (`sent`, `uncertain`), by member key; nil when there is no
    /// ledger there. Only read: nothing is made or changed (a delivery
    /// report is checked against it).
    public static func deliveries(path: String) throws -> [String: Delivery]? {
        guard access(path, F_OK) == 0 else { return nil }
        let queue = try StateDatabase.existing(path: path)
        let rows = try queue.read { db -> [String: Delivery] in
            guard try db.tableExists("message") else { return [:] }
            var found: [String: Delivery] = [:]
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT key, address, message_id, state FROM message WHERE state IN ('sent', 'uncertain')")
            while let row = try cursor.next() {
                guard let state = State(rawValue: row[3]) else { continue }
                found[row[0]] = Delivery(address: row[1], messageID: row[2], state: state)
            }
            return found
        }
        try queue.close()
        return rows
    }

    /// One row of a ledger written before lists, as ``take(from:choose:)`` shows it.
    public struct LegacyRow: Sendable {
        /// The member's key.
        public var key: String
        /// The row's `Message-ID`.
        public var messageID: String
    }

    /// Moves the rows `choose` picks from the ledger at `path` (one a
    /// version before lists wrote) into this one, each with its state,
    /// attempts and reply; then deletes them there. Rows already here are
    /// kept as they are (taking again after a crash between the two steps
    /// changes nothing). The caller holds the old ledger's lock.
    ///
    /// - Returns: the rows taken, and the rows left in the old ledger (its
    ///   file, with SQLite's, removed when none are).
    public func take(from path: String, choose: ([LegacyRow]) -> Set<String>) throws -> (taken: Int, left: Int) {
        let old = try StateDatabase.existing(path: path)
        let rows = try old.read { db in
            try db.tableExists("message") ? try Entry.fetchAll(db, sql: "SELECT * FROM message ORDER BY rowid") : []
        }
        let chosen = choose(rows.map { LegacyRow(key: $0.key, messageID: $0.messageID) })
        let moving = rows.filter { chosen.contains($0.key) }
        let transport = try old.read { db in
            try db.tableExists("meta")
                ? try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'transport'") : nil
        }
        if !moving.isEmpty {
            try queue.write { db in
                for row in moving { try row.insert(db, onConflict: .ignore) }
                if let transport {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('transport', ?)", arguments: [transport])
                }
            }
            try checkpoint()
            try old.write { db in
                for key in chosen { try db.execute(sql: "DELETE FROM message WHERE key = ?", arguments: [key]) }
            }
        }
        let left = rows.count - moving.count
        try old.close()
        if left == 0 {
            for suffix in ["-wal", "-shm", ""] { unlink(path + suffix) }
        }
        return (moving.count, left)
    }
}
