import Foundation

extension Coalition {
    /// `mail.webhooks`: the providers whose events `digest serve` takes.
    static func parseWebhooks(_ map: YAMLMapping, log: inout DiagnosticLog) -> WebhookSettings {
        map.checkKeys(["ses", "postmark", "sendgrid", "mailgun"], log: &log)
        var settings = WebhookSettings()
        func place(_ value: (value: String, line: Int, column: Int)) -> WebhookSettings.Place {
            WebhookSettings.Place(file: map.file, line: value.line, column: value.column)
        }
        if let ses = map.mapping("ses", log: &log) {
            ses.checkKeys(["topics"], log: &log)
            var topics: [String] = []
            for item in ses.list("topics", log: &log) {
                guard let arn = item.node.string?.trimmingCharacters(in: .whitespaces) else { continue }
                if WebhookSettings.isTopicARN(arn) {
                    topics.append(arn)
                } else {
                    log.error(
                        map.file, item.line, item.column,
                        "mail.webhooks.ses.topics: \"\(arn)\" is not an SNS topic's ARN; copy it from the SNS console, such as arn:aws:sns:eu-west-1:123456789012:digest-events"
                    )
                }
            }
            if topics.isEmpty, ses.list("topics", log: &log).isEmpty {
                log.error(
                    map.file, ses.line, ses.column,
                    "mail.webhooks.ses needs topics: the SNS topics SES publishes this list's events to, such as topics: [arn:aws:sns:eu-west-1:123456789012:digest-events]"
                )
            }
            if !topics.isEmpty { settings.ses = WebhookSettings.SES(topics: topics) }
        }
        if let postmark = map.mapping("postmark", log: &log) {
            postmark.checkKeys(["user", "password_file"], log: &log)
            let user = postmark.scalar("user", required: true, log: &log, example: "digest")
            let file = postmark.scalar(
                "password_file", required: true, log: &log, example: "/etc/digest/postmark-webhook")
            if let user, user.value.contains(":") {
                log.error(
                    map.file, user.line, user.column,
                    "mail.webhooks.postmark.user cannot hold a colon (HTTP Basic separates user and password with one)")
            } else if let user, let file {
                settings.postmark = WebhookSettings.Postmark(
                    user: user.value, passwordFile: file.value, place: place(file))
            }
        }
        if let sendgrid = map.mapping("sendgrid", log: &log) {
            sendgrid.checkKeys(["verification_key"], log: &log)
            if let key = sendgrid.scalar(
                "verification_key", required: true, log: &log, example: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…")
            {
                let compact = key.value.filter { !$0.isWhitespace }
                if Data(base64Encoded: compact) == nil {
                    log.error(
                        map.file, key.line, key.column,
                        "mail.webhooks.sendgrid.verification_key is not base64; copy the Verification Key from SendGrid's Mail Settings, Event Webhook (it starts MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE)"
                    )
                } else {
                    settings.sendgrid = WebhookSettings.SendGrid(verificationKey: compact, place: place(key))
                }
            }
        }
        if let mailgun = map.mapping("mailgun", log: &log) {
            mailgun.checkKeys(["signing_key_file"], log: &log)
            if let file = mailgun.scalar(
                "signing_key_file", required: true, log: &log, example: "/etc/digest/mailgun-signing-key")
            {
                settings.mailgun = WebhookSettings.Mailgun(signingKeyFile: file.value, place: place(file))
            }
        }
        return settings
    }
}
