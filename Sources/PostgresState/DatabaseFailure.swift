import Foundation
import NIOCore
import PostgresNIO

/// Why the database could not be used, as staff read it: where, what was
/// being done, and what the server or the network said. Never a member's
/// address: only the server's message is kept, not its detail (which can
/// quote a row's values).
public enum DatabaseFailure: Error, Sendable, CustomStringConvertible {
    /// The database could not be reached, or stopped answering: worth
    /// waiting for (a restart, a network outage).
    case unreachable(location: String, cause: String)
    /// The server refused the login (user, password, `pg_hba.conf`).
    case login(location: String, cause: String)
    /// The server answered with an error.
    case server(location: String, doing: String, message: String, code: String)
    /// The settings cannot be used (a certificate file that cannot be read).
    case settings(location: String, problem: String)
    /// The tables were made by a newer version of the program.
    case newerSchema(location: String, unknown: [String])

    /// True when waiting and trying again may help.
    public var isTransient: Bool {
        if case .unreachable = self { return true }
        if case .server(_, _, _, let code) = self {
            // 57P01..03: the server is shutting down or starting; 08xxx:
            // connection exceptions; 40001/40P01: retry the transaction.
            return code.hasPrefix("57P") || code.hasPrefix("08") || code == "40001" || code == "40P01"
        }
        return false
    }

    /// The message.
    public var description: String {
        switch self {
        case .unreachable(let location, let cause):
            return "the state database \(location) cannot be reached: \(cause)"
        case .login(let location, let cause):
            return
                "the state database \(location) refused the login: \(cause); check the user in the address and the password (PGPASSWORD, ~/.pgpass or state_password_file:)"
        case .server(let location, let doing, let message, let code):
            return "cannot \(doing) in the state database \(location): \(message) (SQLSTATE \(code))"
        case .settings(let location, let problem):
            return "cannot connect to the state database \(location): \(problem)"
        case .newerSchema(let location, let unknown):
            return
                "the state database \(location) was brought up to date by a newer version of digest (\(unknown.joined(separator: ", "))); use that version here too"
        }
    }

    /// `error` as a failure of `doing` at `location`.
    static func from(_ error: any Error, location: String, doing: String) -> DatabaseFailure {
        if let failure = error as? DatabaseFailure { return failure }
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                let code = info[.sqlState] ?? "?"
                let message = info[.message] ?? "an error"
                // 28xxx: invalid authorization; 3D000: no such database.
                if code.hasPrefix("28") || code == "3D000" { return .login(location: location, cause: message) }
                return .server(location: location, doing: doing, message: message, code: code)
            }
            switch psql.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
                let cause = psql.underlying.map { "\($0)" } ?? "the connection was closed"
                return .unreachable(location: location, cause: cause)
            default:
                return .unreachable(location: location, cause: "\(psql.code)")
            }
        }
        if error is CancellationError { return .unreachable(location: location, cause: "the call was cancelled") }
        if let channel = error as? ChannelError { return .unreachable(location: location, cause: "\(channel)") }
        if let io = error as? IOError { return .unreachable(location: location, cause: io.description) }
        return .unreachable(location: location, cause: "\(error)")
    }
}
