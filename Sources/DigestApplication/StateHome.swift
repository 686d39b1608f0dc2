import CoalitionData
import Foundation
import ListState
import MIME
import PostgresState
import Synchronization
import WholeFiles

/// Where a project's state is, found once from `DIGEST_STATE` or `state:`:
/// a folder of SQLite files (the default, nothing to set up) or a
/// PostgreSQL database shared by every host. The application layer opens
/// the stores here; everything above them (the send, `digest serve`, the
/// bounce reader) uses ``ListStore`` and ``MonthLedger`` and does not know
/// which it has.
public enum StateHome: Sendable {
    /// A folder (``StateFolder``).
    case folder(StateFolder)
    /// A database, through the process's one client for its address.
    case database(StateServer)

    /// Where it is, as staff read it (a path, or an address without a password).
    public var location: String {
        switch self {
        case .folder(let folder): return folder.path
        case .database(let server): return server.location
        }
    }

    /// The clients of this process, one an address and password: `digest
    /// serve` and a send open the store many times and share one pool.
    private static let servers = Mutex<[String: StateServer]>([:])

    /// The client for `address`, made once a process.
    static func server(_ address: DatabaseAddress, password: String?) throws(DatabaseFailure) -> StateServer {
        let key = address.description + "\u{0}" + (password ?? "")
        if let known = servers.withLock({ $0[key] }) { return known }
        let made = try StateServer(address: address, password: password)
        return servers.withLock { servers in
            if let known = servers[key] {
                made.close()
                return known
            }
            servers[key] = made
            return made
        }
    }
}

extension Project {
    /// Where `coalition`'s state is: `DIGEST_STATE` when set (a folder
    /// relative to the folder digest runs in, or a database), else
    /// `state:` (a folder relative to the data folder, or a database), else
    /// the folder `state` beside the data folder.
    ///
    /// - Throws: ``ProjectError/state(path:cause:)`` when the database's
    ///   password file cannot be used, or its TLS settings made.
    public func stateHome(_ coalition: Coalition) throws(ProjectError) -> StateHome {
        guard let address = stateDatabase(coalition) else { return .folder(stateFolder(coalition)) }
        let file = coalition.statePasswordFile.map { written in
            written.hasPrefix("/")
                ? written : (RealPath.resolve(dataPath) as NSString).appendingPathComponent(written)
        }
        do {
            let password = try DatabasePassword.find(for: address, file: file, environment: environment)
            return .database(try StateHome.server(address, password: password))
        } catch {
            throw .state(path: address.description, cause: error)
        }
    }

    /// The database named for the state, if one is (`DIGEST_STATE` first).
    func stateDatabase(_ coalition: Coalition) -> DatabaseAddress? {
        if let stateOverride {
            guard case .database(let address)? = try? StateLocation.parse(stateOverride) else { return nil }
            return address
        }
        guard case .database(let address)? = coalition.state else { return nil }
        return address
    }
}

extension Project {
    /// The months `list` sent (a ledger with rows), `including` one more,
    /// newest first.
    func sendMonths(_ home: StateHome, list: ListID, including month: String? = nil) async throws(ProjectError)
        -> [String]
    {
        switch home {
        case .folder(let state):
            do {
                return try state.sendMonths(list: list, including: month)
            } catch {
                throw .state(path: state.sendsPath(list: list), cause: error)
            }
        case .database(let server):
            do {
                var months = Set(try await server.sendMonths(list: list.value))
                if let month { months.insert(month) }
                return months.sorted(by: >)
            } catch {
                throw .state(path: server.location, cause: error)
            }
        }
    }
}
