import Foundation

/// Where a list's state is kept, as `state:` in `coalition.yaml` or the
/// environment's `DIGEST_STATE` writes it: a folder (SQLite files, nothing
/// to set up) or a PostgreSQL database, so that `digest serve` on a public
/// host and `digest send` on a staff machine share one list.
///
/// ```yaml
/// state: ../state                                          # a folder
/// state: postgresql://digest@db.example.org:5432/coalition?sslmode=verify-full
/// ```
///
/// A password is never written in the address: it would be in every copy
/// of the data folder and every message that names the address. It comes
/// from `PGPASSWORD`, `~/.pgpass` or `state_password_file:`.
public enum StateLocation: Sendable, Equatable, CustomStringConvertible {
    /// A folder: absolute, or relative to the data folder (`state:`) or to
    /// the folder digest runs in (`DIGEST_STATE`).
    case folder(String)
    /// A PostgreSQL database.
    case database(DatabaseAddress)

    /// Reads `text`: a `postgresql://` or `postgres://` URL is a database,
    /// any other address with `://` is refused, anything else is a folder.
    ///
    /// - Throws: ``DatabaseAddress/Problem`` saying what to write instead.
    public static func parse(_ text: String) throws(DatabaseAddress.Problem) -> StateLocation {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isNewline) else {
            throw .notOneLine
        }
        guard trimmed.contains("://") else { return .folder(trimmed) }
        return .database(try DatabaseAddress(trimmed))
    }

    /// The location as staff read it: a folder's path, a database's
    /// address (never with a password).
    public var description: String {
        switch self {
        case .folder(let path): return path
        case .database(let address): return address.description
        }
    }
}
