/// What DNS said of a name and a record type.
public enum DNSAnswer<Record: Sendable & Equatable>: Sendable, Equatable {
    /// The records found.
    case records([Record])
    /// The name exists but has no record of this type (NODATA), or no such
    /// name at all (NXDOMAIN): either way, nothing is published.
    case none
    /// No server answered, or it failed (SERVFAIL, a timeout): nothing can be said.
    case failed(String)

    /// The records; empty for ``none``; nil when the question failed.
    public var records: [Record]? {
        switch self {
        case .records(let found): return found
        case .none: return []
        case .failed: return nil
        }
    }
}

/// An MX record.
public struct MXRecord: Sendable, Equatable {
    /// Lower first.
    public var preference: Int
    /// The mail server's name, without the final dot.
    public var exchange: String

    /// A record.
    public init(preference: Int, exchange: String) {
        self.preference = preference
        self.exchange = exchange
    }
}

/// Where the records come from: the system's resolver, one server
/// (`--dns`), or a test's table.
public protocol DNSSource: Sendable {
    /// The TXT records of `name`, each one string (its character strings joined).
    func txt(_ name: String) async -> DNSAnswer<String>
    /// The MX records of `name`.
    func mx(_ name: String) async -> DNSAnswer<MXRecord>
    /// The IPv4 and IPv6 addresses of `name` (A and AAAA), as text.
    func addresses(_ name: String) async -> DNSAnswer<String>
}
