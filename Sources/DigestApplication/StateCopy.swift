import CoalitionData
import DigestSend
import Foundation
import ListState
import MIME
import PostgresState
import WholeFiles

/// `digest state copy FROM TO`: a state folder into a database, or back,
/// whole: every list's suppressions with their history, bounces,
/// preferences and every month's ledger. Idempotent: rows already in the
/// destination are left as they are; a row there under the same key with
/// other values refuses the copy, before anything is written. After a
/// copy, a send of a month already sent sends nothing.
public struct StateCopy: Sendable {
    /// What a copy did, by kind of row (never an address).
    public struct Report: Sendable {
        /// The source, as staff read it.
        public var from: String
        /// The destination.
        public var to: String
        /// Rows copied, by kind.
        public var copied: [(String, Int)]
        /// Rows already in the destination, by kind.
        public var alreadyThere: [(String, Int)]
    }

    /// The environment (`PGPASSWORD`, `PGPASSFILE`, `HOME`).
    public var environment: [String: String]

    /// A copier.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Copies the state at `from` into `to` (each a folder, relative to the
    /// folder digest runs in, or a `postgresql://` address).
    ///
    /// - Throws: ``ProjectError/state(path:cause:)`` when either cannot be
    ///   read or written, or they conflict (``StateSnapshot/Conflicts``).
    public func copy(from: String, to: String) async throws(ProjectError) -> Report {
        let source = try place(from)
        let destination = try place(to)
        guard source.location != destination.location else {
            throw .state(path: source.location, cause: CopyProblem.same)
        }
        if case .folder(let folder) = source, !folder.exists {
            throw .state(path: folder.path, cause: CopyProblem.noSource)
        }
        let read = try await snapshot(source)
        let there = try await snapshot(destination)
        let adding: StateSnapshot
        switch read.missing(from: there) {
        case .success(let found): adding = found
        case .failure(let conflicts): throw .state(path: destination.location, cause: conflicts)
        }
        try await add(adding, to: destination)
        let copied = adding.counts
        let alreadyThere = zip(read.counts, copied).map { ($0.0, $0.1 - $1.1) }
        return Report(from: source.location, to: destination.location, copied: copied, alreadyThere: alreadyThere)
    }

    /// Why a copy was refused.
    enum CopyProblem: Error, CustomStringConvertible {
        case same
        case noSource

        var description: String {
            switch self {
            case .same: return "the source and the destination are the same state"
            case .noSource: return "there is no state folder there to copy from"
            }
        }
    }

    /// A place named on the command line.
    func place(_ text: String) throws(ProjectError) -> StateHome {
        let location: StateLocation
        do {
            location = try StateLocation.parse(text)
        } catch {
            throw .state(path: DatabaseAddress.withoutPassword(text), cause: error)
        }
        switch location {
        case .folder(let path):
            let absolute =
                path.hasPrefix("/")
                ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
            return .folder(StateFolder(path: RealPath.resolve(absolute)))
        case .database(let address):
            do {
                let password = try DatabasePassword.find(for: address, file: nil, environment: environment)
                return .database(try StateHome.server(address, password: password))
            } catch {
                throw .state(path: address.description, cause: error)
            }
        }
    }

    /// Everything held at `home`.
    func snapshot(_ home: StateHome) async throws(ProjectError) -> StateSnapshot {
        switch home {
        case .database(let server):
            do {
                return try await server.snapshot()
            } catch {
                throw .state(path: server.location, cause: error)
            }
        case .folder(let folder):
            do {
                var snapshot = try SQLiteListStore.snapshot(path: folder.suppressionsPath)
                for list in try folder.lists() {
                    for month in try folder.sendMonths(list: list) {
                        let path = folder.ledgerPath(month: month, list: list)
                        if let ledger = try SendLedger.snapshot(path: path, list: list.value, month: month) {
                            snapshot.ledgers.append(ledger)
                        }
                    }
                }
                return snapshot
            } catch {
                throw .state(path: folder.path, cause: error)
            }
        }
    }

    /// Writes `adding` at `home`.
    func add(_ adding: StateSnapshot, to home: StateHome) async throws(ProjectError) {
        switch home {
        case .database(let server):
            do {
                try await server.add(adding)
            } catch {
                throw .state(path: server.location, cause: error)
            }
        case .folder(let folder):
            do {
                try folder.prepare()
                if adding.lists.count + adding.suppressions.count + adding.events.count + adding.bounces.count
                    + adding.preferences.count + adding.joined.count + adding.pending.count > 0
                {
                    try SQLiteListStore.add(adding, path: folder.suppressionsPath)
                }
                for ledger in adding.ledgers {
                    guard let list = ListID(ledger.list) else { continue }
                    try folder.prepare(list: list)
                    try SendLedger(path: folder.ledgerPath(month: ledger.month, list: list), list: ledger.list)
                        .add(ledger)
                }
            } catch {
                throw .state(path: folder.path, cause: error)
            }
        }
    }
}
