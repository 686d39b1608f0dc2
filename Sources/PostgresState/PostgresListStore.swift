import Foundation
import ListState
import MIME
import PostgresNIO
import Synchronization

/// A list's state in PostgreSQL: the same ``ListStore`` as the SQLite one,
/// in the tables of ``PostgresSchema``, so `digest serve` on one host and
/// `digest send` on another read and write one list. Each change is one
/// transaction, committed (the server's `synchronous_commit`) before the
/// call returns; a call the database cannot answer fails with
/// ``DatabaseFailure`` and acknowledges nothing.
public final class PostgresListStore: ListStore {
    /// The list this instance speaks for.
    public let list: ListID
    let server: StateServer
    private let writable: Bool
    private let listNoted = Mutex(false)

    /// The store of `list` in `server`'s database. `writable: false` for
    /// commands that only read (`check`, `members status`): they change
    /// nothing, and do not add the list.
    public init(server: StateServer, list: ListID, writable: Bool = true) {
        self.server = server
        self.list = list
        self.writable = writable
    }

    /// The database's address (never with a password).
    public var location: String { server.location }

    var everyList: String { ListID.everyList }

    /// Records this list as used (writing commands), in the open
    /// transaction; once an instance (a statement saved on every request).
    func noteList(_ connection: PostgresConnection) async throws {
        guard !listNoted.withLock({ $0 }) else { return }
        let now = Date().timeIntervalSince1970
        try await connection.query(
            "INSERT INTO digest_list (id, first_used) VALUES (\(list.value), \(now)) ON CONFLICT DO NOTHING",
            logger: server.logger)
    }

    /// A change, in one transaction.
    func write<T: Sendable>(
        _ doing: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard writable else {
            throw DatabaseFailure.settings(location: location, problem: "this list was opened for reading only")
        }
        let result = try await server.transaction(doing: doing) { connection in
            try await self.noteList(connection)
            return try await body(connection)
        }
        listNoted.withLock { $0 = true }
        return result
    }

    // MARK: Reading

    /// See ``ListStore``: `lists`.
    public func lists() async throws -> [(id: String, adopted: Bool)] {
        let rows = try await server.withConnection(doing: "read the lists") { [logger = server.logger] connection in
            var found: [ListEntry] = []
            let rows = try await connection.query("SELECT id, adopted FROM digest_list ORDER BY id", logger: logger)
            for try await (id, adopted) in rows.decode((String, String?).self) {
                found.append(ListEntry(id: id, adopted: adopted != nil))
            }
            return found
        }
        return rows.map { (id: $0.id, adopted: $0.adopted) }
    }

    struct ListEntry: Sendable {
        var id: String
        var adopted: Bool
    }

    /// See ``ListStore``: `suppression`.
    public func suppression(of address: String) async throws -> Suppression? {
        let mailbox = Suppression.mailbox(address)
        return try await server.withConnection(doing: "read the suppression list") { connection in
            try await self.suppression(mailbox, connection)
        }
    }

    func suppression(_ mailbox: String, _ connection: PostgresConnection) async throws -> Suppression? {
        let rows = try await connection.query(
            """
            SELECT list, mailbox, reason, source, detail, created FROM digest_suppression
            WHERE mailbox = \(mailbox) AND list IN (\(list.value), \(everyList))
            ORDER BY list = \(everyList) LIMIT 1
            """, logger: server.logger)
        for try await row in rows.decode((String, String, String, String, String?, Double).self) {
            return try Self.suppression(row)
        }
        return nil
    }

    static func suppression(_ row: (String, String, String, String, String?, Double)) throws -> Suppression {
        guard let reason = Suppression.Reason(rawValue: row.2), let source = Suppression.Source(rawValue: row.3) else {
            throw DatabaseFailure.server(
                location: "", doing: "read a suppression", message: "an unknown reason or source", code: "digest")
        }
        return Suppression(list: row.0, mailbox: row.1, reason: reason, source: source, detail: row.4, created: row.5)
    }

    /// See ``ListStore``: `suppressions`.
    public func suppressions() async throws -> [Suppression] {
        try await server.withConnection(doing: "read the suppression list") {
            [list, everyList, logger = server.logger]
            connection in
            let rows = try await connection.query(
                """
                SELECT list, mailbox, reason, source, detail, created FROM digest_suppression
                WHERE list IN (\(list.value), \(everyList)) ORDER BY created, mailbox, list = \(everyList)
                """, logger: logger)
            var seen = Set<String>()
            var found: [Suppression] = []
            for try await row in rows.decode((String, String, String, String, String?, Double).self) {
                let suppression = try Self.suppression(row)
                if seen.insert(suppression.mailbox).inserted { found.append(suppression) }
            }
            return found
        }
    }

    /// See ``ListStore``: `mailboxes`.
    public func mailboxes() async throws -> Set<String> {
        try await server.withConnection(doing: "read the suppression list") {
            [list, everyList, logger = server.logger]
            connection in
            let rows = try await connection.query(
                "SELECT mailbox FROM digest_suppression WHERE list IN (\(list.value), \(everyList))", logger: logger)
            var found = Set<String>()
            for try await mailbox in rows.decode(String.self) { found.insert(mailbox) }
            return found
        }
    }

    /// The last event's number: events are only ever added, on every list.
    public func changeMark() async throws -> Int {
        try await server.withConnection(doing: "read the suppression list") { [logger = server.logger] connection in
            let rows = try await connection.query("SELECT COALESCE(MAX(id), 0) FROM digest_event", logger: logger)
            for try await last in rows.decode(Int.self) { return last }
            return 0
        }
    }

    /// See ``ListStore``: `language`.
    public func language(of address: String) async throws -> String? {
        let mailbox = Suppression.mailbox(address)
        return try await server.withConnection(doing: "read the preferences") {
            [list, logger = server.logger]
            connection in
            let rows = try await connection.query(
                "SELECT language FROM digest_preference WHERE list = \(list.value) AND mailbox = \(mailbox)",
                logger: logger)
            for try await language in rows.decode(String?.self) { return language }
            return nil
        }
    }

    /// See ``ListStore``: `languages`.
    public func languages() async throws -> [String: String] {
        try await server.withConnection(doing: "read the preferences") { [list, logger = server.logger] connection in
            let rows = try await connection.query(
                """
                SELECT mailbox, language FROM digest_preference
                WHERE list = \(list.value) AND language IS NOT NULL
                """, logger: logger)
            var chosen: [String: String] = [:]
            for try await (mailbox, language) in rows.decode((String, String).self) { chosen[mailbox] = language }
            return chosen
        }
    }

    // MARK: Changing

    /// See ``ListStore``: `suppress`. A batch (the server's group commit)
    /// takes a few statements whatever its size: the events in one, the
    /// suppressions in force read in one, the new ones written in one, the
    /// languages read in one.
    public func suppress(_ requests: [Suppression.Request], now: Double) async throws -> [Suppression.Applied] {
        guard !requests.isEmpty else { return [] }
        let list = self.list.value
        let mailboxes = requests.map { Suppression.mailbox($0.address) }
        let reasons = requests.map(\.reason.rawValue)
        let sources = requests.map(\.source.rawValue)
        // An empty detail is none (arrays of text carry no NULL here).
        let details = requests.map { $0.detail ?? "" }
        return try await write("record suppressions") { connection in
            let logger = self.server.logger
            try await connection.query(
                """
                INSERT INTO digest_event (list, mailbox, action, reason, source, detail, time)
                SELECT \(list), m, 'suppress', r, s, NULLIF(d, ''), \(now)
                FROM unnest(\(mailboxes)::text[], \(reasons)::text[], \(sources)::text[], \(details)::text[])
                    WITH ORDINALITY AS t(m, r, s, d, n)
                ORDER BY n
                """, logger: logger)
            var current = try await self.suppressions(of: mailboxes, connection)
            // The first request for a mailbox not suppressed makes its suppression.
            var made: [Suppression] = []
            for (index, mailbox) in mailboxes.enumerated() where current[mailbox] == nil {
                let request = requests[index]
                let suppression = Suppression(
                    list: list, mailbox: mailbox, reason: request.reason, source: request.source,
                    detail: request.detail, created: now)
                current[mailbox] = suppression
                made.append(suppression)
            }
            var isNew = Set<String>()
            if !made.isEmpty {
                let rows = try await connection.query(
                    """
                    INSERT INTO digest_suppression (list, mailbox, reason, source, detail, created)
                    SELECT \(list), m, r, s, NULLIF(d, ''), \(now)
                    FROM unnest(\(made.map(\.mailbox))::text[], \(made.map(\.reason.rawValue))::text[],
                        \(made.map(\.source.rawValue))::text[], \(made.map { $0.detail ?? "" })::text[]) AS t(m, r, s, d)
                    ON CONFLICT (list, mailbox) DO NOTHING RETURNING mailbox
                    """, logger: logger)
                for try await mailbox in rows.decode(String.self) { isNew.insert(mailbox) }
                if isNew.count < made.count {
                    // Another host's request made some since the read: theirs are in force.
                    let raced = made.map(\.mailbox).filter { !isNew.contains($0) }
                    for (mailbox, suppression) in try await self.suppressions(of: raced, connection) {
                        current[mailbox] = suppression
                    }
                }
            }
            var languages: [String: String] = [:]
            for try await (mailbox, language) in try await connection.query(
                """
                SELECT mailbox, language FROM digest_preference
                WHERE list = \(list) AND mailbox = ANY(\(mailboxes)) AND language IS NOT NULL
                """, logger: logger
            ).decode((String, String).self) { languages[mailbox] = language }
            var reported = Set<String>()
            return mailboxes.compactMap { mailbox in
                guard let suppression = current[mailbox] else { return nil }
                // Only the first request for a mailbox made it.
                let new = isNew.contains(mailbox) && reported.insert(mailbox).inserted
                return Suppression.Applied(suppression: suppression, isNew: new, language: languages[mailbox])
            }
        }
    }

    /// The suppressions in force for `mailboxes` on this list (its own
    /// before every list's), by mailbox.
    func suppressions(of mailboxes: [String], _ connection: PostgresConnection) async throws -> [String: Suppression] {
        var found: [String: Suppression] = [:]
        let rows = try await connection.query(
            """
            SELECT list, mailbox, reason, source, detail, created FROM digest_suppression
            WHERE mailbox = ANY(\(mailboxes)) AND list IN (\(list.value), \(everyList))
            ORDER BY list = \(everyList) DESC
            """, logger: server.logger)
        // Every list's first, then this list's over them.
        for try await row in rows.decode((String, String, String, String, String?, Double).self) {
            let suppression = try Self.suppression(row)
            found[suppression.mailbox] = suppression
        }
        return found
    }

    /// Inserts `suppression`; false when the row was there already.
    func insert(_ suppression: Suppression, _ connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO digest_suppression (list, mailbox, reason, source, detail, created)
            VALUES (\(suppression.list), \(suppression.mailbox), \(suppression.reason.rawValue),
                \(suppression.source.rawValue), \(suppression.detail), \(suppression.created))
            ON CONFLICT (list, mailbox) DO NOTHING RETURNING 1
            """, logger: server.logger)
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    func event(
        _ connection: PostgresConnection, list: String, _ mailbox: String, _ action: String,
        _ reason: Suppression.Reason?, _ source: Suppression.Source, _ detail: String?, _ now: Double
    ) async throws {
        try await connection.query(
            """
            INSERT INTO digest_event (list, mailbox, action, reason, source, detail, time)
            VALUES (\(list), \(mailbox), \(action), \(reason?.rawValue), \(source.rawValue), \(detail), \(now))
            """, logger: server.logger)
    }

    /// See ``ListStore``: `resubscribe`.
    public func resubscribe(_ address: String, source: Suppression.Source, now: Double) async throws -> Suppression? {
        let mailbox = Suppression.mailbox(address)
        let list = self.list.value
        return try await write("lift a suppression") { connection in
            guard let suppression = try await self.suppression(mailbox, connection) else { return nil }
            try await self.event(connection, list: list, mailbox, "resubscribe", nil, source, nil, now)
            try await connection.query(
                """
                DELETE FROM digest_suppression WHERE mailbox = \(mailbox) AND list IN (\(list), \(self.everyList))
                """, logger: self.server.logger)
            return suppression
        }
    }

    /// See ``ListStore``: `setLanguage`.
    public func setLanguage(_ language: String, of address: String, now: Double) async throws {
        let mailbox = Suppression.mailbox(address)
        let list = self.list.value
        try await write("record a language") { connection in
            try await connection.query(
                """
                INSERT INTO digest_preference (list, mailbox, language, updated)
                VALUES (\(list), \(mailbox), \(language), \(now))
                ON CONFLICT (list, mailbox) DO UPDATE SET language = excluded.language, updated = excluded.updated
                """, logger: self.server.logger)
        }
    }
}
