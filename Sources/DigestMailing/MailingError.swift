import DigestRender

/// Why personal digests cannot be made. No case carries a member's address;
/// each keeps the error that caused it.
public enum MailingError: Error, Sendable, CustomStringConvertible {
    /// Neither the environment nor `coalition.yaml` gives a secret.
    case noSecret
    /// The secret is too short to be safe.
    case secretTooShort(source: String, length: Int)
    /// `mail.unsubscribe_secret_file` lies inside the data folder.
    case secretInDataFolder(file: String)
    /// `mail.unsubscribe_secret_file` cannot be read.
    case secretUnreadable(file: String)
    /// `coalition.yaml` has no `mail.unsubscribe` page to link to.
    case noUnsubscribePage
    /// A template the personal digest needs is missing, or does not render.
    case render(RenderError)
    /// The mail settings cannot make a message (no `mail:` section, a bad address).
    case mail(DigestMailError)

    /// The message as people read it.
    public var description: String {
        switch self {
        case .noSecret:
            return
                "no unsubscribe secret: set \(UnsubscribeSecret.environmentVariable), or name a file outside the data folder in coalition.yaml (mail.unsubscribe_secret_file); make one with: openssl rand -base64 32"
        case .secretTooShort(let source, let length):
            return
                "the unsubscribe secret in \(source) is \(length) bytes; use at least \(UnsubscribeSecret.minimumLength) (openssl rand -base64 32 makes one)"
        case .secretInDataFolder(let file):
            return
                "mail.unsubscribe_secret_file \(file) is inside the data folder, where it would be committed with the data; keep it elsewhere, such as /etc/coalition-digest/secret"
        case .secretUnreadable(let file):
            return "mail.unsubscribe_secret_file \(file) cannot be read; check the path and its permissions"
        case .noUnsubscribePage:
            return
                "coalition.yaml has no mail.unsubscribe page: each member's message must carry their own unsubscribe link; add \"unsubscribe: https://…\" under mail"
        case .render(let error): return error.description
        case .mail(let error): return error.description
        }
    }
}
