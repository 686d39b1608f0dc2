import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The proxies (Caddy, nginx) whose `X-Forwarded-For` is believed: the
/// client of a request is the connection's peer, unless that peer is a
/// trusted proxy; then it is the rightmost address of the header that is
/// not one. A header from anyone else is ignored, and an entry that is not
/// an IP address ends the walk (the hop that wrote it is the client), so a
/// client cannot choose its own address by sending the header.
public struct TrustedProxies: Sendable, Equatable {
    /// An address or network: its bytes (4 or 16) and prefix length.
    public struct Network: Sendable, Equatable, CustomStringConvertible {
        /// The address's bytes.
        public var bytes: [UInt8]
        /// The prefix length in bits.
        public var prefix: Int

        /// `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`; nil for anything else.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let bytes = TrustedProxies.address(String(parts[0])) else { return nil }
            let bits = bytes.count * 8
            if parts.count == 2 {
                guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
                self.prefix = prefix
            } else {
                prefix = bits
            }
            self.bytes = bytes
        }

        /// Whether `address` is in this network.
        public func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefix
            for index in bytes.indices where remaining > 0 {
                let take = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
                if address[index] & mask != bytes[index] & mask { return false }
                remaining -= take
            }
            return true
        }

        /// As it was written, in canonical form.
        public var description: String { TrustedProxies.text(bytes) + (prefix == bytes.count * 8 ? "" : "/\(prefix)") }
    }

    /// The trusted networks.
    public var networks: [Network]

    /// No proxy: the peer is always the client.
    public init() { networks = [] }

    /// These networks.
    public init(networks: [Network]) { self.networks = networks }

    /// The proxies written as addresses or networks.
    ///
    /// - Throws: the first entry that is neither, to name it in the error.
    public init(_ entries: [String]) throws(InvalidEntry) {
        var networks: [Network] = []
        for entry in entries {
            guard let network = Network(entry) else { throw InvalidEntry(text: entry) }
            networks.append(network)
        }
        self.networks = networks
    }

    /// An entry that is not an address or network.
    public struct InvalidEntry: Error, Sendable {
        /// What was written.
        public var text: String
    }

    /// Whether `address` is a trusted proxy.
    public func trusts(_ address: [UInt8]) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The client's address for a request from `peer` with these
    /// `X-Forwarded-For` values (each may hold a comma-separated list).
    public func client(peer: [UInt8]?, forwardedFor: [String]) -> [UInt8]? {
        guard var client = peer, trusts(client), !forwardedFor.isEmpty else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard let address = Self.address(hop) else { break }
            client = address
            if !trusts(address) { break }
        }
        return client
    }

    /// The bytes of an IPv4 or IPv6 address written in the usual way.
    public static func address(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4 address written as IPv6 (::ffff:1.2.3.4) is that IPv4 address.
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return Array(bytes[12...])
            }
            return bytes
        }
        return nil
    }

    /// The usual text of an address's bytes.
    public static func text(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        var copy = bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let done = copy.withUnsafeMutableBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard done else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The key a client is limited by: its IPv4 address, or the /64
    /// network of an IPv6 one (one household or server gets a /64).
    public static func limitKey(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "-" }
        if bytes.count == 16 { return text(Array(bytes[0..<8]) + Array(repeating: 0, count: 8)) + "/64" }
        return text(bytes)
    }
}
