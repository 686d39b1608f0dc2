/// The organisational domain DMARC aligns by: the registered domain, one
/// label under its public suffix. Without the public suffix list this
/// takes the last two labels, or three under a two-letter country code
/// whose second level is a common registry's (`example.org.uk`,
/// `example.co.ke`, `example.com.au`): right for the domains coalitions use.
enum OrganizationalDomain {
    static let secondLevels: Set<String> = [
        "co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go", "gob", "gv", "mil", "nic", "sch", "ltd",
        "plc", "me",
    ]

    static func of(_ domain: String) -> String {
        let labels = domain.lowercased().split(separator: ".").map(String.init)
        guard labels.count > 2 else { return labels.joined(separator: ".") }
        let last = labels[labels.count - 1]
        let second = labels[labels.count - 2]
        let keep = last.count == 2 && secondLevels.contains(second) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    /// DMARC's alignment: strict, the same name; relaxed, the same organisational domain.
    static func aligned(_ a: String, _ b: String, strict: Bool) -> Bool {
        strict ? a.lowercased() == b.lowercased() : of(a) == of(b)
    }
}
