import Crypto
import Foundation

/// Mailgun's webhooks: a JSON body with `signature` (`timestamp`, `token`,
/// `signature`: HMAC-SHA256 with the signing key over timestamp + token,
/// hex) and `event-data`. `failed` (`severity` permanent → hard, temporary
/// → soft), `complained` → complaint, `unsubscribed`.
public struct MailgunWebhook: Sendable {
    /// The signature block.
    public var timestamp: String
    /// The token (refused when seen before).
    public var token: String
    /// The signature, hex.
    public var signature: String
    /// The event, when it records something.
    public var event: ProviderEvent?

    /// How far a timestamp may be from now: 15 minutes.
    public static let window: Double = 15 * 60

    /// Reads a request's body.
    ///
    /// - Throws: ``WebhookRefusal`` 400 when it is not Mailgun's.
    public static func parse(_ body: [UInt8]) throws(WebhookRefusal) -> MailgunWebhook {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let block = object["signature"] as? [String: Any], let data = object["event-data"] as? [String: Any]
        else { throw .malformed("the body is not Mailgun's (JSON with signature and event-data)") }
        guard let timestamp = block["timestamp"].map({ "\($0)" }), let token = block["token"] as? String,
            let signature = block["signature"] as? String
        else { throw .malformed("Mailgun's signature block lacks timestamp, token or signature") }
        var webhook = MailgunWebhook(timestamp: timestamp, token: token, signature: signature, event: nil)
        let name = data["event"] as? String ?? ""
        let kind: ProviderEvent.Kind?
        switch name {
        case "failed": kind = (data["severity"] as? String) == "permanent" ? .hardBounce : .softBounce
        case "complained": kind = .complaint
        case "unsubscribed": kind = .unsubscribed
        default: kind = nil
        }
        if let kind {
            guard let address = data["recipient"] as? String, let id = data["id"] as? String else {
                throw .malformed("a Mailgun \(name) event without recipient or id")
            }
            let message = data["message"] as? [String: Any]
            let headers = message?["headers"] as? [String: Any]
            let status = (data["delivery-status"] as? [String: Any])?["enhanced-code"] as? String
            webhook.event = ProviderEvent(
                provider: .mailgun, id: id, recipient: address, kind: kind,
                messageID: ProviderEvent.bareMessageID(headers?["message-id"] as? String), status: status)
        }
        return webhook
    }

    /// Checks the signature with the signing key and the timestamp against `now`.
    ///
    /// - Throws: ``WebhookRefusal`` 401 when the signature does not verify
    ///   or the timestamp is more than 15 minutes away.
    public func verify(key: [UInt8], now: Double) throws(WebhookRefusal) {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((timestamp + token).utf8), using: SymmetricKey(data: key))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        guard ConstantTime.equal(Array(hex.utf8), Array(signature.lowercased().utf8)) else {
            throw .unauthorized("Mailgun's signature does not verify with mail.webhooks.mailgun's signing key")
        }
        guard let time = Double(timestamp), abs(now - time) <= Self.window else {
            throw .unauthorized("Mailgun's timestamp is more than 15 minutes from now")
        }
    }
}
