import Foundation

/// A PostgreSQL database's address, read from a `postgresql://` URL the way
/// libpq reads one, without its password (which is refused here: it comes
/// from `PGPASSWORD`, `~/.pgpass` or `state_password_file:`).
///
/// ```
/// postgresql://digest@db.example.org:5432/coalition?sslmode=verify-full
/// postgres://digest@localhost/coalition?sslmode=disable
/// postgresql://digest@/coalition?host=/var/run/postgresql      (a Unix socket's folder)
/// ```
///
/// `sslmode` is `disable`, `require` (encrypted, the server not checked)
/// or `verify-full` (encrypted, the server's certificate checked against
/// the system's authorities, or `sslrootcert`, and its name against the
/// host). Left out, it is `disable` for a socket or a loopback host and
/// `verify-full` for any other: an address on the network is never used
/// unencrypted unless it says so.
public struct DatabaseAddress: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is encrypted.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Not encrypted: a socket or a loopback address.
        case disable
        /// Encrypted; the server's certificate is not checked.
        case require
        /// Encrypted; the certificate is checked, and the host's name against it.
        case verifyFull = "verify-full"
    }

    /// What is wrong with an address, as staff read it.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Empty, or more than one line.
        case notOneLine
        /// Another kind of URL (`mysql://`, `sqlite://`).
        case notPostgres(scheme: String)
        /// The URL cannot be read.
        case malformed(String)
        /// A password is written in it.
        case password(shown: String)
        /// No user before `@`.
        case noUser(shown: String)
        /// No host, and no `host=` socket folder.
        case noHost(shown: String)
        /// No database after the `/`.
        case noDatabase(shown: String)
        /// `sslmode` other than the three honoured.
        case sslMode(String)
        /// An option this program does not know.
        case unknownOption(String)
        /// A `connect_timeout` that is not a whole number of seconds.
        case timeout(String)

        /// The message, saying what to write instead.
        public var description: String {
            let example = "postgresql://digest@db.example.org:5432/coalition?sslmode=verify-full"
            switch self {
            case .notOneLine:
                return "the state must be a folder or a database address on one line, such as ../state or \(example)"
            case .notPostgres(let scheme):
                return
                    "the state can be a folder or a PostgreSQL database (postgresql://…), not a \(scheme):// address"
            case .malformed(let text):
                return "\(text) is not a database address that can be read; write it as \(example)"
            case .password(let shown):
                return
                    "the database address \(shown) has a password in it; remove it from the address and give it in PGPASSWORD, ~/.pgpass or state_password_file:"
            case .noUser(let shown):
                return "the database address \(shown) names no user; write the user before @, as in \(example)"
            case .noHost(let shown):
                return
                    "the database address \(shown) names no host; write it after @ (or a socket folder as ?host=/var/run/postgresql)"
            case .noDatabase(let shown):
                return "the database address \(shown) names no database; write it after the /, as in \(example)"
            case .sslMode(let mode):
                return
                    "sslmode=\(mode) is not one this program honours; write sslmode=disable, sslmode=require or sslmode=verify-full"
            case .unknownOption(let name):
                return
                    "the database address has the option \(name), which this program does not use; it knows sslmode, sslrootcert, host and connect_timeout"
            case .timeout(let value):
                return "connect_timeout=\(value) must be a whole number of seconds, such as connect_timeout=10"
            }
        }
    }

    /// The user to connect as.
    public var user: String
    /// The host's name or address; nil with a socket folder.
    public var host: String?
    /// The port (5432 unless written).
    public var port: Int
    /// The folder of the server's Unix socket (`?host=/var/run/postgresql`).
    public var socketFolder: String?
    /// The database's name.
    public var database: String
    /// How the connection is encrypted.
    public var tls: TLSMode
    /// The certificate authorities to check the server against
    /// (`sslrootcert`), instead of the system's.
    public var rootCertificate: String?
    /// Seconds to wait for a connection (`connect_timeout`, 10 unless written).
    public var connectTimeout: Int

    /// Reads a `postgresql://` or `postgres://` URL.
    ///
    /// - Throws: ``Problem`` naming what is wrong and what to write.
    public init(_ text: String) throws(Problem) {
        guard let schemeEnd = text.range(of: "://") else { throw .malformed(text) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgresql" || scheme == "postgres" else { throw .notPostgres(scheme: scheme) }
        let shown = Self.withoutPassword(text)
        guard let components = URLComponents(string: text) else { throw .malformed(shown) }
        if components.password != nil { throw .password(shown: shown) }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw .noUser(shown: shown)
        }
        var socketFolder: String?
        var mode: TLSMode?
        var rootCertificate: String?
        var timeout = 10
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let known = TLSMode(rawValue: value) else { throw .sslMode(value) }
                mode = known
            case "sslrootcert": rootCertificate = value
            case "host":
                guard value.hasPrefix("/") else { throw .noHost(shown: shown) }
                socketFolder = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else { throw .timeout(value) }
                timeout = seconds
            case "password": throw .password(shown: shown)
            default: throw .unknownOption(item.name)
            }
        }
        var host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding }
        if let written = host, written.hasPrefix("/") {
            // libpq's spelling of a socket folder in the host: %2Fvar%2Frun%2Fpostgresql.
            socketFolder = written
            host = nil
        }
        if let written = host, written.hasPrefix("["), written.hasSuffix("]") {
            host = String(written.dropFirst().dropLast())
        }
        if host?.isEmpty ?? false { host = nil }
        guard host != nil || socketFolder != nil else { throw .noHost(shown: shown) }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else { throw .noDatabase(shown: shown) }
        self.user = user
        self.host = socketFolder == nil ? host : nil
        self.port = components.port ?? 5432
        self.socketFolder = socketFolder
        self.database = path
        self.rootCertificate = rootCertificate
        self.connectTimeout = timeout
        self.tls = mode ?? (socketFolder != nil || Self.isLoopback(host) ? .disable : .verifyFull)
        if socketFolder != nil, self.tls != .disable { throw .sslMode("\(tls.rawValue) over a Unix socket") }
    }

    /// True for `localhost` and the loopback addresses.
    static func isLoopback(_ host: String?) -> Bool {
        guard let host = host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The host as `~/.pgpass` matches it: the host's name, or `localhost`
    /// for a socket (libpq's rule).
    public var passwordFileHost: String { host ?? "localhost" }

    /// The address as written, in its canonical form, without a password
    /// (there is none).
    public var description: String {
        var text = "postgresql://\(user)@"
        if let host { text += host.contains(":") ? "[\(host)]" : host }
        if socketFolder == nil { text += ":\(port)" }
        text += "/\(database)"
        var options: [String] = []
        if let socketFolder { options.append("host=\(socketFolder)") }
        options.append("sslmode=\(tls.rawValue)")
        if let rootCertificate { options.append("sslrootcert=\(rootCertificate)") }
        return text + "?" + options.joined(separator: "&")
    }

    /// `url` with any password between `:` and `@` replaced by `…`, for
    /// messages: an address refused for its password is named without it.
    public static func withoutPassword(_ url: String) -> String {
        var url = url
        if let option = url.range(of: "password=") {
            let end = url[option.upperBound...].firstIndex(of: "&") ?? url.endIndex
            url.replaceSubrange(option.upperBound..<end, with: "…")
        }
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else {
            return url
        }
        let user = url[scheme.upperBound..<at]
        guard let colon = user.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":…" + String(url[at...])
    }
}
