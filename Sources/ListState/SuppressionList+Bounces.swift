import Foundation
import GRDB
import MIME

extension SuppressionList {
    /// What kind of failure a bounce reports.
    public enum BounceKind: String, Sendable, Codable {
        /// The mailbox or domain does not exist (a 5.1.x status).
        case hard
        /// A failure for now, or one that may pass (full mailbox, a
        /// refusal for content or policy).
        case soft
    }

    /// When bounces suppress a member.
    public struct Limits: Sendable, Equatable {
        /// Hard bounces that suppress.
        public var hard: Int
        /// Soft bounces that suppress …
        public var soft: Int
        /// … among the member's last this many sends.
        public var ofLast: Int

        /// Limits.
        public init(hard: Int = 1, soft: Int = 3, ofLast: Int = 5) {
            self.hard = hard
            self.soft = soft
            self.ofLast = ofLast
        }
    }

    /// What recording a bounce did.
    public struct BounceOutcome: Sendable, Equatable {
        /// False when the same report was recorded before (nothing counted twice).
        public var counted: Bool
        /// The reason the address is now suppressed for, when this bounce
        /// suppressed it.
        public var suppressed: Reason?
    }

    /// Records a bounce of `address` for the send of `month`, and
    /// suppresses the address when `limits` are met: that many hard
    /// bounces, or soft bounces in that many of the months in `sends` (the
    /// member's last sends, newest first, `limits.ofLast` at most).
    ///
    /// - Parameter report: the report's own identity (its file and
    ///   Message-ID): the same report recorded again counts nothing.
    public func recordBounce(
        _ address: String, month: String, kind: BounceKind, status: String?, source: Source, report: String?,
        limits: Limits, sends: [String], now: Double
    ) throws -> BounceOutcome {
        let bounce = Bounce(address: address, month: month, kind: kind, status: status, report: report)
        return try write { db, scope in
            try record(bounce, source: source, limits: limits, sends: sends, now: now, scope: scope, db)
        }
    }

    /// One bounce to record.
    public struct Bounce: Sendable, Equatable {
        /// The member's address.
        public var address: String
        /// The send it bounced from (`2019-06`).
        public var month: String
        /// Hard or soft.
        public var kind: BounceKind
        /// The enhanced status, when known.
        public var status: String?
        /// The report's own identity: the same one again counts nothing.
        public var report: String?

        /// A bounce.
        public init(address: String, month: String, kind: BounceKind, status: String?, report: String?) {
            self.address = address
            self.month = month
            self.kind = kind
            self.status = status
            self.report = report
        }
    }

    /// Records `bounces` in one transaction (a mailbox of reports is
    /// applied whole or not at all), as ``recordBounce(_:month:kind:status:source:report:limits:sends:now:)``
    /// does one at a time.
    ///
    /// - Returns: each bounce's outcome, in order.
    public func recordBounces(
        _ bounces: [Bounce], source: Source, limits: Limits, sends: [String], now: Double
    ) throws -> [BounceOutcome] {
        try write { db, scope in
            try bounces.map { bounce in
                try record(bounce, source: source, limits: limits, sends: sends, now: now, scope: scope, db)
            }
        }
    }

    /// Records one bounce for this list. A hard bounce counts whatever list
    /// it came back from (the mailbox does not exist for any of them) and
    /// suppresses for every list; soft bounces count this list's sends only.
    private func record(
        _ bounce: Bounce, source: Source, limits: Limits, sends: [String], now: Double, scope: Scope, _ db: Database
    ) throws -> BounceOutcome {
        let mailbox = Self.mailbox(bounce.address)
        let (month, kind, status) = (bounce.month, bounce.kind, bounce.status)
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO bounce (list, mailbox, month, kind, status, source, report, time)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [list.value, mailbox, month, kind.rawValue, status, source.rawValue, bounce.report, now])
        guard db.changesCount > 0 else { return BounceOutcome(counted: false, suppressed: nil) }
        let current = try Self.entry(mailbox, scope: scope, db)
        // A hard bounce still reaches every list when this one had
        // suppressed the address for another reason.
        guard current == nil || (kind == .hard && current?.list != ListID.everyList) else {
            return BounceOutcome(counted: true, suppressed: nil)
        }
        let reason: Reason?
        switch kind {
        case .hard:
            let hard =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM bounce WHERE mailbox = ? AND kind = 'hard'", arguments: [mailbox])
                ?? 0
            reason = hard >= limits.hard ? .hardBounce : nil
        case .soft:
            let window = Array(sends.prefix(limits.ofLast))
            let months = Set(
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT month FROM bounce WHERE list = ? AND mailbox = ? AND kind = 'soft'",
                    arguments: [list.value, mailbox]))
            let inWindow = window.isEmpty ? months.count : window.filter(months.contains).count
            reason = inWindow >= limits.soft ? .softBounces : nil
        }
        guard let reason else { return BounceOutcome(counted: true, suppressed: nil) }
        let scopeOf = reason == .hardBounce ? ListID.everyList : list.value
        let detail =
            status.map { "\(kind.rawValue) bounce, status \($0), \(month)" } ?? "\(kind.rawValue) bounce, \(month)"
        try Self.event(db, list: scopeOf, mailbox, "suppress", reason, source, detail, now)
        try Entry(list: scopeOf, mailbox: mailbox, reason: reason, source: source, detail: detail, created: now)
            .insert(db)
        return BounceOutcome(counted: true, suppressed: current == nil ? reason : nil)
    }

    /// How many bounces of each kind are recorded for this list.
    public func bounceCounts() throws -> [BounceKind: Int] {
        try read { db, scope in
            var counts: [BounceKind: Int] = [:]
            guard !scope.isEmpty else { return counts }
            let own = scope.schema >= 2 ? "WHERE list = ?" : ""
            let arguments: StatementArguments = scope.schema >= 2 ? [list.value] : []
            for row in try Row.fetchAll(
                db, sql: "SELECT kind, COUNT(*) AS n FROM bounce \(own) GROUP BY kind", arguments: arguments)
            {
                if let kind = BounceKind(rawValue: row["kind"]) { counts[kind] = row["n"] }
            }
            return counts
        }
    }
}
