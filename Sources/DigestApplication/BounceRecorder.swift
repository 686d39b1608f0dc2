import CoalitionData
import Foundation
import ListState
import Synchronization

/// Turns a relay's refusals during a send into bounces: a 5xx whose
/// enhanced status is 5.1.x (no such mailbox, no such domain) is a hard
/// bounce and suppresses the address at once (``SuppressionList``); any
/// other refusal (policy, content, a full mailbox) stays a refusal for
/// staff to read, and suppresses nothing. sendmail's exit 67
/// (`EX_NOUSER`, addressee unknown) counts as 5.1.1.
final class BounceRecorder: Sendable {
    private let list: SuppressionList
    private let month: String
    private let limits: SuppressionList.Limits
    private let sends: [String]
    private let suppressed = Mutex(0)

    init(list: SuppressionList, month: String, limits: SuppressionList.Limits, sends: [String]) {
        self.list = list
        self.month = month
        self.limits = limits
        self.sends = sends
    }

    /// Addresses suppressed so far by this recorder.
    var suppressedCount: Int { suppressed.withLock { $0 } }

    /// Records `reply`, the relay's refusal of `member`'s message.
    func refused(_ member: Member, reply: String) throws {
        guard let status = Self.hardStatus(reply) else { return }
        let outcome = try list.recordBounce(
            member.email, month: month, kind: .hard, status: status, source: .relayReply, report: nil,
            limits: limits, sends: sends, now: Date().timeIntervalSince1970)
        if outcome.suppressed != nil { suppressed.withLock { $0 += 1 } }
    }

    /// The enhanced status of a refusal that says the address does not
    /// exist (`5.1.x`), or nil.
    static func hardStatus(_ reply: String) -> String? {
        if reply.hasPrefix("sendmail exit 67") { return "5.1.1" }
        let words = reply.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].count == 3, words[0].first == "5" else { return nil }
        let parts = words[1].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "5", parts[1] == "1", (1...3).contains(parts[2].count),
            parts[2].allSatisfy(\.isNumber)
        else { return nil }
        return String(words[1])
    }
}
