/// The envelope sender of each personal message when `mail.bounces` is
/// set (VERP, variable envelope return path): `bounces+TAG@domain`, TAG
/// being the month and an HMAC of the month and the member's address
/// (``MemberTokens/bounceTag(for:month:)``), such as
/// `bounces+2019-06.3f9a0c41d2b7e865@lists.example.org`. A delivery report
/// comes back to that address, so the TAG names the member and the month
/// even when the report quotes nothing of the message.
public struct BounceAddress: Sendable, Equatable {
    /// The part before the @ (`bounces`).
    public let local: String
    /// The domain (`lists.example.org`).
    public let domain: String

    /// The mailbox of `mail.bounces`; nil for an address without an @.
    public init?(_ mailbox: String) {
        guard let at = mailbox.lastIndex(of: "@"), at != mailbox.startIndex else { return nil }
        local = String(mailbox[..<at])
        domain = String(mailbox[mailbox.index(after: at)...])
        guard !domain.isEmpty else { return nil }
    }

    /// The mailbox itself.
    public var mailbox: String { local + "@" + domain }

    /// `local+month.tag@domain`.
    public func envelope(month: String, tag: String) -> String {
        local + "+" + month + "." + tag + "@" + domain
    }

    /// The month and tag of an address this mailbox gave out, from any
    /// header that holds it (`To`, `Delivered-To`, `X-Original-To`), in
    /// any case; nil for any other address.
    public func tag(in address: String) -> (month: String, tag: String)? {
        var text = Substring(address)
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = text[text.index(after: open)..<close]
        }
        text = text.drop { $0 == " " || $0 == "\t" }
        guard let at = text.lastIndex(of: "@"),
            text[text.index(after: at)...].trimmingSpaces.lowercased() == domain.lowercased()
        else { return nil }
        let localPart = text[..<at]
        let prefix = local.lowercased() + "+"
        guard localPart.lowercased().hasPrefix(prefix) else { return nil }
        let rest = localPart.dropFirst(prefix.count).lowercased()
        // 2019-06.0123456789abcdef
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 7, parts[1].count == 16,
            parts[1].allSatisfy({ $0.isHexDigit })
        else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.last == " " || text.last == "\t" || text.last == ">" { text = text.dropLast() }
        return text
    }
}
