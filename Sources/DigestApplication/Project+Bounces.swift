import CoalitionData
import Crypto
import DeliveryReports
import DigestMailing
import Foundation
import ListState

extension Project {
    /// What `digest bounces read` found and did. Places are file names
    /// (and mbox lines); no address is kept here.
    public struct BounceReading: Sendable {
        /// Messages read.
        public var messages = 0
        /// Delivery reports among them.
        public var reports = 0
        /// Failures attributed to a member, by kind.
        public var failures: [SuppressionList.BounceKind: Int] = [:]
        /// Reports about delays or deliveries (no failure): nothing recorded.
        public var notFailures = 0
        /// Failures recorded before (the same report read again).
        public var alreadyRead = 0
        /// Members suppressed now, by reason.
        public var suppressed: [SuppressionList.Reason: Int] = [:]
        /// Messages that are not delivery reports (auto-replies, answers), by place.
        public var otherMessages: [String] = []
        /// Reports that name no member of this list (no tag of ours, no
        /// Message-ID of ours, or a member since removed), by place.
        public var unattributed: [String] = []
        /// Bounces attributed, in the order read: the member's line in
        /// `members.csv`, the month, the kind (for tests and staff's own
        /// checks; never an address).
        public var attributed: [(line: Int, month: String, kind: SuppressionList.BounceKind)] = []
    }

    /// Reads delivery reports from the Maildir folders and mbox files at
    /// `paths`, attributes each to its member (by the VERP tag of the
    /// address it came back to, else by the returned message's
    /// `Message-ID`), and records them in the suppression list in one
    /// transaction: one hard bounce suppresses, soft bounces in enough of
    /// the last sends suppress (`mail.bounce_limits`). The mailboxes are
    /// only read; a report read again counts nothing.
    ///
    /// - Parameter record: false to read and attribute without recording.
    public func readBounces(_ paths: [String], record: Bool = true) throws(ProjectError) -> BounceReading {
        let mailing = try Mailing.load(self)
        let coalition = mailing.dataset.coalition
        var index = BounceIndex(
            members: mailing.members, tokens: mailing.tokens,
            bounces: coalition.mail?.bounces.flatMap(BounceAddress.init))
        var reading = BounceReading()
        var bounces: [SuppressionList.Bounce] = []
        for path in paths {
            let messages: [MailboxReader.Message]
            do {
                messages = try MailboxReader.messages(at: path)
            } catch {
                throw .bounces(error)
            }
            for message in messages {
                reading.messages += 1
                guard let report = DeliveryReport.read(message.bytes) else {
                    reading.otherMessages.append(message.place)
                    continue
                }
                reading.reports += 1
                let identity = Self.hex(SHA256.hash(data: message.bytes))
                let failed = report.recipients.enumerated().compactMap { offset, recipient in
                    recipient.kind.map { (offset, recipient, $0) }
                }
                guard !failed.isEmpty else {
                    reading.notFailures += 1
                    continue
                }
                guard let (member, month) = index.attribute(report) else {
                    reading.unattributed.append(message.place)
                    continue
                }
                // One member a report: with VERP each message had one
                // recipient. The worst of the failures counts.
                let kind: SuppressionList.BounceKind = failed.contains { $0.2 == .hard } ? .hard : .soft
                let status = failed.first { $0.2 == .hard }?.1.status ?? failed.first?.1.status
                reading.attributed.append((member.line, month, kind))
                bounces.append(
                    SuppressionList.Bounce(
                        address: member.email, month: month, kind: kind, status: status, report: identity))
            }
        }
        guard record, !bounces.isEmpty else {
            for bounce in bounces { reading.failures[bounce.kind, default: 0] += 1 }
            return reading
        }
        let list = try suppressions(coalition)
        let state = stateFolder(coalition)
        let limits = coalition.mail?.bounceLimits ?? Coalition.BounceLimits()
        do {
            let outcomes = try list.recordBounces(
                bounces, source: .deliveryReport,
                limits: SuppressionList.Limits(hard: limits.hard, soft: limits.soft, ofLast: limits.ofLast),
                sends: try state.sendMonths(), now: Date().timeIntervalSince1970)
            for (bounce, outcome) in zip(bounces, outcomes) {
                guard outcome.counted else {
                    reading.alreadyRead += 1
                    continue
                }
                reading.failures[bounce.kind, default: 0] += 1
                if let reason = outcome.suppressed { reading.suppressed[reason, default: 0] += 1 }
            }
        } catch {
            throw .state(path: list.path, cause: error)
        }
        return reading
    }
}

extension Project {
    /// Bytes in lower-case hexadecimal.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Finds the member a delivery report is about: by the VERP tag of the
/// address it was delivered to, else by the returned `Message-ID`. Each
/// month's tags are made once, the first time a report names that month.
struct BounceIndex {
    let members: [Member]
    let tokens: MemberTokens
    let bounces: BounceAddress?
    private var byBounceTag: [String: [String: Member]] = [:]
    private var byMessageTag: [String: [String: Member]] = [:]

    init(members: [Member], tokens: MemberTokens, bounces: BounceAddress?) {
        self.members = members
        self.tokens = tokens
        self.bounces = bounces
    }

    /// The member and month of `report`, or nil.
    mutating func attribute(_ report: DeliveryReport) -> (Member, String)? {
        if let bounces {
            for address in report.deliveredTo {
                guard let (month, tag) = bounces.tag(in: address), YearMonth(iso: month) != nil else { continue }
                if byBounceTag[month] == nil {
                    byBounceTag[month] = Dictionary(
                        members.map { (tokens.bounceTag(for: $0, month: month), $0) }, uniquingKeysWith: { a, _ in a })
                }
                if let member = byBounceTag[month]?[tag] { return (member, month) }
            }
        }
        guard let id = report.returnedMessageID, let (month, tag) = Self.messageTag(id) else { return nil }
        if byMessageTag[month] == nil {
            byMessageTag[month] = Dictionary(
                members.map { (tokens.messageTag(for: $0, month: month), $0) }, uniquingKeysWith: { a, _ in a })
        }
        return byMessageTag[month]?[tag].map { ($0, month) }
    }

    /// The month and tag of a `Message-ID` this program made:
    /// `digest-2019-06.0123456789abcdef.justice-for-all@…`. A test send's
    /// (`test-…`) is no month's.
    static func messageTag(_ id: String) -> (String, String)? {
        guard id.hasPrefix("digest-") else { return nil }
        let parts = id.dropFirst(7).split(separator: ".", maxSplits: 2)
        guard parts.count >= 2, YearMonth(iso: String(parts[0])) != nil, parts[1].count == 16,
            parts[1].allSatisfy(\.isHexDigit)
        else { return nil }
        return (String(parts[0]), parts[1].lowercased())
    }
}
