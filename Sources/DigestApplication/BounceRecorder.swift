import CoalitionData
import Foundation
import ListState
import MIME
import Synchronization

/// Turns a relay's refusals during a send into bounces: a 5xx whose
/// enhanced status is 5.1.x (no such mailbox, no such domain) is a hard
/// bounce and suppresses the address at once (``ListStore``); any
/// other refusal (policy, content, a full mailbox) stays a refusal for
/// staff to read, and suppresses nothing. sendmail's exit 67
/// (`EX_NOUSER`, addressee unknown) counts as 5.1.1.
final class BounceRecorder: Sendable {
    private let list: any ListStore
    private let month: String
    private let limits: Bounce.Limits
    private let sends: [String]
    private let suppressed = Mutex(0)

    init(list: any ListStore, month: String, limits: Bounce.Limits, sends: [String]) {
        self.list = list
        self.month = month
        self.limits = limits
        self.sends = sends
    }

    /// Addresses suppressed so far by this recorder.
    var suppressedCount: Int { suppressed.withLock { $0 } }

    /// Records `reply`, the relay's refusal of `member`'s message.
    func refused(_ member: Member, reply: String) async throws {
        guard let status = Self.hardStatus(reply) else { return }
        let bounce = Bounce(address: member.email, month: month, kind: .hard, status: status, report: nil)
        let outcome = try await list.recordBounce(
            bounce, source: .relayReply, limits: limits, sends: sends, now: Date().timeIntervalSince1970)
        if outcome.suppressed != nil { suppressed.withLock { $0 += 1 } }
    }

    /// The enhanced status of a refusal that says the address does not
    /// exist (`5.1.x`), or nil.
    static func hardStatus(_ reply: String) -> String? {
        if reply.hasPrefix("sendmail exit 67") { return "5.1.1" }
        guard reply.first == "5", let status = EnhancedStatus(reply: reply), status.addressDoesNotExist else {
            return nil
        }
        return status.description
    }
}
