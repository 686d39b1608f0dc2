import CoalitionData
import DigestSend
import Foundation
import ListState
import MIME
import PostgresState
import WholeFiles

extension Project {
    /// What `digest state status` shows of the state: where it is, its
    /// lists, each list's suppressions and bounces, the months sent with
    /// their ledgers' rows by state, and the schema of every file. Counts
    /// only: never an address.
    public struct StateStatus: Sendable {
        /// One month's send of a list.
        public struct Month: Sendable, Equatable {
            /// `2019-03`.
            public var month: String
            /// The ledger's rows by state (`sent`, `pending`, `uncertain`…).
            public var rows: [String: Int]
            /// The ledger's schema: migrations applied, and pending.
            public var migrations: Int
            /// Migrations this version would apply.
            public var pending: [String]
        }

        /// One list of the state.
        public struct List: Sendable {
            /// The list's identifier.
            public var id: String
            /// True for the list of this data folder's coalition.
            public var isThisCoalitions: Bool
            /// Suppressed addresses by reason (`unsubscribed`, `hard-bounce`…).
            public var suppressed: [String: Int]
            /// Bounces recorded by kind (`hard`, `soft`).
            public var bounces: [String: Int]
            /// Its months with a ledger, newest first.
            public var months: [Month]
        }

        /// The state folder, or the database's address.
        public var location: String
        /// What keeps it: `SQLite` (a folder) or `PostgreSQL`.
        public var kind: String = "SQLite"
        /// False when nothing has been recorded yet (no folder).
        public var exists: Bool
        /// The suppression list's migrations applied, and pending.
        public var suppressionMigrations: [String]
        /// Migrations this version would apply to it.
        public var suppressionPending: [String]
        /// The lists, this coalition's first.
        public var lists: [List]
    }

    /// The state as it is: only read, nothing made or migrated.
    ///
    /// - Throws: ``ProjectError/state(path:cause:)`` when a file cannot be read.
    public func stateStatus() async throws(ProjectError) -> StateStatus {
        let dataset = try loadChecked().dataset
        let coalition = dataset.coalition
        let own = Self.listID(coalition)
        if case .database(let server) = try stateHome(coalition) {
            return try await databaseStatus(server, own: own)
        }
        let state = stateFolder(coalition)
        var status = StateStatus(
            location: state.path, exists: state.exists, suppressionMigrations: [], suppressionPending: [], lists: [])
        guard state.exists else { return status }
        do {
            if let schema = try SQLiteListStore.schemaStatus(path: state.suppressionsPath) {
                status.suppressionMigrations = schema.applied
                status.suppressionPending = schema.pending
            }
            var ids = Set(try state.lists().map(\.value))
            if let own { ids.insert(own.value) }
            if let any = ListID("status.lists"),
                let reader = try SQLiteListStore.existing(path: state.suppressionsPath, list: any)
            {
                for (id, _) in try await reader.lists() where id != ListID.everyList { ids.insert(id) }
            }
            for id in ids.sorted(by: { ($0 == own?.value ? 0 : 1, $0) < ($1 == own?.value ? 0 : 1, $1) }) {
                guard let list = ListID(id) else { continue }
                var entry = StateStatus.List(
                    id: id, isThisCoalitions: id == own?.value, suppressed: [:], bounces: [:], months: [])
                if let store = try SQLiteListStore.existing(path: state.suppressionsPath, list: list) {
                    for (reason, count) in try await store.counts() { entry.suppressed[reason.rawValue] = count }
                    for (kind, count) in try await store.bounceCounts() { entry.bounces[kind.rawValue] = count }
                }
                for month in try state.sendMonths(list: list) {
                    guard let ledger = try SendLedger.status(path: state.ledgerPath(month: month, list: list)) else {
                        continue
                    }
                    entry.months.append(
                        StateStatus.Month(
                            month: month,
                            rows: Dictionary(uniqueKeysWithValues: ledger.counts.map { ($0.key.rawValue, $0.value) }),
                            migrations: ledger.migrations.count, pending: ledger.pending))
                }
                status.lists.append(entry)
            }
        } catch {
            throw .state(path: state.path, cause: error)
        }
        return status
    }

    /// Brings every file of the state up to this version's schema (the
    /// suppression list and each ledger), for deploy scripts: what a
    /// writing command does on first use, done at once. Nothing is made
    /// for a state that does not exist yet.
    ///
    /// - Returns: `file: migration` for each migration applied.
    /// - Throws: ``ProjectError/state(path:cause:)`` when a file cannot be opened.
    public func migrateState() async throws(ProjectError) -> [String] {
        let dataset = try loadChecked().dataset
        let coalition = dataset.coalition
        if case .database(let server) = try stateHome(coalition) {
            do {
                return try await server.ready().map { "database: \($0)" }
            } catch {
                throw .state(path: server.location, cause: error)
            }
        }
        let state = stateFolder(coalition)
        guard state.exists else { return [] }
        var applied: [String] = []
        do {
            if FileManager.default.fileExists(atPath: state.suppressionsPath), let own = Self.listID(coalition) {
                let before = try SQLiteListStore.schemaStatus(path: state.suppressionsPath)?.applied ?? []
                _ = try SQLiteListStore(path: state.suppressionsPath, list: own)
                let after = try SQLiteListStore.schemaStatus(path: state.suppressionsPath)?.applied ?? []
                applied += after.filter { !before.contains($0) }.map { "suppressions.sqlite: \($0)" }
            }
            for list in try state.lists() {
                for month in try state.sendMonths(list: list) {
                    let path = state.ledgerPath(month: month, list: list)
                    guard FileManager.default.fileExists(atPath: path) else { continue }
                    // A send of that month holds its lock (and its ledger): it
                    // migrates the ledger itself; this leaves it alone.
                    let lockPath = state.lockPath(month: month, list: list)
                    var lock: FileLock?
                    if FileManager.default.fileExists(atPath: lockPath) {
                        lock = try FileLock(path: lockPath, wait: .never)
                        guard lock != nil else {
                            applied.append("sends/\(list)/\(month).sqlite: left alone, its send is running")
                            continue
                        }
                    }
                    applied += try SendLedger.migrate(path: path).map { "sends/\(list)/\(month).sqlite: \($0)" }
                    withExtendedLifetime(lock) {}
                }
            }
        } catch {
            throw .state(path: state.path, cause: error)
        }
        return applied
    }

    /// The status of a database: its migrations, every list it holds
    /// (this coalition's first, even before its first use) and their months.
    func databaseStatus(_ server: StateServer, own: ListID?) async throws(ProjectError) -> StateStatus {
        let read: StateServer.Status
        do {
            read = try await server.status()
        } catch {
            throw .state(path: server.location, cause: error)
        }
        var status = StateStatus(
            location: server.location, kind: "PostgreSQL", exists: !read.migrations.isEmpty,
            suppressionMigrations: read.migrations, suppressionPending: read.pending, lists: [])
        var lists = read.lists.filter { $0.id != ListID.everyList }
        if let own, !lists.contains(where: { $0.id == own.value }), status.exists {
            lists.append(.init(id: own.value, suppressed: [:], bounces: [:], months: []))
        }
        let everyList = read.lists.first { $0.id == ListID.everyList }
        for list in lists.sorted(by: { ($0.id == own?.value ? 0 : 1, $0.id) < ($1.id == own?.value ? 0 : 1, $1.id) }) {
            var suppressed = list.suppressed
            // A hard bounce is kept for every list: each list counts it.
            for (reason, count) in everyList?.suppressed ?? [:] { suppressed[reason, default: 0] += count }
            status.lists.append(
                StateStatus.List(
                    id: list.id, isThisCoalitions: list.id == own?.value, suppressed: suppressed,
                    bounces: list.bounces,
                    months: list.months.map {
                        StateStatus.Month(month: $0.month, rows: $0.rows, migrations: 0, pending: [])
                    }))
        }
        return status
    }
}
