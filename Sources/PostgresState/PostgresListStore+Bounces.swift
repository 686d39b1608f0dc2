import ListState
import MIME
import PostgresNIO

extension PostgresListStore {
    /// See ``ListStore``: `recordBounces`. The same rules as the SQLite
    /// store's: a report counts once, a hard bounce counts whatever list it
    /// came back from and suppresses for every list, soft bounces count this
    /// list's sends.
    public func recordBounces(
        _ bounces: [Bounce], source: Suppression.Source, limits: Bounce.Limits, sends: [String], now: Double
    ) async throws -> [Bounce.Outcome] {
        try await write("record bounces") { connection in
            var outcomes: [Bounce.Outcome] = []
            for bounce in bounces {
                outcomes.append(
                    try await self.record(
                        bounce, source: source, limits: limits, sends: sends, now: now, connection))
            }
            return outcomes
        }
    }

    private func record(
        _ bounce: Bounce, source: Suppression.Source, limits: Bounce.Limits, sends: [String], now: Double,
        _ connection: PostgresConnection
    ) async throws -> Bounce.Outcome {
        let mailbox = Suppression.mailbox(bounce.address)
        let list = self.list.value
        let logger = server.logger
        let inserted = try await connection.query(
            """
            INSERT INTO digest_bounce (list, mailbox, month, kind, status, source, report, time)
            VALUES (\(list), \(mailbox), \(bounce.month), \(bounce.kind.rawValue), \(bounce.status),
                \(source.rawValue), \(bounce.report), \(now))
            ON CONFLICT (list, report) DO NOTHING RETURNING 1
            """, logger: logger)
        var counted = false
        for try await _ in inserted.decode(Int.self) { counted = true }
        guard counted else { return Bounce.Outcome(counted: false, suppressed: nil) }
        let current = try await suppression(mailbox, connection)
        guard current == nil || (bounce.kind == .hard && current?.list != everyList) else {
            return Bounce.Outcome(counted: true, suppressed: nil)
        }
        var hard = 0
        for try await count in try await connection.query(
            "SELECT COUNT(*) FROM digest_bounce WHERE mailbox = \(mailbox) AND kind = 'hard'", logger: logger
        ).decode(Int.self) { hard = count }
        var softMonths = Set<String>()
        for try await month in try await connection.query(
            """
            SELECT DISTINCT month FROM digest_bounce WHERE list = \(list) AND mailbox = \(mailbox) AND kind = 'soft'
            """, logger: logger
        ).decode(String.self) { softMonths.insert(month) }
        guard let reason = limits.reason(after: bounce.kind, hardBounces: hard, softMonths: softMonths, sends: sends)
        else { return Bounce.Outcome(counted: true, suppressed: nil) }
        let scope = reason == .hardBounce ? everyList : list
        try await event(connection, list: scope, mailbox, "suppress", reason, source, bounce.detail, now)
        _ = try await insert(
            Suppression(
                list: scope, mailbox: mailbox, reason: reason, source: source, detail: bounce.detail, created: now),
            connection)
        return Bounce.Outcome(counted: true, suppressed: current == nil ? reason : nil)
    }

    /// See ``ListStore``: `bounceCounts`.
    public func bounceCounts() async throws -> [Bounce.Kind: Int] {
        try await server.withConnection(doing: "read the bounces") { [list, logger = server.logger] connection in
            var counts: [Bounce.Kind: Int] = [:]
            let rows = try await connection.query(
                "SELECT kind, COUNT(*) FROM digest_bounce WHERE list = \(list.value) GROUP BY kind", logger: logger)
            for try await (kind, count) in rows.decode((String, Int).self) {
                if let kind = Bounce.Kind(rawValue: kind) { counts[kind] = count }
            }
            return counts
        }
    }
}
