import GRDB
import MIME

extension SQLiteListStore {
    /// See ``ListStore``: `requestJoin`.
    public func requestJoin(_ pending: Join.Pending, unlessRequestedSince since: Double) async throws -> Bool {
        let list = self.list.value
        return try await write { db, _ in
            let mailbox = Suppression.mailbox(pending.address)
            let recent =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM join_pending WHERE list = ? AND mailbox = ? AND created > ?",
                    arguments: [list, mailbox, since]) ?? 0
            guard recent == 0 else { return false }
            // Requests long expired are of no use to anyone: they go.
            try db.execute(
                sql: "DELETE FROM join_pending WHERE list = ? AND expires < ?", arguments: [list, pending.created])
            try db.execute(
                sql: """
                    INSERT INTO join_pending (list, token_hash, mailbox, address, name, country, language,
                        page_language, message_id, created, expires)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    list, pending.tokenHash, mailbox, pending.address, pending.name, pending.country,
                    pending.language, pending.pageLanguage, pending.messageID, pending.created, pending.expires,
                ])
            return true
        }
    }

    /// See ``ListStore``: `withdrawJoin`.
    public func withdrawJoin(tokenHash: String) async throws {
        let list = self.list.value
        try await write { db, _ in
            try db.execute(
                sql: "DELETE FROM join_pending WHERE list = ? AND token_hash = ?", arguments: [list, tokenHash])
        }
    }

    /// See ``ListStore``: `pendingJoin`.
    public func pendingJoin(tokenHash: String, now: Double) async throws -> Join.Pending? {
        let list = self.list.value
        return try await read { db, scope in
            guard scope.schema >= 2, try db.tableExists("join_pending") else { return nil }
            return try Self.pending(db, list: list, tokenHash: tokenHash, now: now)
        }
    }

    static func pending(_ db: Database, list: String, tokenHash: String, now: Double) throws -> Join.Pending? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM join_pending WHERE list = ? AND token_hash = ? AND expires > ?",
                arguments: [list, tokenHash, now])
        else { return nil }
        return Join.Pending(
            tokenHash: row["token_hash"], address: row["address"], name: row["name"], country: row["country"],
            language: row["language"], pageLanguage: row["page_language"], messageID: row["message_id"],
            created: row["created"], expires: row["expires"])
    }

    /// See ``ListStore``: `confirmJoin`.
    public func confirmJoin(tokenHash: String, now: Double) async throws -> Join.Confirmed? {
        let list = self.list.value
        return try await write { db, scope in
            guard let pending = try Self.pending(db, list: list, tokenHash: tokenHash, now: now) else { return nil }
            let confirmed = Join.Confirmed(
                address: pending.address, name: pending.name, country: pending.country, language: pending.language,
                confirmed: now, pageLanguage: pending.pageLanguage, messageID: pending.messageID)
            try db.execute(
                sql: """
                    INSERT INTO joined (list, mailbox, address, name, country, language, confirmed, page_language,
                        message_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (list, mailbox) DO UPDATE SET address = excluded.address, name = excluded.name,
                        country = excluded.country, language = excluded.language, confirmed = excluded.confirmed,
                        page_language = excluded.page_language, message_id = excluded.message_id
                    """,
                arguments: [
                    list, confirmed.mailbox, confirmed.address, confirmed.name, confirmed.country, confirmed.language,
                    now, confirmed.pageLanguage, confirmed.messageID,
                ])
            try db.execute(
                sql: "DELETE FROM join_pending WHERE list = ? AND mailbox = ?", arguments: [list, confirmed.mailbox])
            if try Self.suppression(confirmed.mailbox, scope: scope, db) != nil {
                try Self.event(db, list: list, confirmed.mailbox, "resubscribe", nil, .page, "confirmed join", now)
                try db.execute(
                    sql: "DELETE FROM suppression WHERE mailbox = ? AND \(scope.condition)",
                    arguments: [confirmed.mailbox] + scope.arguments)
            }
            return confirmed
        }
    }

    /// See ``ListStore``: `joined`.
    public func joined() async throws -> [Join.Confirmed] {
        let list = self.list.value
        return try await read { db, scope in
            guard scope.schema >= 2, try db.tableExists("joined") else { return [] }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM joined WHERE list = ? ORDER BY confirmed, mailbox", arguments: [list]
            ).map {
                Join.Confirmed(
                    address: $0["address"], name: $0["name"], country: $0["country"], language: $0["language"],
                    confirmed: $0["confirmed"], pageLanguage: $0["page_language"], messageID: $0["message_id"])
            }
        }
    }
}
