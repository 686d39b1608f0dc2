import CoalitionData
import DeliveryReports
import DigestMailing
import DigestSend
import Foundation

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

    /// The member and month of `report`, when it is about a message this
    /// list sent: by a VERP tag that verifies, or by a returned
    /// `Message-ID` in the ledger whose recipient the report names; else why not.
    mutating func attribute(_ report: DeliveryReport, ledgers: inout LedgerIndex) -> Result<
        (member: Member, month: String), Unattributed
    > {
        attribute(
            bounceAddresses: report.deliveredTo, returnedMessageID: report.returnedMessageID,
            names: { address in report.recipients.contains { $0.kind != nil && $0.names(address) } },
            recipientFields: "Final-Recipient and Original-Recipient", ledgers: &ledgers)
    }

    /// The member and month of a complaint report: by a VERP tag of where
    /// it came, its `Original-Mail-From` or the returned `Return-Path`, or
    /// by the returned `Message-ID` in the ledger and its
    /// `Original-Rcpt-To` or returned `To` being that message's address.
    mutating func attribute(_ report: FeedbackReport, ledgers: inout LedgerIndex) -> Result<
        (member: Member, month: String), Unattributed
    > {
        attribute(
            bounceAddresses: report.bounceAddresses, returnedMessageID: report.returnedMessageID,
            names: { report.names($0) }, recipientFields: "Original-Rcpt-To and returned To", ledgers: &ledgers)
    }

    private mutating func attribute(
        bounceAddresses: [String], returnedMessageID: String?, names: (String) -> Bool, recipientFields: String,
        ledgers: inout LedgerIndex
    ) -> Result<(member: Member, month: String), Unattributed> {
        if let bounces {
            for address in bounceAddresses {
                guard let (month, tag) = bounces.tag(in: address), YearMonth(iso: month) != nil else { continue }
                if byBounceTag[month] == nil {
                    byBounceTag[month] = Dictionary(
                        members.map { (tokens.bounceTag(for: $0, month: month), $0) }, uniquingKeysWith: { a, _ in a })
                }
                guard let member = byBounceTag[month]?[tag] else { continue }
                switch ledgers.deliveries(month) {
                case .failure(let why): return .failure(why)
                case .success(nil):
                    return .failure(
                        Unattributed(text: "its bounce address is for \(month), which this list has not sent"))
                case .success(let sent?):
                    guard sent[member.key] != nil else {
                        return .failure(
                            Unattributed(
                                text:
                                    "the ledger of \(month) records no message sent to the member its bounce address names (members.csv line \(member.line))"
                            ))
                    }
                    return .success((member, month))
                }
            }
        }
        guard let id = returnedMessageID else {
            return .failure(Unattributed(text: "it carries no bounce address of this list and no returned Message-ID"))
        }
        guard let (month, tag) = Self.messageTag(id) else {
            return .failure(Unattributed(text: "its returned Message-ID is not one this program made"))
        }
        if byMessageTag[month] == nil {
            byMessageTag[month] = Dictionary(
                members.map { (tokens.messageTag(for: $0, month: month), $0) }, uniquingKeysWith: { a, _ in a })
        }
        guard let member = byMessageTag[month]?[tag] else {
            return .failure(Unattributed(text: "its returned Message-ID is no member's of this list for \(month)"))
        }
        let sent: [String: SendLedger.Delivery]
        switch ledgers.deliveries(month) {
        case .failure(let why): return .failure(why)
        case .success(nil):
            return .failure(Unattributed(text: "it names a message of \(month), which this list has not sent"))
        case .success(let found?): sent = found
        }
        guard let delivery = sent[member.key], delivery.messageID == id else {
            return .failure(
                Unattributed(text: "the ledger of \(month) records no message with its returned Message-ID"))
        }
        guard names(delivery.address) else {
            return .failure(
                Unattributed(
                    text:
                        "its \(recipientFields) are not the address that message went to (members.csv line \(member.line))"
                ))
        }
        return .success((member, month))
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
