import GRDB

extension SQLiteListStore {
    /// See ``ListStore``: `spendWebhookToken`.
    public func spendWebhookToken(_ token: String, provider: String, now: Double) async throws -> Bool {
        let list = self.list.value
        return try await write { db, _ in
            try db.execute(
                sql: "DELETE FROM webhook_token WHERE list = ? AND provider = ? AND time < ?",
                arguments: [list, provider, now - 3600])
            try db.execute(
                sql: "INSERT OR IGNORE INTO webhook_token (list, provider, token, time) VALUES (?, ?, ?, ?)",
                arguments: [list, provider, token, now])
            return db.changesCount == 1
        }
    }

    /// See ``ListStore``: `releaseWebhookToken`.
    public func releaseWebhookToken(_ token: String, provider: String) async throws {
        let list = self.list.value
        try await write { db, _ in
            try db.execute(
                sql: "DELETE FROM webhook_token WHERE list = ? AND provider = ? AND token = ?",
                arguments: [list, provider, token])
        }
    }
}
