/// A DMARC record's tags (RFC 7489): `v=DMARC1` first, the policy and the
/// alignment modes.
struct DMARCRecord: Equatable {
    /// `p=`: none, quarantine or reject.
    var policy: String
    /// `sp=`, the policy for subdomains, when given.
    var subdomainPolicy: String?
    /// `adkim=s`.
    var strictDKIM: Bool
    /// `aspf=s`.
    var strictSPF: Bool

    /// Whether `text` is a DMARC record at all (`v=DMARC1` first).
    static func isDMARC(_ text: String) -> Bool {
        let first = text.split(separator: ";").first?.replacingOccurrences(of: " ", with: "") ?? ""
        return first == "v=DMARC1"
    }

    /// The record's tags; nil with why when it cannot be used.
    static func parse(_ text: String) -> Result<DMARCRecord, Problem> {
        var tags: [String: String] = [:]
        for part in text.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            tags[pair[0].lowercased()] = pair[1]
        }
        let policies = ["none", "quarantine", "reject"]
        guard let policy = tags["p"]?.lowercased(), policies.contains(policy) else {
            return .failure(Problem(text: "its p= is missing or not none, quarantine or reject"))
        }
        let sub = tags["sp"]?.lowercased()
        if let sub, !policies.contains(sub) {
            return .failure(Problem(text: "its sp= is not none, quarantine or reject"))
        }
        return .success(
            DMARCRecord(
                policy: policy, subdomainPolicy: sub, strictDKIM: tags["adkim"]?.lowercased() == "s",
                strictSPF: tags["aspf"]?.lowercased() == "s"))
    }

    struct Problem: Error {
        let text: String
    }
}
