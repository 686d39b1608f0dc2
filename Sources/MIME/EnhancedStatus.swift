/// An enhanced mail system status code (RFC 3463): `class.subject.detail`,
/// such as `5.1.1`. The one place the program decides what a status means
/// for a list: a relay's reply during a send and a delivery report read
/// later are judged alike.
public struct EnhancedStatus: Sendable, Hashable, CustomStringConvertible {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    public let statusClass: Int
    /// The subject (1: addressing, 2: mailbox, 3: mail system, …).
    public let subject: Int
    /// The detail.
    public let detail: Int

    /// Parses `text` (`5.1.1`): a class of 2, 4 or 5, a subject of one to
    /// three digits, a detail of one to three digits; nil otherwise.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 1,
            parts[1].count >= 1, parts[1].count <= 3, parts[2].count >= 1, parts[2].count <= 3,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let statusClass = Int(parts[0]), [2, 4, 5].contains(statusClass),
            let subject = Int(parts[1]), let detail = Int(parts[2])
        else { return nil }
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// The status of a reply line (`550 5.1.1 <x@y>: unknown user`): its
    /// second word when that is an enhanced status, or nil.
    public init?(reply: String) {
        let words = reply.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].count == 3, let status = Self(words[1]) else { return nil }
        self = status
    }

    /// `5.1.x`: the address does not exist (no such mailbox, no such
    /// domain, a bad address syntax): a permanent failure of the address
    /// itself, which suppresses it on every list. Every other failure (a
    /// full mailbox, a policy or content refusal, a 4.x.x) may pass.
    public var addressDoesNotExist: Bool { statusClass == 5 && subject == 1 }

    /// `class.subject.detail`.
    public var description: String { "\(statusClass).\(subject).\(detail)" }
}
