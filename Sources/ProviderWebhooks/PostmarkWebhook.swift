import Foundation

/// Postmark's webhooks: protected by HTTP Basic credentials set on the
/// webhook's address; one record a request. `Bounce` (`HardBounce` → hard,
/// every other type soft), `SpamComplaint` → complaint, `SubscriptionChange`
/// with `SuppressSending: true` → unsubscribed.
public enum PostmarkWebhook {
    /// Checks the request's `Authorization` header against `user` and
    /// `password`, in constant time.
    ///
    /// - Throws: ``WebhookRefusal`` 401 when it is missing or wrong.
    public static func verify(authorization: String?, user: String, password: String) throws(WebhookRefusal) {
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces))
        else { throw .unauthorized("Postmark's request has no Basic credentials") }
        let expected = Array((user + ":" + password).utf8)
        guard ConstantTime.equal(Array(decoded), expected) else {
            throw .unauthorized("Postmark's credentials are not those of mail.webhooks.postmark")
        }
    }

    /// The event in a request's body, or none (a delivery, an open).
    ///
    /// - Throws: ``WebhookRefusal`` 400 when the body is not a Postmark record.
    public static func events(_ body: [UInt8]) throws(WebhookRefusal) -> [ProviderEvent] {
        guard let record = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let type = record["RecordType"] as? String
        else { throw .malformed("the body is not a Postmark webhook record (JSON with RecordType)") }
        let messageID = record["MessageID"].map { "\($0)" }
        func id(_ value: Any?) -> String? {
            switch value {
            case let number as NSNumber: return number.stringValue
            case let text as String: return text
            default: return nil
            }
        }
        switch type {
        case "Bounce", "SpamComplaint":
            guard let address = record["Email"] as? String, let event = id(record["ID"]) else {
                throw .malformed("a Postmark \(type) record without Email or ID")
            }
            let kind: ProviderEvent.Kind =
                type == "SpamComplaint"
                ? .complaint : ((record["Type"] as? String) == "HardBounce" ? .hardBounce : .softBounce)
            return [ProviderEvent(provider: .postmark, id: event, recipient: address, kind: kind)]
        case "SubscriptionChange":
            guard (record["SuppressSending"] as? Bool) == true else { return [] }
            guard let address = record["Recipient"] as? String else {
                throw .malformed("a Postmark SubscriptionChange record without Recipient")
            }
            // No ID of its own: the message and the time of the change.
            let event = "change:" + (messageID ?? "") + ":" + ((record["ChangedAt"] as? String) ?? "")
            return [ProviderEvent(provider: .postmark, id: event, recipient: address, kind: .unsubscribed)]
        default:
            return []
        }
    }
}
