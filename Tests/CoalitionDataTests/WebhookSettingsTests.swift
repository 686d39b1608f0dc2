import Testing

@testable import CoalitionData

@Suite("coalition.yaml: mail.webhooks")
struct WebhookSettingsTests {
    @Test("the four providers as the documentation writes them")
    func all() throws {
        let (coalition, messages) = MailSettingsTests.parse(
            """
              webhooks:
                ses: {topics: [arn:aws:sns:eu-west-1:123456789012:digest-events]}
                postmark: {user: digest, password_file: /etc/digest/postmark-webhook}
                sendgrid: {verification_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE}
                mailgun: {signing_key_file: /etc/digest/mailgun-signing-key}
            """)
        #expect(messages.isEmpty)
        let hooks = try #require(coalition?.mail?.webhooks)
        #expect(hooks.ses?.topics == ["arn:aws:sns:eu-west-1:123456789012:digest-events"])
        #expect(hooks.postmark?.user == "digest")
        #expect(hooks.postmark?.passwordFile == "/etc/digest/postmark-webhook")
        #expect(hooks.postmark?.place.line == 12)
        #expect(hooks.sendgrid?.verificationKey == "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
        #expect(hooks.mailgun?.signingKeyFile == "/etc/digest/mailgun-signing-key")
        let (none, _) = MailSettingsTests.parse("  subject: x")
        #expect(none?.mail?.webhooks.isEmpty == true)
    }

    @Test("problems at their place: a topic that is no ARN, no topics, a colon in the user, a missing file, not base64")
    func problems() {
        let (_, messages) = MailSettingsTests.parse(
            """
              webhooks:
                ses: {topics: [digest-events]}
                postmark: {user: "a:b", password_file: /x}
                sendgrid: {verification_key: "not base64!"}
                mailgun: {}
                other: {}
            """)
        #expect(
            messages == [
                "coalition.yaml:11:20: error: mail.webhooks.ses.topics: \"digest-events\" is not an SNS topic's ARN; copy it from the SNS console, such as arn:aws:sns:eu-west-1:123456789012:digest-events",
                "coalition.yaml:12:22: error: mail.webhooks.postmark.user cannot hold a colon (HTTP Basic separates user and password with one)",
                "coalition.yaml:13:34: error: mail.webhooks.sendgrid.verification_key is not base64; copy the Verification Key from SendGrid's Mail Settings, Event Webhook (it starts MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE)",
                "coalition.yaml:14:14: error: mail.webhooks.mailgun.signing_key_file is missing; add a line \"signing_key_file: /etc/digest/mailgun-signing-key\"",
                "coalition.yaml:15:5: warning: unknown key \"mail.webhooks.other\" is ignored; known keys: ses, postmark, sendgrid, mailgun",
            ])
    }

    @Test(
        "topic ARNs",
        arguments: [
            ("arn:aws:sns:eu-west-1:123456789012:digest-events", true),
            ("arn:aws-cn:sns:cn-north-1:123456789012:t", true),
            ("arn:aws:sqs:eu-west-1:123456789012:t", false),
            ("arn:aws:sns:eu-west-1:12345:t", false),
            ("arn:aws:sns:eu-west-1:123456789012:", false),
        ])
    func arns(arn: String, valid: Bool) {
        #expect(WebhookSettings.isTopicARN(arn) == valid)
    }
}
