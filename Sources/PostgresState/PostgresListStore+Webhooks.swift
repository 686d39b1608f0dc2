import PostgresNIO

extension PostgresListStore {
    /// See ``ListStore``: `spendWebhookToken`.
    public func spendWebhookToken(_ token: String, provider: String, now: Double) async throws -> Bool {
        let list = self.list.value
        return try await write("record a webhook's token") { connection in
            let logger = self.server.logger
            let old = now - 3600
            try await connection.query(
                "DELETE FROM digest_webhook_token WHERE list = \(list) AND provider = \(provider) AND time < \(old)",
                logger: logger)
            let rows = try await connection.query(
                """
                INSERT INTO digest_webhook_token (list, provider, token, time) VALUES (\(list), \(provider), \(token), \(now))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger)
            var inserted = false
            for try await _ in rows { inserted = true }
            return inserted
        }
    }

    /// See ``ListStore``: `releaseWebhookToken`.
    public func releaseWebhookToken(_ token: String, provider: String) async throws {
        let list = self.list.value
        try await write("forget a webhook's token") { connection in
            try await connection.query(
                "DELETE FROM digest_webhook_token WHERE list = \(list) AND provider = \(provider) AND token = \(token)",
                logger: self.server.logger)
        }
    }
}
