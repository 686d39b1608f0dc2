import Foundation

/// A complaint report (RFC 5965, the Abuse Reporting Format): a mailbox
/// provider telling the sender that a recipient marked a message as spam.
///
/// Read from `multipart/report; report-type=feedback-report` with its
/// `message/feedback-report` part; the message complained about follows as
/// `message/rfc822` or `text/rfc822-headers` (often with the recipient's
/// address removed, which is why the envelope sender, a VERP address, is
/// the surer way back to the member).
public struct FeedbackReport: Sendable, Equatable {
    /// `Feedback-Type`, lower case: `abuse` (a complaint), `fraud`, `virus`,
    /// `not-spam`, `other`, …
    public var feedbackType: String
    /// `Original-Mail-From`: the envelope sender of the message (with
    /// VERP, the member's bounce address), when given.
    public var originalMailFrom: String?
    /// `Original-Rcpt-To`: the recipients, when given (providers may leave them out).
    public var originalRecipients: [String]
    /// The `Message-ID` of the message complained about, without angle brackets.
    public var returnedMessageID: String?
    /// The returned message's `To` addresses.
    public var returnedTo: [String]
    /// The returned message's `Return-Path`, when kept.
    public var returnedReturnPath: String?
    /// Where the report was delivered (`X-Original-To`, `Delivered-To`,
    /// `Envelope-To`, `To`).
    public var deliveredTo: [String]

    /// True for a complaint: `Feedback-Type: abuse`.
    public var isComplaint: Bool { feedbackType == "abuse" }

    /// Every address that may be this list's bounce address with a VERP
    /// tag: where the report came, the original envelope sender, the
    /// returned `Return-Path`.
    public var bounceAddresses: [String] {
        deliveredTo + [originalMailFrom, returnedReturnPath].compactMap { $0 }
    }

    /// True when the report names `address` as the recipient: its
    /// `Original-Rcpt-To`, or the returned message's `To` (any case).
    public func names(_ address: String) -> Bool {
        let wanted = address.lowercased()
        return (originalRecipients + returnedTo).contains { $0.lowercased() == wanted }
    }

    /// The report in `message`, or nil when it is not a feedback report.
    public static func read(_ message: MailText) -> FeedbackReport? {
        let parts = message.allParts
        guard let report = parts.first(where: { $0.contentType.media == "message/feedback-report" }) else {
            return nil
        }
        let fields = DeliveryReport.fieldGroups(MailText.text(report.decodedBody)).flatMap { $0 }
        func values(_ name: String) -> [String] {
            fields.filter { Blanks.same($0.name, name) }.map(\.value)
        }
        guard let type = values("Feedback-Type").first.map({ Blanks.lowercased(Blanks.trim($0)) }), !type.isEmpty
        else { return nil }
        var returned: MailText?
        for part in parts.dropFirst() {
            let media = part.contentType.media
            if media == "message/rfc822" || media == "message/global" {
                returned = MailText(part.decodedBody)
            } else if media == "text/rfc822-headers" || media == "message/global-headers" {
                returned = MailText(part.decodedBody + [13, 10, 13, 10])
            }
            if returned != nil { break }
        }
        return FeedbackReport(
            feedbackType: type,
            originalMailFrom: values("Original-Mail-From").first.flatMap(Self.address),
            originalRecipients: values("Original-Rcpt-To").compactMap(Self.address),
            returnedMessageID: returned?.field("Message-ID").map(DeliveryReport.bare),
            returnedTo: returned?.fields("To").flatMap(Self.addresses) ?? [],
            returnedReturnPath: returned?.field("Return-Path").flatMap(Self.address),
            deliveredTo: ["X-Original-To", "Delivered-To", "Envelope-To", "To"].flatMap { message.fields($0) })
    }

    /// The report in `bytes`.
    public static func read(_ bytes: [UInt8]) -> FeedbackReport? {
        read(MailText(bytes))
    }

    /// `<a@example.org>`, `rfc822; a@example.org` or `a@example.org` → the
    /// address; nil without an @.
    static func address(_ value: String) -> String? {
        DeliveryReport.typedAddress(value.contains(";") ? value : "x;" + value)
    }

    /// The addresses of a `To` field: `Name <a@example.org>, b@example.org`.
    static func addresses(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { item in
            let text = String(item)
            if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
                let inner = String(text[text.index(after: open)..<close])
                return inner.contains("@") ? Blanks.trim(inner) : nil
            }
            let bare = Blanks.trim(text)
            return bare.contains("@") ? bare : nil
        }
    }
}
