import Foundation
import GRDB
import MIME

extension SQLiteListStore {
    /// Which rows are this list's, as SQL: its own and every list's; in a
    /// file of the first version (read only), every row.
    struct Scope: Sendable {
        let list: ListID
        /// 0: no tables yet; 1: the first version (no list column); 2: lists.
        let schema: Int

        /// The condition, for a table with a `list` column.
        var condition: String { schema >= 2 ? "list IN (?, '\(ListID.everyList)')" : "1" }
        /// Its arguments.
        var arguments: StatementArguments { schema >= 2 ? [list.value] : [] }
        /// True when there is nothing to read (no tables yet).
        var isEmpty: Bool { schema == 0 }
        /// The list column's order: this list's own rows before every list's.
        var ownFirst: String { schema >= 2 ? "ORDER BY list = '\(ListID.everyList)'" : "" }
    }

    /// The file's schema, in GRDB's `DatabaseMigrator` (the ledgers' style
    /// too). A file made by an earlier version of the program, which
    /// numbered its schema in `user_version` itself, is recognised by its
    /// tables: the first migration makes the tables of a new file, moves a
    /// first-version file's rows to lists, and leaves a second-version
    /// file as it is.
    enum Schema {
        /// The schema this version writes: 2 (a list column everywhere).
        static let current = 2

        static func migrator(for list: ListID) -> DatabaseMigrator {
            var migrator = DatabaseMigrator()
            migrator.registerMigration("lists (version 2)") { db in
                switch try version(db) {
                case 0: try createVersion2(db)
                case 1: try migrateVersion1(db, to: list)
                default: break
                }
                // Read by versions of the program before the migrator.
                try db.execute(sql: "PRAGMA user_version = \(current)")
            }
            migrator.registerMigration("bounces by mailbox") { db in
                // Each bounce recorded counts the member's earlier ones: without
                // this, 10,000 reports read at once scanned the table 10,000 times.
                try db.execute(sql: "CREATE INDEX IF NOT EXISTS bounce_by_mailbox ON bounce (mailbox, kind, list)")
            }
            migrator.registerMigration("joins") { db in
                // Members who join themselves: the requests waiting for
                // their confirmation (the token's hash only), and the
                // record of each member's consent.
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS join_pending (
                            list TEXT NOT NULL, token_hash TEXT NOT NULL, mailbox TEXT NOT NULL, address TEXT NOT NULL,
                            name TEXT NOT NULL, country TEXT, language TEXT NOT NULL, page_language TEXT NOT NULL,
                            message_id TEXT NOT NULL, created DOUBLE NOT NULL, expires DOUBLE NOT NULL,
                            PRIMARY KEY (list, token_hash));
                        CREATE INDEX IF NOT EXISTS join_pending_by_mailbox ON join_pending (list, mailbox, created);
                        CREATE TABLE IF NOT EXISTS joined (
                            list TEXT NOT NULL, mailbox TEXT NOT NULL, address TEXT NOT NULL, name TEXT NOT NULL,
                            country TEXT, language TEXT NOT NULL, confirmed DOUBLE NOT NULL,
                            page_language TEXT NOT NULL, message_id TEXT NOT NULL, PRIMARY KEY (list, mailbox));
                        """)
            }
            migrator.registerMigration("provider events") { db in
                // SQLite cannot change a CHECK: the suppression table is
                // made again allowing complaint reports and providers'
                // webhooks as sources, its rows copied. Mailgun's webhook
                // tokens are kept to refuse one seen before.
                let reasons = Suppression.Reason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
                try db.execute(
                    sql: """
                        CREATE TABLE suppression_new (
                            list TEXT NOT NULL, mailbox TEXT NOT NULL,
                            reason TEXT NOT NULL CHECK (reason IN (\(reasons))),
                            source TEXT NOT NULL CHECK (source IN (\(Suppression.Source.sqlList()))),
                            detail TEXT, created DOUBLE NOT NULL,
                            PRIMARY KEY (list, mailbox));
                        INSERT INTO suppression_new (list, mailbox, reason, source, detail, created)
                            SELECT list, mailbox, reason, source, detail, created FROM suppression;
                        DROP TABLE suppression;
                        ALTER TABLE suppression_new RENAME TO suppression;
                        CREATE TABLE IF NOT EXISTS webhook_token (
                            list TEXT NOT NULL, provider TEXT NOT NULL, token TEXT NOT NULL, time DOUBLE NOT NULL,
                            PRIMARY KEY (list, provider, token));
                        """)
            }
            return migrator
        }

        /// The version of the tables in `db`: 0 (none), 1 or 2.
        static func version(_ db: Database) throws -> Int {
            guard try db.tableExists("suppression") else { return 0 }
            return try db.columns(in: "suppression").contains { $0.name == "list" } ? 2 : 1
        }

        /// A first-version row, read as this list's.
        static func legacySuppression(_ row: Row, list: ListID) throws -> Suppression {
            guard let reason = Suppression.Reason(rawValue: row["reason"]),
                let source = Suppression.Source(rawValue: row["source"])
            else {
                throw DatabaseError(message: "an unknown reason or source in the suppression list")
            }
            return Suppression(
                list: list.value, mailbox: row["mailbox"], reason: reason, source: source, detail: row["detail"],
                created: row["created"])
        }

        /// The tables of the second version: every row belongs to a list.
        static func createVersion2(_ db: Database, suffix: String = "") throws {
            let reasons = Suppression.Reason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
            let sources = Suppression.Source.sqlList(Suppression.Source.first)
            try db.execute(
                sql: """
                    CREATE TABLE suppression\(suffix) (
                        list TEXT NOT NULL, mailbox TEXT NOT NULL,
                        reason TEXT NOT NULL CHECK (reason IN (\(reasons))),
                        source TEXT NOT NULL CHECK (source IN (\(sources))),
                        detail TEXT, created DOUBLE NOT NULL,
                        PRIMARY KEY (list, mailbox));
                    CREATE TABLE event\(suffix) (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, list TEXT NOT NULL, mailbox TEXT NOT NULL,
                        action TEXT NOT NULL, reason TEXT, source TEXT NOT NULL, detail TEXT, time DOUBLE NOT NULL);
                    CREATE TABLE bounce\(suffix) (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, list TEXT NOT NULL, mailbox TEXT NOT NULL,
                        month TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('hard','soft')), status TEXT,
                        source TEXT NOT NULL,
                        -- A report read twice counts once: its own identity.
                        report TEXT, time DOUBLE NOT NULL, UNIQUE (list, report));
                    CREATE TABLE preference\(suffix) (
                        list TEXT NOT NULL, mailbox TEXT NOT NULL, language TEXT, updated DOUBLE NOT NULL,
                        PRIMARY KEY (list, mailbox));
                    CREATE TABLE IF NOT EXISTS list (id TEXT PRIMARY KEY, first_used DOUBLE NOT NULL, adopted TEXT);
                    """)
        }

        /// Makes a first-version file (one list, no list column) the second
        /// version's, every row given to `list` (hard-bounce suppressions to
        /// every list), in the open transaction.
        static func migrateVersion1(_ db: Database, to list: ListID) throws {
            try createVersion2(db, suffix: "_v2")
            let every = ListID.everyList
            let copies = [
                """
                INSERT INTO suppression_v2 (list, mailbox, reason, source, detail, created)
                    SELECT CASE reason WHEN 'hard-bounce' THEN '\(every)' ELSE ? END,
                        mailbox, reason, source, detail, created FROM suppression
                """,
                """
                INSERT INTO event_v2 (id, list, mailbox, action, reason, source, detail, time)
                    SELECT id, CASE WHEN action = 'suppress' AND reason = 'hard-bounce' THEN '\(every)' ELSE ? END,
                        mailbox, action, reason, source, detail, time FROM event
                """,
                """
                INSERT INTO bounce_v2 (id, list, mailbox, month, kind, status, source, report, time)
                    SELECT id, ?, mailbox, month, kind, status, source, report, time FROM bounce
                """,
                """
                INSERT INTO preference_v2 (list, mailbox, language, updated)
                    SELECT ?, mailbox, language, updated FROM preference
                """,
            ]
            for copy in copies { try db.execute(sql: copy, arguments: [list.value]) }
            try db.execute(
                sql: """
                    DROP TABLE suppression; DROP TABLE event; DROP TABLE bounce; DROP TABLE preference;
                    ALTER TABLE suppression_v2 RENAME TO suppression;
                    ALTER TABLE event_v2 RENAME TO event;
                    ALTER TABLE bounce_v2 RENAME TO bounce;
                    ALTER TABLE preference_v2 RENAME TO preference;
                    """)
            try db.execute(
                sql: "INSERT OR REPLACE INTO list (id, first_used, adopted) VALUES (?, ?, 'version 1')",
                arguments: [list.value, Date().timeIntervalSince1970])
        }
    }
}
