import Crypto
import Foundation
import Testing

@testable import ProviderWebhooks

@Suite("Providers' webhooks: what is signed and what is read")
struct ProviderWebhooksTests {
    @Test("SNS's canonical strings: a notification with and without Subject, a confirmation")
    func canonical() throws {
        var message = SNSMessage(
            type: "Notification", messageID: "id-1", topicARN: "arn:aws:sns:eu-west-1:123456789012:t", subject: nil,
            message: "{\"a\":1}", timestamp: "2019-04-01T00:00:00Z", signatureVersion: "2", signature: "",
            signingCertURL: "", subscribeURL: nil, token: nil)
        #expect(
            message.canonical
                == "Message\n{\"a\":1}\nMessageId\nid-1\nTimestamp\n2019-04-01T00:00:00Z\nTopicArn\narn:aws:sns:eu-west-1:123456789012:t\nType\nNotification\n"
        )
        message.subject = "Bounce"
        #expect(message.canonical.contains("MessageId\nid-1\nSubject\nBounce\nTimestamp\n"))
        message.type = "SubscriptionConfirmation"
        message.subscribeURL = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription"
        message.token = "tok"
        #expect(
            message.canonical
                == "Message\n{\"a\":1}\nMessageId\nid-1\nSubscribeURL\nhttps://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription\nTimestamp\n2019-04-01T00:00:00Z\nToken\ntok\nTopicArn\narn:aws:sns:eu-west-1:123456789012:t\nType\nSubscriptionConfirmation\n"
        )
    }

    @Test(
        "only https on sns.<region>.amazonaws.com is SNS's",
        arguments: [
            ("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem", true),
            ("https://sns.us-gov-west-1.amazonaws.com/x.pem", true),
            ("http://sns.eu-west-1.amazonaws.com/x.pem", false),
            ("https://sns.eu-west-1.amazonaws.com.evil.test/x.pem", false),
            ("https://evil.test/sns.eu-west-1.amazonaws.com/x.pem", false),
            ("https://sns.eu-west-1.amazonaws.com:8443/x.pem", false),
            ("https://user@sns.eu-west-1.amazonaws.com/x.pem", false),
            ("https://sqs.eu-west-1.amazonaws.com/x.pem", false),
            ("https://sns.amazonaws.com/x.pem", false),
        ])
    func snsHost(address: String, allowed: Bool) {
        #expect(SNSMessage.isSNSAddress(address) == allowed)
    }

    @Test("SES: a permanent bounce is hard, a transient soft, each recipient an event; a complaint; a delivery none")
    func ses() throws {
        let bounce = """
            {"notificationType":"Bounce","bounce":{"bounceType":"Transient","bouncedRecipients":[{"emailAddress":"a@x.test","status":"4.2.2"},{"emailAddress":"B@x.test"}]},"mail":{"commonHeaders":{"messageId":"<digest-2019-03.0123456789abcdef.c@x.test>"}}}
            """
        let events = try SESNotification.events(bounce, snsMessageID: "m1")
        #expect(events.map(\.kind) == [.softBounce, .softBounce])
        #expect(events.map(\.id) == ["m1:a@x.test", "m1:b@x.test"])
        #expect(events.first?.messageID == "digest-2019-03.0123456789abcdef.c@x.test")
        #expect(events.first?.status == "4.2.2")
        let hard = try SESNotification.events(
            bounce.replacingOccurrences(of: "Transient", with: "Permanent"), snsMessageID: "m2")
        #expect(hard.map(\.kind) == [.hardBounce, .hardBounce])
        let complaint = try SESNotification.events(
            "{\"eventType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\"c@x.test\"}]},\"mail\":{}}",
            snsMessageID: "m3")
        #expect(complaint.map(\.kind) == [.complaint])
        #expect(complaint.first?.messageID == nil)
        #expect(try SESNotification.events("{\"eventType\":\"Delivery\",\"mail\":{}}", snsMessageID: "m4").isEmpty)
        #expect(throws: WebhookRefusal.self) { try SESNotification.events("not json", snsMessageID: "m5") }
        #expect(throws: WebhookRefusal.self) { try SESNotification.events("{\"mail\":{}}", snsMessageID: "m6") }
    }

    @Test("Postmark: Basic credentials compared whole; HardBounce hard, others soft; changes that suppress")
    func postmark() throws {
        let good = "Basic " + Data("digest:secret".utf8).base64EncodedString()
        try PostmarkWebhook.verify(authorization: good, user: "digest", password: "secret")
        for wrong in [nil, "Basic " + Data("digest:secre".utf8).base64EncodedString(), "Bearer x", "Basic !!"] {
            #expect(throws: WebhookRefusal.unauthorized("")) {
                do {
                    try PostmarkWebhook.verify(authorization: wrong, user: "digest", password: "secret")
                } catch {
                    throw WebhookRefusal.unauthorized("")
                }
            }
        }
        func kinds(_ json: String) throws -> [ProviderEvent.Kind] {
            try PostmarkWebhook.events(Array(json.utf8)).map(\.kind)
        }
        #expect(
            try kinds("{\"RecordType\":\"Bounce\",\"ID\":1,\"Type\":\"HardBounce\",\"Email\":\"a@x.test\"}") == [
                .hardBounce
            ])
        #expect(
            try kinds("{\"RecordType\":\"Bounce\",\"ID\":2,\"Type\":\"SoftBounce\",\"Email\":\"a@x.test\"}") == [
                .softBounce
            ])
        #expect(try kinds("{\"RecordType\":\"SpamComplaint\",\"ID\":3,\"Email\":\"a@x.test\"}") == [.complaint])
        #expect(
            try kinds("{\"RecordType\":\"SubscriptionChange\",\"Recipient\":\"a@x.test\",\"SuppressSending\":true}")
                == [.unsubscribed])
        #expect(
            try kinds("{\"RecordType\":\"SubscriptionChange\",\"Recipient\":\"a@x.test\",\"SuppressSending\":false}")
                == [])
        #expect(try kinds("{\"RecordType\":\"Delivery\",\"Recipient\":\"a@x.test\"}") == [])
    }

    @Test("SendGrid: the signature over timestamp and body; which events record what")
    func sendgrid() throws {
        let key = P256.Signing.PrivateKey()
        let der = try #require(SendGridWebhook.key(key.publicKey.derRepresentation.base64EncodedString()))
        let body = Array(
            """
            [{"email":"a@x.test","event":"bounce","type":"blocked","sg_event_id":"e1"},{"email":"b@x.test","event":"dropped","reason":"Bounced Address","sg_event_id":"e2"},{"email":"c@x.test","event":"dropped","reason":"Spam Content","sg_event_id":"e3"},{"email":"d@x.test","event":"group_unsubscribe","sg_event_id":"e4"},{"email":"e@x.test","event":"delivered"}]
            """.utf8)
        let signature = try key.signature(for: Data("1700000000".utf8) + Data(body)).derRepresentation
        try SendGridWebhook.verify(
            signature: signature.base64EncodedString(), timestamp: "1700000000", body: body, key: der)
        #expect(throws: WebhookRefusal.self) {
            try SendGridWebhook.verify(
                signature: signature.base64EncodedString(), timestamp: "1700000001", body: body, key: der)
        }
        #expect(try SendGridWebhook.events(body).map(\.kind) == [.softBounce, .hardBounce, .unsubscribed])
        #expect(SendGridWebhook.key("bm90IGEga2V5") == nil)
    }

    @Test("Mailgun: HMAC of timestamp and token, 15 minutes either way; severity decides hard or soft")
    func mailgun() throws {
        let key = Array("key-1".utf8)
        func body(_ timestamp: Int, _ severity: String) -> [UInt8] {
            let mac = HMAC<SHA256>.authenticationCode(
                for: Data("\(timestamp)tok".utf8), using: SymmetricKey(data: key)
            ).map { String(format: "%02x", $0) }.joined()
            return Array(
                """
                {"signature":{"timestamp":"\(timestamp)","token":"tok","signature":"\(mac)"},"event-data":{"event":"failed","severity":"\(severity)","id":"ev","recipient":"a@x.test","message":{"headers":{"message-id":"m@x.test"}}}}
                """.utf8)
        }
        let now = 1_700_000_000
        let hook = try MailgunWebhook.parse(body(now, "permanent"))
        try hook.verify(key: key, now: Double(now + 899))
        #expect(hook.event?.kind == .hardBounce)
        #expect(hook.event?.messageID == "m@x.test")
        #expect(throws: WebhookRefusal.self) { try hook.verify(key: key, now: Double(now + 901)) }
        #expect(throws: WebhookRefusal.self) { try hook.verify(key: Array("key-2".utf8), now: Double(now)) }
        #expect(try MailgunWebhook.parse(body(now, "temporary")).event?.kind == .softBounce)
    }
}
