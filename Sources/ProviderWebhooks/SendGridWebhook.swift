import Crypto
import Foundation

/// SendGrid's signed Event Webhook: an ECDSA P-256 signature (SHA-256,
/// base64 DER) in `X-Twilio-Email-Event-Webhook-Signature` over the
/// `X-Twilio-Email-Event-Webhook-Timestamp` header followed by the raw
/// body; the body a JSON array of events. `bounce` (type `bounce` → hard,
/// `blocked` → soft), `dropped` for a bounced address → hard, `spamreport`
/// → complaint, `unsubscribe` and `group_unsubscribe` → unsubscribed.
public enum SendGridWebhook {
    /// The signature header.
    public static let signatureHeader = "X-Twilio-Email-Event-Webhook-Signature"
    /// The timestamp header.
    public static let timestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp"

    /// The verification key as SendGrid shows it (base64 of the public
    /// key's DER): its DER, or nil when it is not a P-256 public key.
    public static func key(_ base64: String) -> Data? {
        guard let der = Data(base64Encoded: base64), (try? P256.Signing.PublicKey(derRepresentation: der)) != nil
        else { return nil }
        return der
    }

    /// Checks the signature of a request.
    ///
    /// - Throws: ``WebhookRefusal`` 401 when a header is missing or the
    ///   signature does not verify.
    public static func verify(
        signature: String?, timestamp: String?, body: [UInt8], key der: Data
    ) throws(WebhookRefusal) {
        guard let key = try? P256.Signing.PublicKey(derRepresentation: der) else {
            throw .unauthorized("mail.webhooks.sendgrid.verification_key is not a P-256 public key")
        }
        guard let signature, let timestamp else {
            throw .unauthorized("SendGrid's request has no \(signatureHeader) or \(timestampHeader)")
        }
        guard let der = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)),
            let value = try? P256.Signing.ECDSASignature(derRepresentation: der)
        else { throw .unauthorized("SendGrid's signature is not base64 DER") }
        guard key.isValidSignature(value, for: Data(timestamp.utf8) + Data(body)) else {
            throw .unauthorized("SendGrid's signature does not verify with mail.webhooks.sendgrid.verification_key")
        }
    }

    /// The events in a request's body (those that record nothing left out).
    ///
    /// - Throws: ``WebhookRefusal`` 400 when the body is not an array of events.
    public static func events(_ body: [UInt8]) throws(WebhookRefusal) -> [ProviderEvent] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]] else {
            throw .malformed("the body is not SendGrid's array of events")
        }
        var events: [ProviderEvent] = []
        for event in list {
            guard let name = event["event"] as? String, let address = event["email"] as? String else {
                throw .malformed("a SendGrid event without event or email")
            }
            let kind: ProviderEvent.Kind
            switch name {
            case "bounce": kind = (event["type"] as? String) == "blocked" ? .softBounce : .hardBounce
            case "dropped":
                // Dropped because the address bounced before; other drops (spam content, unsubscribed) are not bounces.
                guard ((event["reason"] as? String) ?? "").lowercased().contains("bounced address") else { continue }
                kind = .hardBounce
            case "spamreport": kind = .complaint
            case "unsubscribe", "group_unsubscribe": kind = .unsubscribed
            default: continue
            }
            let id = (event["sg_event_id"] as? String) ?? "\(name):\(address.lowercased()):\(event["timestamp"] ?? "")"
            events.append(
                ProviderEvent(
                    provider: .sendgrid, id: id, recipient: address, kind: kind,
                    messageID: ProviderEvent.bareMessageID(event["smtp-id"] as? String),
                    status: event["status"] as? String))
        }
        return events
    }
}
