/// The mail providers whose webhooks `digest serve` takes, each at
/// `POST /webhooks/<name>`.
public enum WebhookProvider: String, Sendable, CaseIterable {
    /// Amazon SES, through an SNS topic.
    case ses
    /// Postmark.
    case postmark
    /// SendGrid's Event Webhook.
    case sendgrid
    /// Mailgun.
    case mailgun
}
