import ListState
import MIME
import PostgresNIO

extension PostgresListStore {
    /// See ``ListStore``: `requestJoin`. Two hosts asked at once for one
    /// address may both record theirs: the limit is a courtesy to the
    /// address, not a lock.
    public func requestJoin(_ pending: Join.Pending, unlessRequestedSince since: Double) async throws -> Bool {
        let list = self.list.value
        let mailbox = Suppression.mailbox(pending.address)
        return try await write("record a request to join") { connection in
            let logger = self.server.logger
            for try await recent in try await connection.query(
                """
                SELECT COUNT(*) FROM digest_join_pending WHERE list = \(list) AND mailbox = \(mailbox)
                    AND created > \(since)
                """, logger: logger
            ).decode(Int.self) where recent > 0 { return false }
            try await connection.query(
                "DELETE FROM digest_join_pending WHERE list = \(list) AND expires < \(pending.created)", logger: logger)
            try await connection.query(
                """
                INSERT INTO digest_join_pending (list, token_hash, mailbox, address, name, country, language,
                    page_language, message_id, created, expires)
                VALUES (\(list), \(pending.tokenHash), \(mailbox), \(pending.address), \(pending.name),
                    \(pending.country), \(pending.language), \(pending.pageLanguage), \(pending.messageID),
                    \(pending.created), \(pending.expires))
                """, logger: logger)
            return true
        }
    }

    /// See ``ListStore``: `withdrawJoin`.
    public func withdrawJoin(tokenHash: String) async throws {
        let list = self.list.value
        try await write("withdraw a request to join") { connection in
            try await connection.query(
                "DELETE FROM digest_join_pending WHERE list = \(list) AND token_hash = \(tokenHash)",
                logger: self.server.logger)
        }
    }

    /// See ``ListStore``: `pendingJoin`.
    public func pendingJoin(tokenHash: String, now: Double) async throws -> Join.Pending? {
        try await server.withConnection(doing: "read a request to join") {
            [list, logger = server.logger]
            connection in
            try await Self.pending(connection, list: list.value, tokenHash: tokenHash, now: now, logger: logger)
        }
    }

    static func pending(
        _ connection: PostgresConnection, list: String, tokenHash: String, now: Double, logger: Logger
    ) async throws -> Join.Pending? {
        let rows = try await connection.query(
            """
            SELECT token_hash, address, name, country, language, page_language, message_id, created, expires
            FROM digest_join_pending WHERE list = \(list) AND token_hash = \(tokenHash) AND expires > \(now)
            """, logger: logger)
        for try await row in rows.decode(
            (String, String, String, String?, String, String, String, Double, Double).self)
        {
            return Join.Pending(
                tokenHash: row.0, address: row.1, name: row.2, country: row.3, language: row.4, pageLanguage: row.5,
                messageID: row.6, created: row.7, expires: row.8)
        }
        return nil
    }

    /// See ``ListStore``: `confirmJoin`.
    public func confirmJoin(tokenHash: String, now: Double) async throws -> Join.Confirmed? {
        let list = self.list.value
        return try await write("confirm a request to join") { connection in
            let logger = self.server.logger
            guard
                let pending = try await Self.pending(
                    connection, list: list, tokenHash: tokenHash, now: now, logger: logger)
            else { return nil }
            let confirmed = Join.Confirmed(
                address: pending.address, name: pending.name, country: pending.country, language: pending.language,
                confirmed: now, pageLanguage: pending.pageLanguage, messageID: pending.messageID)
            try await connection.query(
                """
                INSERT INTO digest_joined (list, mailbox, address, name, country, language, confirmed,
                    page_language, message_id)
                VALUES (\(list), \(confirmed.mailbox), \(confirmed.address), \(confirmed.name), \(confirmed.country),
                    \(confirmed.language), \(now), \(confirmed.pageLanguage), \(confirmed.messageID))
                ON CONFLICT (list, mailbox) DO UPDATE SET address = excluded.address, name = excluded.name,
                    country = excluded.country, language = excluded.language, confirmed = excluded.confirmed,
                    page_language = excluded.page_language, message_id = excluded.message_id
                """, logger: logger)
            try await connection.query(
                "DELETE FROM digest_join_pending WHERE list = \(list) AND mailbox = \(confirmed.mailbox)",
                logger: logger)
            if try await self.suppression(confirmed.mailbox, connection) != nil {
                try await self.event(
                    connection, list: list, confirmed.mailbox, "resubscribe", nil, .page, "confirmed join", now)
                try await connection.query(
                    """
                    DELETE FROM digest_suppression WHERE mailbox = \(confirmed.mailbox)
                        AND list IN (\(list), \(self.everyList))
                    """, logger: logger)
            }
            return confirmed
        }
    }

    /// See ``ListStore``: `joined`.
    public func joined() async throws -> [Join.Confirmed] {
        try await server.withConnection(doing: "read the members who joined") {
            [list, logger = server.logger]
            connection in
            var found: [Join.Confirmed] = []
            let rows = try await connection.query(
                """
                SELECT address, name, country, language, confirmed, page_language, message_id FROM digest_joined
                WHERE list = \(list.value) ORDER BY confirmed, mailbox
                """, logger: logger)
            for try await row in rows.decode((String, String, String?, String, Double, String, String).self) {
                found.append(
                    Join.Confirmed(
                        address: row.0, name: row.1, country: row.2, language: row.3, confirmed: row.4,
                        pageLanguage: row.5, messageID: row.6))
            }
            return found
        }
    }
}
