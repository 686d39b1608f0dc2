import Foundation
import ListState
import PostgresNIO

/// The state's tables in PostgreSQL, made and changed by named migrations,
/// applied in order, each in its own transaction, under an advisory lock
/// (two hosts starting at once migrate once) and recorded in
/// `digest_schema_migrations`. The tables are those of the SQLite state,
/// every row belonging to a list, the send ledgers among them, all named
/// `digest_…` so a database shared with other programs stays readable.
enum PostgresSchema {
    /// The advisory lock's key while migrating: "digest" in ASCII.
    static let migrationLock: Int64 = 0x6469_6765_7374

    /// The migrations, in order: name and SQL.
    static let migrations: [(name: String, sql: String)] = [
        ("lists", lists),
        ("send ledgers", ledgers),
        ("joins", joins),
        ("provider events", sources),
        ("send holders' sessions", holders),
    ]

    /// The session that holds a month's lock, so that a second send names
    /// the holder the lock's own session wrote, never an earlier run's.
    static let holders = "ALTER TABLE digest_send_holder ADD COLUMN backend integer"

    /// Complaint reports and providers' webhooks as sources of a
    /// suppression; the webhook tokens seen (Mailgun's, refused a second
    /// time); SNS's signing certificates, fetched once.
    static var sources: String {
        """
        ALTER TABLE digest_suppression DROP CONSTRAINT digest_suppression_source_check;
        ALTER TABLE digest_suppression ADD CONSTRAINT digest_suppression_source_check
            CHECK (source IN (\(Suppression.Source.sqlList())));
        CREATE TABLE digest_webhook_token (
            list text NOT NULL, provider text NOT NULL, token text NOT NULL, time double precision NOT NULL,
            PRIMARY KEY (list, provider, token));
        CREATE TABLE digest_sns_certificate (
            url_hash text PRIMARY KEY, url text NOT NULL, pem text NOT NULL, fetched double precision NOT NULL);
        """
    }

    /// Members who join themselves: requests waiting for confirmation (the
    /// token's hash only) and the record of each member's consent.
    static let joins = """
        CREATE TABLE digest_join_pending (
            list text NOT NULL, token_hash text NOT NULL, mailbox text NOT NULL, address text NOT NULL,
            name text NOT NULL, country text, language text NOT NULL, page_language text NOT NULL,
            message_id text NOT NULL, created double precision NOT NULL, expires double precision NOT NULL,
            PRIMARY KEY (list, token_hash));
        CREATE INDEX digest_join_pending_by_mailbox ON digest_join_pending (list, mailbox, created);
        CREATE TABLE digest_joined (
            list text NOT NULL, mailbox text NOT NULL, address text NOT NULL, name text NOT NULL, country text,
            language text NOT NULL, confirmed double precision NOT NULL, page_language text NOT NULL,
            message_id text NOT NULL, PRIMARY KEY (list, mailbox));
        """

    static var lists: String {
        let reasons = Suppression.Reason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let sources = Suppression.Source.sqlList(Suppression.Source.first)
        return """
            CREATE TABLE digest_list (id text PRIMARY KEY, first_used double precision NOT NULL, adopted text);
            CREATE TABLE digest_suppression (
                list text NOT NULL, mailbox text NOT NULL,
                reason text NOT NULL CHECK (reason IN (\(reasons))),
                source text NOT NULL CHECK (source IN (\(sources))),
                detail text, created double precision NOT NULL,
                PRIMARY KEY (list, mailbox));
            CREATE INDEX digest_suppression_by_mailbox ON digest_suppression (mailbox);
            CREATE TABLE digest_event (
                id bigserial PRIMARY KEY, list text NOT NULL, mailbox text NOT NULL, action text NOT NULL,
                reason text, source text NOT NULL, detail text, time double precision NOT NULL);
            CREATE TABLE digest_bounce (
                id bigserial PRIMARY KEY, list text NOT NULL, mailbox text NOT NULL, month text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('hard','soft')), status text, source text NOT NULL,
                report text, time double precision NOT NULL, UNIQUE (list, report));
            CREATE INDEX digest_bounce_by_mailbox ON digest_bounce (mailbox, kind, list);
            CREATE TABLE digest_preference (
                list text NOT NULL, mailbox text NOT NULL, language text, updated double precision NOT NULL,
                PRIMARY KEY (list, mailbox));
            """
    }

    static var ledgers: String {
        let states = ["pending", "sent", "failed-temporary", "failed-permanent", "uncertain"]
            .map { "'\($0)'" }.joined(separator: ",")
        return """
            CREATE TABLE digest_send_message (
                list text NOT NULL, month text NOT NULL, key text NOT NULL, seq bigserial NOT NULL,
                address text NOT NULL, line integer NOT NULL,
                state text NOT NULL CHECK (state IN (\(states))),
                attempts integer NOT NULL DEFAULT 0, next_try double precision, reply text,
                message_id text NOT NULL, updated double precision NOT NULL,
                PRIMARY KEY (list, month, key));
            CREATE INDEX digest_send_message_by_message_id ON digest_send_message (list, message_id);
            CREATE TABLE digest_send_meta (
                list text NOT NULL, month text NOT NULL, key text NOT NULL, value text NOT NULL,
                PRIMARY KEY (list, month, key));
            -- Who holds a month's advisory lock, for the message a second send prints.
            CREATE TABLE digest_send_holder (
                list text NOT NULL, month text NOT NULL, host text NOT NULL, process integer NOT NULL,
                since double precision NOT NULL, PRIMARY KEY (list, month));
            """
    }

    /// Applies the migrations not yet applied, holding the advisory lock.
    ///
    /// - Returns: the names applied.
    /// - Throws: ``DatabaseFailure/newerSchema(location:unknown:)`` when the
    ///   database records migrations this version does not know.
    static func migrate(_ server: StateServer) async throws -> [String] {
        let logger = server.logger
        return try await server.bounded(doing: "bring the state's tables up to date") { [client = server.client] in
            try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(migrationLock))", logger: logger)
                do {
                    let applied = try await apply(connection, location: server.location, logger: logger)
                    try await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
                    return applied
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
                    throw error
                }
            }
        }
    }

    private static func apply(_ connection: PostgresConnection, location: String, logger: Logger) async throws
        -> [String]
    {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS digest_schema_migrations (
                name text PRIMARY KEY, applied double precision NOT NULL)
            """, logger: logger)
        let done = try await applied(connection, logger: logger)
        let unknown = done.filter { name in !migrations.contains { $0.name == name } }
        guard unknown.isEmpty else { throw DatabaseFailure.newerSchema(location: location, unknown: unknown) }
        var now: [String] = []
        for migration in migrations where !done.contains(migration.name) {
            try await connection.query("BEGIN", logger: logger)
            do {
                // One statement at a time: the extended protocol takes one.
                for statement in statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let time = Date().timeIntervalSince1970
                try await connection.query(
                    "INSERT INTO digest_schema_migrations (name, applied) VALUES (\(migration.name), \(time))",
                    logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            now.append(migration.name)
        }
        return now
    }

    /// The migrations recorded, in the order applied.
    static func applied(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names: [String] = []
        let rows = try await connection.query(
            "SELECT name FROM digest_schema_migrations ORDER BY applied, name", logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    /// The statements of a migration's SQL (none of ours holds a `;` inside).
    static func statements(_ sql: String) -> [String] {
        sql.split(separator: ";").map {
            $0.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
                .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { !$0.isEmpty }
    }
}
