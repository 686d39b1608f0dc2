import CoalitionData
import Foundation

/// Where a database's password comes from, never the address itself: the
/// environment's `PGPASSWORD`, then `state_password_file:` (a file holding
/// the password on its first line), then the password file libpq reads
/// (`PGPASSFILE`, else `~/.pgpass`: `host:port:database:user:password`
/// lines, `*` for any, `\:` and `\\` escaped). None found is no password:
/// the server may not ask for one (a socket with `peer`).
public enum DatabasePassword {
    /// A password file that cannot be used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        /// The file.
        public var path: String
        /// What is wrong and what to do.
        public var why: String
        /// The message.
        public var description: String { "the password file \(path) \(why)" }
    }

    /// The password for `address`.
    ///
    /// - Parameter file: `state_password_file:` resolved to a path, if set.
    /// - Throws: ``Problem`` when `file` cannot be read or is readable by
    ///   others (libpq ignores such a `.pgpass`; a file set on purpose is
    ///   refused instead, so the mistake is seen).
    public static func find(
        for address: DatabaseAddress, file: String?, environment: [String: String]
    ) throws(Problem) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        if let file {
            let text = try read(file, mustBePrivate: true)
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !line.isEmpty else {
                throw Problem(path: file, why: "is empty; write the password on its first line")
            }
            return line
        }
        let passfile =
            environment["PGPASSFILE"]
            ?? environment["HOME"].map { ($0 as NSString).appendingPathComponent(".pgpass") }
        guard let passfile, FileManager.default.isReadableFile(atPath: passfile) else { return nil }
        // libpq's rule: a .pgpass others can read is not used.
        guard let text = try? read(passfile, mustBePrivate: true) else { return nil }
        return match(text, address: address)
    }

    /// The password of the first line of a `.pgpass` text that matches.
    static func match(_ text: String, address: DatabaseAddress) -> String? {
        let wanted = [address.passwordFileHost, String(address.port), address.database, address.user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A `.pgpass` line's fields: `:` separates, `\` escapes the next character.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var escaped = false
        for character in line {
            if escaped {
                field.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }

    private static func read(_ path: String, mustBePrivate: Bool) throws(Problem) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(path: path, why: "cannot be read (\(String(cString: strerror(errno))))")
        }
        if mustBePrivate, info.st_mode & 0o077 != 0 {
            throw Problem(path: path, why: "can be read by others; make it private: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw Problem(path: path, why: "cannot be read as text") }
        return text
    }
}
