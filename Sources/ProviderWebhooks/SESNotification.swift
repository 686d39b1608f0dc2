import Foundation

/// The events in an Amazon SES notification (the `Message` of an SNS
/// notification): a bounce (`Permanent` → hard, `Transient` and
/// `Undetermined` → soft) or a complaint, for each recipient it names,
/// whether SES sent it as a notification (`notificationType`) or through
/// event publishing (`eventType`). Deliveries and the rest are no events.
public enum SESNotification {
    /// The events of `message`; `snsMessageID` makes each event's identity.
    ///
    /// - Throws: ``WebhookRefusal`` 400 when the message is not SES's JSON.
    public static func events(_ message: String, snsMessageID: String) throws(WebhookRefusal) -> [ProviderEvent] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any] else {
            throw .malformed("the SNS message is not an SES notification (JSON)")
        }
        let type = (object["notificationType"] as? String) ?? (object["eventType"] as? String) ?? ""
        let mail = object["mail"] as? [String: Any]
        let headers = mail?["commonHeaders"] as? [String: Any]
        let messageID = ProviderEvent.bareMessageID(headers?["messageId"] as? String)
        func recipients(_ list: Any?) -> [[String: Any]] { (list as? [[String: Any]]) ?? [] }
        switch type {
        case "Bounce":
            guard let bounce = object["bounce"] as? [String: Any] else {
                throw .malformed("an SES Bounce without its bounce object")
            }
            let kind: ProviderEvent.Kind = (bounce["bounceType"] as? String) == "Permanent" ? .hardBounce : .softBounce
            return recipients(bounce["bouncedRecipients"]).compactMap { recipient in
                guard let address = recipient["emailAddress"] as? String else { return nil }
                return ProviderEvent(
                    provider: .ses, id: snsMessageID + ":" + address.lowercased(), recipient: address, kind: kind,
                    messageID: messageID, status: recipient["status"] as? String)
            }
        case "Complaint":
            guard let complaint = object["complaint"] as? [String: Any] else {
                throw .malformed("an SES Complaint without its complaint object")
            }
            // A complaint SES knows to be no complaint (a feedback type of `not-spam`) records nothing.
            if (complaint["complaintFeedbackType"] as? String) == "not-spam" { return [] }
            return recipients(complaint["complainedRecipients"]).compactMap { recipient in
                guard let address = recipient["emailAddress"] as? String else { return nil }
                return ProviderEvent(
                    provider: .ses, id: snsMessageID + ":" + address.lowercased(), recipient: address,
                    kind: .complaint, messageID: messageID)
            }
        case "":
            throw .malformed("the SNS message is not an SES notification (no notificationType or eventType)")
        default:
            return []
        }
    }
}
