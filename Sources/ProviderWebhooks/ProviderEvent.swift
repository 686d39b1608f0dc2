/// One thing a mail provider reports about one recipient: a bounce, a
/// complaint or an unsubscribe, read from a verified webhook request.
public struct ProviderEvent: Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Sendable, Equatable {
        /// The address does not exist (SES `Permanent`, Postmark
        /// `HardBounce`, SendGrid `bounce`, Mailgun `permanent`).
        case hardBounce = "hard bounce"
        /// A failure that may pass.
        case softBounce = "soft bounce"
        /// The recipient marked the message as spam.
        case complaint
        /// The recipient unsubscribed at the provider.
        case unsubscribed
    }

    /// The provider.
    public var provider: WebhookProvider
    /// The provider's identity of the event (SNS's `MessageId`, Postmark's
    /// `ID`, SendGrid's `sg_event_id`, Mailgun's event `id`), with the
    /// recipient where one notification names several: the same event
    /// posted twice has the same identity.
    public var id: String
    /// The recipient's address as the provider gives it.
    public var recipient: String
    /// What happened.
    public var kind: Kind
    /// The `Message-ID` of the message, without angle brackets, when the
    /// provider passes it (SES `commonHeaders.messageId`, SendGrid
    /// `smtp-id`, Mailgun `message.headers.message-id`).
    public var messageID: String?
    /// The enhanced status (`5.1.1`), when given.
    public var status: String?

    /// An event.
    public init(
        provider: WebhookProvider, id: String, recipient: String, kind: Kind, messageID: String? = nil,
        status: String? = nil
    ) {
        self.provider = provider
        self.id = id
        self.recipient = recipient
        self.kind = kind
        self.messageID = messageID
        self.status = status
    }

    /// `<id@host>` or `id@host` → `id@host`; nil when empty.
    static func bareMessageID(_ value: String?) -> String? {
        guard var id = value?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { return nil }
        if id.hasPrefix("<"), id.hasSuffix(">") { id = String(id.dropFirst().dropLast()) }
        return id.isEmpty ? nil : id
    }
}
