import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Evaluates an SPF policy (RFC 7208) for one address, as a receiving
/// server would for mail from the envelope domain: `all`, `include`, `a`,
/// `mx`, `ip4`, `ip6`, `exists` and `redirect`, with qualifiers and CIDR
/// lengths, at most 10 DNS lookups. Macros and `ptr` are not evaluated
/// (the answer is then ``Result/unknown``).
struct SPFEvaluator {
    /// What the policy says of the address.
    enum Result: Equatable {
        case pass, fail, softfail, neutral, none
        /// The policy is broken (two records, a bad term, over 10 lookups).
        case permerror(String)
        /// DNS failed.
        case temperror(String)
        /// It cannot be judged here (a macro, `ptr`).
        case unknown(String)
    }

    let dns: any DNSSource
    var lookups = 0

    /// The SPF records among `txt`: those that are `v=spf1` followed by a space or nothing.
    static func records(_ txt: [String]) -> [String] {
        txt.filter { record in
            let lower = record.lowercased()
            return lower == "v=spf1" || lower.hasPrefix("v=spf1 ")
        }
    }

    mutating func check(_ address: String, domain: String) async -> Result {
        guard let answer = await dns.txt(domain).records else { return .temperror("the TXT of \(domain)") }
        let found = Self.records(answer)
        guard found.count <= 1 else { return .permerror("\(domain) publishes \(found.count) SPF records") }
        guard let record = found.first else { return .none }
        var redirect: String?
        for term in record.split(separator: " ").dropFirst().map(String.init) where !term.isEmpty {
            if term.contains("%") { return .unknown("\(term) holds a macro") }
            let lower = term.lowercased()
            if lower.hasPrefix("redirect=") {
                redirect = String(term.dropFirst(9))
                continue
            }
            if lower.contains("="), !lower.hasPrefix("exists:") { continue }  // exp= and unknown modifiers
            var qualifier: Result = .pass
            var mechanism = term
            switch term.first {
            case "+": mechanism.removeFirst()
            case "-": qualifier = .fail; mechanism.removeFirst()
            case "~": qualifier = .softfail; mechanism.removeFirst()
            case "?": qualifier = .neutral; mechanism.removeFirst()
            default: break
            }
            let matched: Result?
            switch await matches(mechanism, address: address, domain: domain) {
            case .success(let yes): matched = yes ? qualifier : nil
            case .failure(let problem): return problem.result
            }
            if let matched { return matched }
        }
        if let redirect {
            lookups += 1
            guard lookups <= 10 else { return .permerror("more than 10 DNS lookups") }
            let result = await check(address, domain: redirect)
            return result == .none ? .permerror("redirect=\(redirect) has no SPF record") : result
        }
        return .neutral
    }

    struct Problem: Error {
        let result: Result
    }

    private mutating func matches(_ mechanism: String, address: String, domain: String) async
        -> Swift.Result<
            Bool, Problem
        >
    {
        let lower = mechanism.lowercased()
        let (name, argument) =
            lower.firstIndex(where: { $0 == ":" || $0 == "/" }).map {
                (String(lower[..<$0]), String(mechanism[$0...]))
            } ?? (lower, "")
        func counted() -> Problem? {
            lookups += 1
            return lookups > 10 ? Problem(result: .permerror("more than 10 DNS lookups")) : nil
        }
        switch name {
        case "all": return .success(true)
        case "ip4", "ip6":
            guard argument.hasPrefix(":") else { return .failure(Problem(result: .permerror("\(mechanism)"))) }
            return .success(AddressRange(String(argument.dropFirst()))?.contains(address) ?? false)
        case "include":
            if let problem = counted() { return .failure(problem) }
            let target = String(argument.dropFirst())
            switch await check(address, domain: target) {
            case .pass: return .success(true)
            case .fail, .softfail, .neutral: return .success(false)
            case .none: return .failure(Problem(result: .permerror("include:\(target) has no SPF record")))
            case let other: return .failure(Problem(result: other))
            }
        case "a", "mx", "exists":
            if let problem = counted() { return .failure(problem) }
            var target = domain
            var cidr = ""
            if argument.hasPrefix(":") {
                let rest = argument.dropFirst()
                if let slash = rest.firstIndex(of: "/") {
                    target = String(rest[..<slash])
                    cidr = String(rest[slash...])
                } else {
                    target = String(rest)
                }
            } else {
                cidr = argument
            }
            if name == "exists" {
                guard let found = await dns.addresses(target).records else {
                    return .failure(Problem(result: .temperror("the addresses of \(target)")))
                }
                return .success(!found.isEmpty)
            }
            var hosts = [target]
            if name == "mx" {
                guard let exchanges = await dns.mx(target).records else {
                    return .failure(Problem(result: .temperror("the MX of \(target)")))
                }
                hosts = exchanges.map(\.exchange)
            }
            for host in hosts {
                guard let found = await dns.addresses(host).records else {
                    return .failure(Problem(result: .temperror("the addresses of \(host)")))
                }
                for candidate in found
                where AddressRange(candidate + Self.prefix(cidr, for: candidate))?.contains(address) ?? false {
                    return .success(true)
                }
            }
            return .success(false)
        case "ptr":
            return .failure(Problem(result: .unknown("ptr is not evaluated (RFC 7208 asks senders not to use it)")))
        default: return .failure(Problem(result: .permerror("\(mechanism) is not an SPF mechanism")))
        }
    }

    /// The CIDR length of `a/24//64` that applies to `address`'s family.
    static func prefix(_ cidr: String, for address: String) -> String {
        guard !cidr.isEmpty else { return "" }
        let parts = cidr.components(separatedBy: "//")
        let four = parts[0]
        let six = parts.count > 1 ? "/" + parts[1] : ""
        return address.contains(":") ? six : four
    }
}

/// An address range, `192.0.2.0/24` or `2001:db8::/32` (a lone address is its own range).
struct AddressRange {
    let bytes: [UInt8]
    let bits: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let parsed = Self.bytes(String(first)) else { return nil }
        bytes = parsed
        let full = parsed.count * 8
        if parts.count == 2 {
            guard let bits = Int(parts[1]), (0...full).contains(bits) else { return nil }
            self.bits = bits
        } else {
            bits = full
        }
    }

    static func bytes(_ text: String) -> [UInt8]? {
        var four = in_addr()
        if inet_pton(AF_INET, text, &four) == 1 { return withUnsafeBytes(of: &four) { Array($0) } }
        var six = in6_addr()
        if inet_pton(AF_INET6, text, &six) == 1 { return withUnsafeBytes(of: &six) { Array($0) } }
        return nil
    }

    func contains(_ address: String) -> Bool {
        guard let other = Self.bytes(address), other.count == bytes.count else { return false }
        var left = bits
        for (a, b) in zip(bytes, other) {
            guard left > 0 else { return true }
            let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
            if a & mask != b & mask { return false }
            left -= 8
        }
        return true
    }
}
