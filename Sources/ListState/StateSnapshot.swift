/// Everything a state holds, as plain rows: what `digest state copy` reads
/// from one state (a folder or a database) and merges into another. Rows
/// are compared whole: one already there is left, one that differs from
/// what is there under the same key is a conflict, and nothing is written.
public struct StateSnapshot: Sendable, Equatable {
    /// A list: its identifier, when first used, and what it adopted.
    public struct ListRow: Sendable, Hashable {
        /// Its id.
        public var id: String
        /// Its first used.
        public var firstUsed: Double
        /// Its adopted.
        public var adopted: String?
        /// A row.
        public init(id: String, firstUsed: Double, adopted: String?) {
            self.id = id
            self.firstUsed = firstUsed
            self.adopted = adopted
        }
    }

    /// An event of the suppression list (a suppression or a resubscription).
    public struct EventRow: Sendable, Hashable {
        /// Its list.
        public var list: String
        /// Its mailbox.
        public var mailbox: String
        /// Its action.
        public var action: String
        /// Its reason.
        public var reason: String?
        /// Its source.
        public var source: String
        /// Its detail.
        public var detail: String?
        /// Its time.
        public var time: Double
        /// A row.
        public init(
            list: String, mailbox: String, action: String, reason: String?, source: String, detail: String?,
            time: Double
        ) {
            self.list = list
            self.mailbox = mailbox
            self.action = action
            self.reason = reason
            self.source = source
            self.detail = detail
            self.time = time
        }
    }

    /// A bounce.
    public struct BounceRow: Sendable, Hashable {
        /// Its list.
        public var list: String
        /// Its mailbox.
        public var mailbox: String
        /// Its month.
        public var month: String
        /// Its kind.
        public var kind: String
        /// Its status.
        public var status: String?
        /// Its source.
        public var source: String
        /// Its report.
        public var report: String?
        /// Its time.
        public var time: Double
        /// A row.
        public init(
            list: String, mailbox: String, month: String, kind: String, status: String?, source: String,
            report: String?, time: Double
        ) {
            self.list = list
            self.mailbox = mailbox
            self.month = month
            self.kind = kind
            self.status = status
            self.source = source
            self.report = report
            self.time = time
        }
    }

    /// A language a member chose.
    public struct PreferenceRow: Sendable, Hashable {
        /// Its list.
        public var list: String
        /// Its mailbox.
        public var mailbox: String
        /// Its language.
        public var language: String?
        /// Its updated.
        public var updated: Double
        /// A row.
        public init(list: String, mailbox: String, language: String?, updated: Double) {
            self.list = list
            self.mailbox = mailbox
            self.language = language
            self.updated = updated
        }
    }

    /// A member who joined themselves, with their list.
    public struct JoinedRow: Sendable, Equatable {
        /// The list.
        public var list: String
        /// The member and the record of their consent.
        public var member: Join.Confirmed
        /// A row.
        public init(list: String, member: Join.Confirmed) {
            self.list = list
            self.member = member
        }
    }

    /// A request to join waiting for its confirmation, with its list.
    public struct PendingRow: Sendable, Equatable {
        /// The list.
        public var list: String
        /// The request.
        public var request: Join.Pending
        /// A row.
        public init(list: String, request: Join.Pending) {
            self.list = list
            self.request = request
        }
    }

    /// One member's row of a month's ledger.
    public struct LedgerRow: Sendable, Hashable {
        /// Its key.
        public var key: String
        /// Its address.
        public var address: String
        /// Its line.
        public var line: Int
        /// Its state.
        public var state: String
        /// Its attempts.
        public var attempts: Int
        /// Its next try.
        public var nextTry: Double?
        /// Its reply.
        public var reply: String?
        /// Its message i d.
        public var messageID: String
        /// Its updated.
        public var updated: Double
        /// A row.
        public init(
            key: String, address: String, line: Int, state: String, attempts: Int, nextTry: Double?,
            reply: String?, messageID: String, updated: Double
        ) {
            self.key = key
            self.address = address
            self.line = line
            self.state = state
            self.attempts = attempts
            self.nextTry = nextTry
            self.reply = reply
            self.messageID = messageID
            self.updated = updated
        }
    }

    /// A list's ledger of a month, its rows in the order they were added.
    public struct Ledger: Sendable, Equatable {
        /// Its list.
        public var list: String
        /// Its month.
        public var month: String
        /// Its rows.
        public var rows: [LedgerRow]
        /// Its meta.
        public var meta: [String: String]
        /// A ledger.
        public init(list: String, month: String, rows: [LedgerRow], meta: [String: String]) {
            self.list = list
            self.month = month
            self.rows = rows
            self.meta = meta
        }
    }

    /// Every list row.
    public var lists: [ListRow] = []
    /// Every suppression row.
    public var suppressions: [Suppression] = []
    /// Every event row.
    public var events: [EventRow] = []
    /// Every bounce row.
    public var bounces: [BounceRow] = []
    /// Every preference row.
    public var preferences: [PreferenceRow] = []
    /// Every ledger row.
    public var ledgers: [Ledger] = []

    /// Every member who joined themselves.
    public var joined: [JoinedRow] = []
    /// Every request to join still waiting.
    public var pending: [PendingRow] = []

    /// An empty snapshot.
    public init() {}

    /// How many rows of each kind, for what staff read (never an address).
    public var counts: [(String, Int)] {
        [
            ("lists", lists.count), ("suppressions", suppressions.count), ("events", events.count),
            ("bounces", bounces.count), ("preferences", preferences.count),
            ("members who joined", joined.count), ("requests to join", pending.count),
            ("ledger rows", ledgers.reduce(0) { $0 + $1.rows.count }),
        ]
    }

    /// What `self` would add to `existing` (rows not there yet), or the
    /// conflicts: rows under a key `existing` has with other values. A
    /// conflict names its kind, list and month, never an address.
    public func missing(from existing: StateSnapshot) -> Result<StateSnapshot, Conflicts> {
        var conflicts: [String] = []
        var adding = StateSnapshot()
        func merge<Row: Equatable, Key: Hashable>(
            _ mine: [Row], _ theirs: [Row], key: (Row) -> Key, name: (Row) -> String
        ) -> [Row] {
            let there = Dictionary(theirs.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            var added: [Row] = []
            for row in mine {
                if let found = there[key(row)] {
                    if found != row { conflicts.append(name(row)) }
                } else {
                    added.append(row)
                }
            }
            return added
        }
        adding.lists = merge(lists, existing.lists, key: \.id) { "the list \($0.id) (first used at another time)" }
        adding.suppressions = merge(
            suppressions, existing.suppressions, key: { [$0.list, $0.mailbox] },
            name: { "a suppression of the list \($0.list) (another reason, source or time)" })
        adding.preferences = merge(
            preferences, existing.preferences, key: { [$0.list, $0.mailbox] },
            name: { "a chosen language of the list \($0.list)" })
        adding.events = merge(events, existing.events, key: { $0 }, name: { _ in "" })
        adding.joined = merge(
            joined, existing.joined, key: { [$0.list, $0.member.mailbox] },
            name: { "a member who joined the list \($0.list) (another consent)" })
        adding.pending = merge(
            pending, existing.pending, key: { [$0.list, $0.request.tokenHash] },
            name: { "a request to join the list \($0.list)" })
        adding.bounces = merge(
            bounces, existing.bounces,
            key: { bounce in bounce.report.map { [bounce.list, "report", $0] } ?? ["\(bounce.hashValue)"] },
            name: { "a bounce of the list \($0.list) in \($0.month) (the same report, other values)" })
        let theirs = Dictionary(
            existing.ledgers.map { ("\($0.list) \($0.month)", $0) }, uniquingKeysWith: { first, _ in first })
        for ledger in ledgers {
            guard let there = theirs["\(ledger.list) \(ledger.month)"] else {
                adding.ledgers.append(ledger)
                continue
            }
            var copy = ledger
            copy.rows = merge(
                ledger.rows, there.rows, key: \.key,
                name: { _ in "a row of the ledger of \(ledger.list), \(ledger.month) (another state or reply)" })
            copy.meta = ledger.meta.filter { key, value in
                if let found = there.meta[key] {
                    if found != value { conflicts.append("the ledger of \(ledger.list), \(ledger.month): its \(key)") }
                    return false
                }
                return true
            }
            if !copy.rows.isEmpty || !copy.meta.isEmpty { adding.ledgers.append(copy) }
        }
        guard conflicts.isEmpty else { return .failure(Conflicts(places: conflicts)) }
        return .success(adding)
    }

    /// Rows under one key with other values in the two states.
    public struct Conflicts: Error, Sendable, CustomStringConvertible {
        /// Each conflict, as staff read it.
        public var places: [String]
        /// The message.
        public var description: String {
            let counted = Dictionary(places.map { ($0, 1) }, uniquingKeysWith: +)
            let listed = counted.keys.sorted().map { counted[$0] == 1 ? $0 : "\($0) ×\(counted[$0] ?? 0)" }
            return
                "the destination already holds other data under the same keys: \(listed.prefix(10).joined(separator: "; "))\(listed.count > 10 ? "; and more" : ""); nothing was copied"
        }
    }
}
