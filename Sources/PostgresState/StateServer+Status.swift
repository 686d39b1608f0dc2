import DigestSend
import Foundation
import PostgresNIO

extension StateServer {
    /// What `digest state status` shows of a database: its migrations, its
    /// lists with their counts and the months each sent. Counts only:
    /// never an address. Only read: nothing is made or migrated.
    public struct Status: Sendable, Equatable {
        /// One list.
        public struct List: Sendable, Equatable {
            /// The list's identifier.
            public var id: String
            /// Suppressed addresses by reason.
            public var suppressed: [String: Int]
            /// Bounces by kind.
            public var bounces: [String: Int]
            /// Each month sent, newest first, with its rows by state.
            public var months: [(month: String, rows: [String: Int])]

            /// A list's counts.
            public init(
                id: String, suppressed: [String: Int], bounces: [String: Int],
                months: [(month: String, rows: [String: Int])]
            ) {
                self.id = id
                self.suppressed = suppressed
                self.bounces = bounces
                self.months = months
            }

            /// Equal when every count and month is.
            public static func == (left: List, right: List) -> Bool {
                left.id == right.id && left.suppressed == right.suppressed && left.bounces == right.bounces
                    && left.months.map(\.month) == right.months.map(\.month)
                    && left.months.map(\.rows) == right.months.map(\.rows)
            }
        }

        /// Migrations applied, in order.
        public var migrations: [String]
        /// Migrations this version knows that the database has not yet.
        public var pending: [String]
        /// The lists (none before the first use).
        public var lists: [List]
    }

    /// The database's state, read only.
    public func status() async throws(DatabaseFailure) -> Status {
        try await bounded(doing: "read the state's status") { [client, logger] in
            try await client.withConnection { connection in
                var exists = false
                for try await found in try await connection.query(
                    "SELECT to_regclass('digest_schema_migrations') IS NOT NULL", logger: logger
                ).decode(Bool.self) { exists = found }
                guard exists else {
                    return Status(migrations: [], pending: PostgresSchema.migrations.map(\.name), lists: [])
                }
                let applied = try await PostgresSchema.applied(connection, logger: logger)
                let known = PostgresSchema.migrations.map(\.name)
                var status = Status(
                    migrations: known.filter(applied.contains) + applied.filter { !known.contains($0) },
                    pending: known.filter { !applied.contains($0) }, lists: [])
                guard applied.contains("lists") else { return status }
                var lists: [String: Status.List] = [:]
                func list(_ id: String) -> Status.List {
                    lists[id] ?? Status.List(id: id, suppressed: [:], bounces: [:], months: [])
                }
                for try await id in try await connection.query("SELECT id FROM digest_list", logger: logger)
                    .decode(String.self)
                {
                    lists[id] = list(id)
                }
                for try await (id, reason, count) in try await connection.query(
                    "SELECT list, reason, COUNT(*) FROM digest_suppression GROUP BY list, reason", logger: logger
                ).decode((String, String, Int).self) {
                    var entry = list(id)
                    entry.suppressed[reason] = count
                    lists[id] = entry
                }
                for try await (id, kind, count) in try await connection.query(
                    "SELECT list, kind, COUNT(*) FROM digest_bounce GROUP BY list, kind", logger: logger
                ).decode((String, String, Int).self) {
                    var entry = list(id)
                    entry.bounces[kind] = count
                    lists[id] = entry
                }
                if applied.contains("send ledgers") {
                    var months: [String: [String: [String: Int]]] = [:]
                    for try await (id, month, state, count) in try await connection.query(
                        """
                        SELECT list, month, state, COUNT(*) FROM digest_send_message WHERE length(month) = 7
                        GROUP BY list, month, state
                        """,
                        logger: logger
                    ).decode((String, String, String, Int).self) {
                        months[id, default: [:]][month, default: [:]][state] = count
                    }
                    for (id, byMonth) in months {
                        var entry = list(id)
                        entry.months = byMonth.keys.sorted(by: >).map { (month: $0, rows: byMonth[$0] ?? [:]) }
                        lists[id] = entry
                    }
                }
                status.lists = lists.keys.sorted().compactMap { lists[$0] }
                return status
            }
        }
    }

    /// The months `list` sent (a ledger with rows), newest first.
    public func sendMonths(list: String) async throws(DatabaseFailure) -> [String] {
        try await withConnection(doing: "read the months sent") { [logger] connection in
            var months: [String] = []
            for try await month in try await connection.query(
                """
                SELECT DISTINCT month FROM digest_send_message WHERE list = \(list) AND length(month) = 7
                ORDER BY month DESC
                """,
                logger: logger
            ).decode(String.self) { months.append(month) }
            return months
        }
    }

    /// What `list`'s ledger of `month` records as sent or uncertain, by
    /// member key; nil when the list sent nothing that month. Only read.
    public func deliveries(list: String, month: String) async throws(DatabaseFailure) -> [String: SendLedger.Delivery]?
    {
        try await withConnection(doing: "read the ledger of \(month)") { [logger] connection in
            var found: [String: SendLedger.Delivery] = [:]
            var any = false
            for try await (key, address, id, state) in try await connection.query(
                """
                SELECT key, address, message_id, state FROM digest_send_message
                WHERE list = \(list) AND month = \(month)
                """, logger: logger
            ).decode((String, String, String, String).self) {
                any = true
                guard let state = SendLedger.State(rawValue: state), state == .sent || state == .uncertain else {
                    continue
                }
                found[key] = SendLedger.Delivery(address: address, messageID: id, state: state)
            }
            return any ? found : nil
        }
    }
}
