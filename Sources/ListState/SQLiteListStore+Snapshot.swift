import Foundation
import GRDB
import MIME

extension SQLiteListStore {
    /// Every row of the suppression list's file at `path` (lists,
    /// suppressions, events, bounces, preferences), read only; an empty
    /// snapshot when there is no file.
    ///
    /// - Throws: ``StateDatabase/OpenError``, SQLite's error, or
    ///   ``SnapshotError/olderFile(path:)`` for a file of the first version.
    public static func snapshot(path: String) throws -> StateSnapshot {
        guard FileManager.default.fileExists(atPath: path) else { return StateSnapshot() }
        let queue = try StateDatabase.existing(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var snapshot = StateSnapshot()
            guard try Schema.version(db) > 0 else { return snapshot }
            guard try Schema.version(db) >= 2 else { throw SnapshotError.olderFile(path: path) }
            snapshot.lists = try Row.fetchAll(db, sql: "SELECT id, first_used, adopted FROM list ORDER BY id").map {
                StateSnapshot.ListRow(id: $0["id"], firstUsed: $0["first_used"], adopted: $0["adopted"])
            }
            snapshot.suppressions = try Suppression.fetchAll(
                db, sql: "SELECT * FROM suppression ORDER BY list, created, mailbox")
            snapshot.events = try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY id").map {
                StateSnapshot.EventRow(
                    list: $0["list"], mailbox: $0["mailbox"], action: $0["action"], reason: $0["reason"],
                    source: $0["source"], detail: $0["detail"], time: $0["time"])
            }
            snapshot.bounces = try Row.fetchAll(db, sql: "SELECT * FROM bounce ORDER BY id").map {
                StateSnapshot.BounceRow(
                    list: $0["list"], mailbox: $0["mailbox"], month: $0["month"], kind: $0["kind"],
                    status: $0["status"], source: $0["source"], report: $0["report"], time: $0["time"])
            }
            snapshot.preferences = try Row.fetchAll(db, sql: "SELECT * FROM preference ORDER BY list, mailbox").map {
                StateSnapshot.PreferenceRow(
                    list: $0["list"], mailbox: $0["mailbox"], language: $0["language"], updated: $0["updated"])
            }
            if try db.tableExists("joined") {
                snapshot.joined = try Row.fetchAll(db, sql: "SELECT * FROM joined ORDER BY list, confirmed, mailbox")
                    .map {
                        StateSnapshot.JoinedRow(
                            list: $0["list"],
                            member: Join.Confirmed(
                                address: $0["address"], name: $0["name"], country: $0["country"],
                                language: $0["language"], confirmed: $0["confirmed"], pageLanguage: $0["page_language"],
                                messageID: $0["message_id"]))
                    }
                snapshot.pending = try Row.fetchAll(db, sql: "SELECT * FROM join_pending ORDER BY list, created").map {
                    StateSnapshot.PendingRow(
                        list: $0["list"],
                        request: Join.Pending(
                            tokenHash: $0["token_hash"], address: $0["address"], name: $0["name"],
                            country: $0["country"], language: $0["language"], pageLanguage: $0["page_language"],
                            messageID: $0["message_id"], created: $0["created"], expires: $0["expires"]))
                }
            }
            return snapshot
        }
    }

    /// Adds `adding`'s list rows (not its ledgers) to the file at `path`,
    /// made (mode 0600) when missing, in one transaction.
    public static func add(_ adding: StateSnapshot, path: String) throws {
        guard let any = ListID("copy.lists") else { return }
        let pool = try StateDatabase.pool(path: path, durability: .everyCommit, migrator: Schema.migrator(for: any))
        defer { try? pool.close() }
        try pool.write { db in
            for list in adding.lists {
                try db.execute(
                    sql: "INSERT INTO list (id, first_used, adopted) VALUES (?, ?, ?)",
                    arguments: [list.id, list.firstUsed, list.adopted])
            }
            for suppression in adding.suppressions { try suppression.insert(db) }
            for event in adding.events {
                try db.execute(
                    sql: """
                        INSERT INTO event (list, mailbox, action, reason, source, detail, time)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.list, event.mailbox, event.action, event.reason, event.source, event.detail, event.time,
                    ])
            }
            for bounce in adding.bounces {
                try db.execute(
                    sql: """
                        INSERT INTO bounce (list, mailbox, month, kind, status, source, report, time)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        bounce.list, bounce.mailbox, bounce.month, bounce.kind, bounce.status, bounce.source,
                        bounce.report, bounce.time,
                    ])
            }
            for row in adding.joined {
                let member = row.member
                try db.execute(
                    sql: """
                        INSERT INTO joined (list, mailbox, address, name, country, language, confirmed, page_language,
                            message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        row.list, member.mailbox, member.address, member.name, member.country, member.language,
                        member.confirmed, member.pageLanguage, member.messageID,
                    ])
            }
            for row in adding.pending {
                let request = row.request
                try db.execute(
                    sql: """
                        INSERT INTO join_pending (list, token_hash, mailbox, address, name, country, language,
                            page_language, message_id, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        row.list, request.tokenHash, Suppression.mailbox(request.address), request.address,
                        request.name, request.country, request.language, request.pageLanguage, request.messageID,
                        request.created, request.expires,
                    ])
            }
            for preference in adding.preferences {
                try db.execute(
                    sql: "INSERT INTO preference (list, mailbox, language, updated) VALUES (?, ?, ?, ?)",
                    arguments: [preference.list, preference.mailbox, preference.language, preference.updated])
            }
        }
    }

    /// A file that cannot be copied as it is.
    public enum SnapshotError: Error, Sendable, CustomStringConvertible {
        /// A suppression list of the first version (before lists).
        case olderFile(path: String)

        /// The message.
        public var description: String {
            switch self {
            case .olderFile(let path):
                return "\(path) was made by an earlier version of digest; run digest state migrate on it first"
            }
        }
    }
}
