import Foundation
import MIME

/// A delivery report read from the bounce mailbox: who could not be
/// reached, how (`Status:`), and what identifies the message that failed.
///
/// Read from RFC 3464 reports (`multipart/report;
/// report-type=delivery-status`: Postfix, Gmail, Microsoft, most servers)
/// and from the common older forms without a machine-readable part: Exim's
/// text with `X-Failed-Recipients`, and qmail's "I wasn't able to deliver"
/// text.
public struct DeliveryReport: Sendable, Equatable {
    /// One recipient the report is about.
    public struct Recipient: Sendable, Equatable {
        /// The address as the report gives it (`Original-Recipient` before
        /// `Final-Recipient`), without its `rfc822;` type.
        public var address: String
        /// `failed`, `delayed`, `delivered`, `relayed`, `expanded`; `failed`
        /// for the older forms.
        public var action: String
        /// `Final-Recipient` (the older forms' failed address), when given.
        public var finalRecipient: String? = nil
        /// `Original-Recipient`, when given.
        public var originalRecipient: String? = nil

        /// True when `address` is the recipient this part is about, as
        /// `Final-Recipient` or `Original-Recipient` names it (without
        /// regard to case).
        public func names(_ address: String) -> Bool {
            let wanted = address.lowercased()
            return [finalRecipient, originalRecipient].contains { $0?.lowercased() == wanted }
        }
        /// The enhanced status (`5.1.1`), when the report gives one.
        public var status: String?
        /// What the remote server said, when given.
        public var diagnostic: String?

        /// What the failure means for the list (nil when it is not a failure).
        public var kind: Kind? {
            guard action == "failed" else { return nil }
            return Self.kind(status: status)
        }

        /// A 5.1.x status (no such mailbox, no such domain) is hard; every
        /// other failure (4.x.x, a full mailbox, a policy or content
        /// refusal, no status at all) is soft.
        public static func kind(status: String?) -> Kind {
            guard let status, let enhanced = EnhancedStatus(status) else { return .soft }
            return enhanced.addressDoesNotExist ? .hard : .soft
        }
    }

    /// What a failure means for the list.
    public enum Kind: String, Sendable, Equatable {
        /// The address does not exist: one suppresses.
        case hard
        /// A failure that may pass: enough of them suppress.
        case soft
    }

    /// Which form the report had.
    public enum Form: String, Sendable, Equatable {
        /// RFC 3464.
        case deliveryStatus = "RFC 3464"
        /// Exim's text and `X-Failed-Recipients`.
        case exim = "Exim"
        /// qmail's text.
        case qmail
    }

    /// The form.
    public var form: Form
    /// The recipients reported on.
    public var recipients: [Recipient]
    /// The `Message-ID` of the message that failed, from the copy or the
    /// headers the report returns, without angle brackets.
    public var returnedMessageID: String?
    /// Where the report was delivered (`X-Original-To`, `Delivered-To`,
    /// `Envelope-To`, `To`): one of them is the VERP address.
    public var deliveredTo: [String]

    /// The report in `message`, or nil when it is not a delivery report
    /// (an auto-reply, a person's answer, spam).
    public static func read(_ message: MailText) -> DeliveryReport? {
        let deliveredTo = ["X-Original-To", "Delivered-To", "Envelope-To", "To"].flatMap { message.fields($0) }
        if let report = deliveryStatus(message, deliveredTo: deliveredTo) { return report }
        if let report = exim(message, deliveredTo: deliveredTo) { return report }
        return qmail(message, deliveredTo: deliveredTo)
    }

    /// The report in `bytes`.
    public static func read(_ bytes: [UInt8]) -> DeliveryReport? {
        read(MailText(bytes))
    }

    // MARK: RFC 3464

    private static func deliveryStatus(_ message: MailText, deliveredTo: [String]) -> DeliveryReport? {
        let parts = message.allParts
        guard
            let status = parts.first(where: {
                let type = $0.contentType
                return type.type == "message"
                    && (type.subtype == "delivery-status" || type.subtype == "global-delivery-status")
            })
        else { return nil }
        let groups = fieldGroups(MailText.text(status.decodedBody))
        var recipients: [Recipient] = []
        // The first group is about the message; the others each about a recipient.
        for group in groups.dropFirst() {
            func value(_ name: String) -> String? {
                group.first { Blanks.same($0.name, name) }?.value
            }
            let original = value("Original-Recipient").flatMap(typedAddress)
            let final = value("Final-Recipient").flatMap(typedAddress)
            guard let address = original ?? final else { continue }
            let statusText = value("Status").flatMap(enhancedStatus)
            recipients.append(
                Recipient(
                    address: address, action: value("Action")?.lowercased() ?? "failed", finalRecipient: final,
                    originalRecipient: original, status: statusText,
                    diagnostic: value("Diagnostic-Code").map(withoutType)))
        }
        if recipients.isEmpty, groups.count == 1 {
            // Some servers write a single group with the recipient in it.
            let group = groups[0]
            let final = group.first { Blanks.same($0.name, "Final-Recipient") }
            if let address = final.flatMap({ typedAddress($0.value) }) {
                let status = group.first { Blanks.same($0.name, "Status") }?.value
                recipients.append(
                    Recipient(
                        address: address, action: "failed", finalRecipient: address,
                        status: status.flatMap(enhancedStatus), diagnostic: nil))
            }
        }
        guard !recipients.isEmpty else { return nil }
        return DeliveryReport(
            form: .deliveryStatus, recipients: recipients, returnedMessageID: returnedMessageID(parts),
            deliveredTo: deliveredTo)
    }

    /// The `Message-ID` of the returned message: a `message/rfc822` or
    /// `text/rfc822-headers` part, else a `Message-ID:` line in a text part
    /// after the report's first.
    static func returnedMessageID(_ parts: [MailText]) -> String? {
        for part in parts.dropFirst() {
            let type = part.contentType
            if type.media == "message/rfc822" || type.media == "message/global" {
                if let id = MailText(part.decodedBody).field("Message-ID") { return bare(id) }
            }
            if type.media == "text/rfc822-headers" || type.media == "message/global-headers" {
                if let id = MailText(part.decodedBody + [13, 10, 13, 10]).field("Message-ID") { return bare(id) }
            }
        }
        return nil
    }

    // MARK: Exim and qmail

    private static func exim(_ message: MailText, deliveredTo: [String]) -> DeliveryReport? {
        let failed = message.fields("X-Failed-Recipients")
            .flatMap { $0.split(separator: ",") }
            .map { Blanks.trim($0) }
            .filter { $0.contains("@") }
        guard !failed.isEmpty else { return nil }
        let text = MailText.text(
            message.allParts.first { $0.contentType.type == "text" && $0.contentType.subtype == "plain" }?.decodedBody
                ?? message.decodedBody)
        let recipients = failed.map { address in
            Recipient(
                address: address, action: "failed", finalRecipient: address, status: statusNear(address, in: text),
                diagnostic: nil)
        }
        return DeliveryReport(
            form: .exim, recipients: recipients, returnedMessageID: messageIDLine(in: text), deliveredTo: deliveredTo)
    }

    private static func qmail(_ message: MailText, deliveredTo: [String]) -> DeliveryReport? {
        let text = MailText.text(message.decodedBody)
        guard let start = text.range(of: "I'm afraid I wasn't able to deliver your message to the following addresses")
        else { return nil }
        var recipients: [Recipient] = []
        let rest = text[start.upperBound...]
        let copy = rest.range(of: "--- Below this line is a copy of the message.")
        let block = copy.map { rest[..<$0.lowerBound] } ?? rest
        for line in block.split(whereSeparator: \.isNewline) {
            let line = Blanks.trim(line)
            guard line.hasPrefix("<"), line.hasSuffix(">:") else { continue }
            let address = String(line.dropFirst().dropLast(2))
            guard address.contains("@") else { continue }
            recipients.append(
                Recipient(
                    address: address, action: "failed", finalRecipient: address,
                    status: statusNear(address, in: String(block)), diagnostic: nil)
            )
        }
        guard !recipients.isEmpty else { return nil }
        return DeliveryReport(
            form: .qmail, recipients: recipients,
            returnedMessageID: copy.flatMap { messageIDLine(in: String(rest[$0.upperBound...])) },
            deliveredTo: deliveredTo)
    }

    /// The first enhanced status (`5.1.1`) in the text after `address`, or
    /// `5.0.0` for a permanent error that gives none, `4.0.0` for a temporary one.
    static func statusNear(_ address: String, in text: String) -> String? {
        let lower = text.lowercased()
        let after = lower.range(of: address.lowercased()).map { lower[$0.upperBound...] } ?? lower[...]
        // Only up to the copy of the message.
        let end = after.range(of: "------ this is a copy")?.lowerBound ?? after.endIndex
        let region = after[..<end]
        var index = region.startIndex
        while index < region.endIndex {
            if let found = enhancedStatus(at: index, in: region) { return found }
            index = region.index(after: index)
        }
        if lower.contains("permanent error") || lower.contains("permanently") { return "5.0.0" }
        if lower.contains("temporary") { return "4.0.0" }
        return nil
    }

    private static func enhancedStatus(at index: Substring.Index, in text: Substring) -> String? {
        guard let first = text[index].wholeNumberValue, first == 2 || first == 4 || first == 5 else { return nil }
        if index > text.startIndex {
            let before = text[text.index(before: index)]
            guard before == " " || before == "\n" || before == "(" || before == "#" || before == "\t" else {
                return nil
            }
        }
        let candidate = text[index...].prefix(12)
        let token = candidate.prefix { $0.isNumber || $0 == "." }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 }) else { return nil }
        return String(token)
    }

    /// A `Message-ID:` line of the returned copy in a text.
    static func messageIDLine(in text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = Blanks.trim(line)
            guard trimmed.utf8.count > 11, Blanks.same(trimmed.prefix(11), "message-id:") else { continue }
            let value = Blanks.trim(trimmed.dropFirst("message-id:".count))
            if !value.isEmpty { return bare(value) }
        }
        return nil
    }

    // MARK: Fields

    /// The groups of a `message/delivery-status` body: header-style fields,
    /// groups separated by empty lines.
    static func fieldGroups(_ text: String) -> [[(name: String, value: String)]] {
        var groups: [[(name: String, value: String)]] = []
        var group: [(name: String, value: String)] = []
        // Split at every line end: in Swift "\r\n" is one Character, so a
        // split at "\n" alone leaves a CRLF file (as some delivery agents
        // write Maildir files) one long line.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !group.isEmpty { groups.append(group) }
                group = []
            } else if line.first == " " || line.first == "\t", !group.isEmpty {
                group[group.count - 1].value += " " + Blanks.trim(line)
            } else if let colon = line.firstIndex(of: ":") {
                group.append(
                    (
                        Blanks.trim(line[..<colon]),
                        Blanks.trim(line[line.index(after: colon)...])
                    ))
            }
        }
        if !group.isEmpty { groups.append(group) }
        return groups
    }

    /// `rfc822; a@example.org` → `a@example.org`; nil without an @.
    static func typedAddress(_ value: String) -> String? {
        var address = withoutType(value)
        if address.hasPrefix("<"), address.hasSuffix(">") { address = String(address.dropFirst().dropLast()) }
        return address.contains("@") ? address : nil
    }

    /// A typed value without its type: `smtp; 550 …` → `550 …`.
    static func withoutType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return Blanks.trim(value) }
        return Blanks.trim(value[value.index(after: semicolon)...])
    }

    /// The enhanced status at the start of a `Status:` value (`5.1.1 (bad
    /// destination mailbox address)` → `5.1.1`).
    static func enhancedStatus(_ value: String) -> String? {
        let token = Blanks.trim(value).prefix { $0.isNumber || $0 == "." }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return String(token)
    }

    /// A Message-ID without angle brackets or spaces.
    static func bare(_ id: String) -> String {
        var id = Blanks.trim(id)
        if let open = id.firstIndex(of: "<"), let close = id[open...].firstIndex(of: ">") {
            id = String(id[id.index(after: open)..<close])
        }
        return id
    }
}
