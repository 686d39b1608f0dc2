import GRDB
import MIME

extension SQLiteListStore {
    /// See ``ListStore``: `recordBounces`.
    public func recordBounces(
        _ bounces: [Bounce], source: Suppression.Source, limits: Bounce.Limits, sends: [String], now: Double
    ) async throws -> [Bounce.Outcome] {
        let list = self.list
        return try await write { db, scope in
            try bounces.map { bounce in
                try Self.record(bounce, list: list, source: source, limits: limits, sends: sends, now: now, scope, db)
            }
        }
    }

    /// Records one bounce for `list`. A hard bounce counts whatever list it
    /// came back from (the mailbox does not exist for any of them) and
    /// suppresses for every list; soft bounces count this list's sends only.
    private static func record(
        _ bounce: Bounce, list: ListID, source: Suppression.Source, limits: Bounce.Limits, sends: [String],
        now: Double, _ scope: Scope, _ db: Database
    ) throws -> Bounce.Outcome {
        let mailbox = Suppression.mailbox(bounce.address)
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO bounce (list, mailbox, month, kind, status, source, report, time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                list.value, mailbox, bounce.month, bounce.kind.rawValue, bounce.status, source.rawValue,
                bounce.report, now,
            ])
        guard db.changesCount > 0 else { return Bounce.Outcome(counted: false, suppressed: nil) }
        let current = try suppression(mailbox, scope: scope, db)
        // A hard bounce still reaches every list when this one had
        // suppressed the address for another reason.
        guard current == nil || (bounce.kind == .hard && current?.list != ListID.everyList) else {
            return Bounce.Outcome(counted: true, suppressed: nil)
        }
        let hard =
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM bounce WHERE mailbox = ? AND kind = 'hard'", arguments: [mailbox]) ?? 0
        let softMonths = Set(
            try String.fetchAll(
                db, sql: "SELECT DISTINCT month FROM bounce WHERE list = ? AND mailbox = ? AND kind = 'soft'",
                arguments: [list.value, mailbox]))
        guard let reason = limits.reason(after: bounce.kind, hardBounces: hard, softMonths: softMonths, sends: sends)
        else { return Bounce.Outcome(counted: true, suppressed: nil) }
        let scopeOf = reason == .hardBounce ? ListID.everyList : list.value
        try event(db, list: scopeOf, mailbox, "suppress", reason, source, bounce.detail, now)
        try Suppression(
            list: scopeOf, mailbox: mailbox, reason: reason, source: source, detail: bounce.detail, created: now
        ).insert(db)
        return Bounce.Outcome(counted: true, suppressed: current == nil ? reason : nil)
    }

    /// See ``ListStore``: `bounceCounts`.
    public func bounceCounts() async throws -> [Bounce.Kind: Int] {
        let list = self.list
        return try await read { db, scope in
            var counts: [Bounce.Kind: Int] = [:]
            guard !scope.isEmpty else { return counts }
            let own = scope.schema >= 2 ? "WHERE list = ?" : ""
            let arguments: StatementArguments = scope.schema >= 2 ? [list.value] : []
            for row in try Row.fetchAll(
                db, sql: "SELECT kind, COUNT(*) AS n FROM bounce \(own) GROUP BY kind", arguments: arguments)
            {
                if let kind = Bounce.Kind(rawValue: row["kind"]) { counts[kind] = row["n"] }
            }
            return counts
        }
    }
}
