import Foundation
import ListState
import PostgresNIO

extension StateServer {
    /// Every row the database holds for the state (lists, suppressions,
    /// events, bounces, preferences, every list's ledgers), for `digest
    /// state copy`. Only read: a database without the tables is empty.
    public func snapshot() async throws(DatabaseFailure) -> StateSnapshot {
        let status = try await status()
        guard !status.migrations.isEmpty else { return StateSnapshot() }
        return try await withConnection(doing: "read the state") { [logger] connection in
            var snapshot = StateSnapshot()
            for try await (id, first, adopted) in try await connection.query(
                "SELECT id, first_used, adopted FROM digest_list ORDER BY id", logger: logger
            ).decode((String, Double, String?).self) {
                snapshot.lists.append(.init(id: id, firstUsed: first, adopted: adopted))
            }
            for try await row in try await connection.query(
                """
                SELECT list, mailbox, reason, source, detail, created FROM digest_suppression
                ORDER BY list, created, mailbox
                """, logger: logger
            ).decode((String, String, String, String, String?, Double).self) {
                snapshot.suppressions.append(try PostgresListStore.suppression(row))
            }
            for try await row in try await connection.query(
                "SELECT list, mailbox, action, reason, source, detail, time FROM digest_event ORDER BY id",
                logger: logger
            ).decode((String, String, String, String?, String, String?, Double).self) {
                snapshot.events.append(
                    .init(
                        list: row.0, mailbox: row.1, action: row.2, reason: row.3, source: row.4, detail: row.5,
                        time: row.6))
            }
            for try await row in try await connection.query(
                "SELECT list, mailbox, month, kind, status, source, report, time FROM digest_bounce ORDER BY id",
                logger: logger
            ).decode((String, String, String, String, String?, String, String?, Double).self) {
                snapshot.bounces.append(
                    .init(
                        list: row.0, mailbox: row.1, month: row.2, kind: row.3, status: row.4, source: row.5,
                        report: row.6, time: row.7))
            }
            for try await row in try await connection.query(
                "SELECT list, mailbox, language, updated FROM digest_preference ORDER BY list, mailbox",
                logger: logger
            ).decode((String, String, String?, Double).self) {
                snapshot.preferences.append(.init(list: row.0, mailbox: row.1, language: row.2, updated: row.3))
            }
            if status.migrations.contains("joins") {
                for try await row in try await connection.query(
                    """
                    SELECT list, address, name, country, language, confirmed, page_language, message_id
                    FROM digest_joined ORDER BY list, confirmed, mailbox
                    """, logger: logger
                ).decode((String, String, String, String?, String, Double, String, String).self) {
                    snapshot.joined.append(
                        .init(
                            list: row.0,
                            member: .init(
                                address: row.1, name: row.2, country: row.3, language: row.4, confirmed: row.5,
                                pageLanguage: row.6, messageID: row.7)))
                }
                for try await row in try await connection.query(
                    """
                    SELECT list, token_hash, address, name, country, language, page_language, message_id, created,
                        expires
                    FROM digest_join_pending ORDER BY list, created
                    """, logger: logger
                ).decode((String, String, String, String, String?, String, String, String, Double, Double).self) {
                    snapshot.pending.append(
                        .init(
                            list: row.0,
                            request: .init(
                                tokenHash: row.1, address: row.2, name: row.3, country: row.4, language: row.5,
                                pageLanguage: row.6, messageID: row.7, created: row.8, expires: row.9)))
                }
            }
            var ledgers: [String: StateSnapshot.Ledger] = [:]
            var order: [String] = []
            for try await row in try await connection.query(
                """
                SELECT list, month, key, address, line, state, attempts, next_try, reply, message_id, updated
                FROM digest_send_message ORDER BY list, month, seq
                """, logger: logger
            ).decode((String, String, String, String, Int, String, Int, Double?, String?, String, Double).self) {
                let name = row.0 + " " + row.1
                if ledgers[name] == nil {
                    ledgers[name] = .init(list: row.0, month: row.1, rows: [], meta: [:])
                    order.append(name)
                }
                ledgers[name]?.rows.append(
                    .init(
                        key: row.2, address: row.3, line: row.4, state: row.5, attempts: row.6, nextTry: row.7,
                        reply: row.8, messageID: row.9, updated: row.10))
            }
            for try await (list, month, key, value) in try await connection.query(
                "SELECT list, month, key, value FROM digest_send_meta ORDER BY list, month, key", logger: logger
            ).decode((String, String, String, String).self) {
                let name = list + " " + month
                if ledgers[name] == nil {
                    ledgers[name] = .init(list: list, month: month, rows: [], meta: [:])
                    order.append(name)
                }
                ledgers[name]?.meta[key] = value
            }
            snapshot.ledgers = order.compactMap { ledgers[$0] }
            return snapshot
        }
    }

    /// Adds `adding`'s rows to the database, in one transaction: all of
    /// them, or (on any error) none.
    public func add(_ adding: StateSnapshot) async throws(DatabaseFailure) {
        try await transaction(doing: "copy the state in") { [logger] connection in
            for list in adding.lists {
                try await connection.query(
                    """
                    INSERT INTO digest_list (id, first_used, adopted) VALUES (\(list.id), \(list.firstUsed),
                        \(list.adopted))
                    """, logger: logger)
            }
            for row in adding.suppressions {
                try await connection.query(
                    """
                    INSERT INTO digest_suppression (list, mailbox, reason, source, detail, created)
                    VALUES (\(row.list), \(row.mailbox), \(row.reason.rawValue), \(row.source.rawValue),
                        \(row.detail), \(row.created))
                    """, logger: logger)
            }
            for row in adding.events {
                try await connection.query(
                    """
                    INSERT INTO digest_event (list, mailbox, action, reason, source, detail, time)
                    VALUES (\(row.list), \(row.mailbox), \(row.action), \(row.reason), \(row.source), \(row.detail),
                        \(row.time))
                    """, logger: logger)
            }
            for row in adding.bounces {
                try await connection.query(
                    """
                    INSERT INTO digest_bounce (list, mailbox, month, kind, status, source, report, time)
                    VALUES (\(row.list), \(row.mailbox), \(row.month), \(row.kind), \(row.status), \(row.source),
                        \(row.report), \(row.time))
                    """, logger: logger)
            }
            for row in adding.joined {
                let member = row.member
                try await connection.query(
                    """
                    INSERT INTO digest_joined (list, mailbox, address, name, country, language, confirmed,
                        page_language, message_id)
                    VALUES (\(row.list), \(member.mailbox), \(member.address), \(member.name), \(member.country),
                        \(member.language), \(member.confirmed), \(member.pageLanguage), \(member.messageID))
                    """, logger: logger)
            }
            for row in adding.pending {
                let request = row.request
                try await connection.query(
                    """
                    INSERT INTO digest_join_pending (list, token_hash, mailbox, address, name, country, language,
                        page_language, message_id, created, expires)
                    VALUES (\(row.list), \(request.tokenHash), \(Suppression.mailbox(request.address)),
                        \(request.address), \(request.name), \(request.country), \(request.language),
                        \(request.pageLanguage), \(request.messageID), \(request.created), \(request.expires))
                    """, logger: logger)
            }
            for row in adding.preferences {
                try await connection.query(
                    """
                    INSERT INTO digest_preference (list, mailbox, language, updated)
                    VALUES (\(row.list), \(row.mailbox), \(row.language), \(row.updated))
                    """, logger: logger)
            }
            for ledger in adding.ledgers {
                for row in ledger.rows {
                    try await connection.query(
                        """
                        INSERT INTO digest_send_message (list, month, key, address, line, state, attempts, next_try,
                            reply, message_id, updated)
                        VALUES (\(ledger.list), \(ledger.month), \(row.key), \(row.address), \(row.line), \(row.state),
                            \(row.attempts), \(row.nextTry), \(row.reply), \(row.messageID), \(row.updated))
                        """, logger: logger)
                }
                for (key, value) in ledger.meta {
                    try await connection.query(
                        """
                        INSERT INTO digest_send_meta (list, month, key, value)
                        VALUES (\(ledger.list), \(ledger.month), \(key), \(value))
                        """, logger: logger)
                }
            }
        }
    }
}
