import CoalitionData
import Foundation
import ProviderWebhooks

/// The secrets of `mail.webhooks`, read once when `digest serve` starts:
/// Postmark's password, SendGrid's verification key, Mailgun's signing key.
/// A secret that cannot be used stops the server before it listens, named
/// at its place in `coalition.yaml`.
struct WebhookKeys: Sendable {
    var postmarkPassword: String?
    /// SendGrid's verification key, DER.
    var sendgrid: Data?
    var mailgun: [UInt8]?
    /// Every secret that could not be used.
    var log = DiagnosticLog()

    init(_ settings: WebhookSettings, dataFolder: String) {
        if let postmark = settings.postmark {
            switch SecretFile.read(postmark.passwordFile, dataFolder: dataFolder) {
            case .success(let password): postmarkPassword = password
            case .failure(let problem):
                log.error(
                    postmark.place.file, postmark.place.line, postmark.place.column,
                    "mail.webhooks.postmark.password_file \(postmark.passwordFile) \(problem.text)")
            }
        }
        if let sendgrid = settings.sendgrid {
            if let key = SendGridWebhook.key(sendgrid.verificationKey) {
                self.sendgrid = key
            } else {
                log.error(
                    sendgrid.place.file, sendgrid.place.line, sendgrid.place.column,
                    "mail.webhooks.sendgrid.verification_key is not an ECDSA P-256 public key; copy the Verification Key from SendGrid's Mail Settings, Event Webhook, Signature Verification"
                )
            }
        }
        if let mailgun = settings.mailgun {
            switch SecretFile.read(mailgun.signingKeyFile, dataFolder: dataFolder) {
            case .success(let key): self.mailgun = Array(key.utf8)
            case .failure(let problem):
                log.error(
                    mailgun.place.file, mailgun.place.line, mailgun.place.column,
                    "mail.webhooks.mailgun.signing_key_file \(mailgun.signingKeyFile) \(problem.text)")
            }
        }
    }
}
