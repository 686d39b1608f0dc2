import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation
import ListState
import MIME
import SMTP
import WholeFiles

extension MonthSend {
    /// The coalition's mail settings and the transport a run uses: the one
    /// given (tests, the benchmark's sink) or the one the settings name.
    func mailAndTransport(given: (any MessageTransport)?, environment: [String: String]) throws(ProjectError)
        -> (Coalition.Mail, any MessageTransport)
    {
        guard let mail = mailing.dataset.coalition.mail else { throw .noMailSettings(.noMailSettings) }
        if let given { return (mail, given) }
        return (mail, try Self.transport(for: mail, environment: environment))
    }

    /// The transport `coalition.yaml` names: the relay (`mail.smtp`, the
    /// password from `DIGEST_SMTP_PASSWORD` in `environment`) or the
    /// sendmail program (`mail.sendmail`).
    ///
    /// - Throws: ``ProjectError/sendSetting(_:)`` when neither is set, or the
    ///   relay needs a password the environment does not give.
    public static func transport(for mail: Coalition.Mail, environment: [String: String]) throws(ProjectError)
        -> any MessageTransport
    {
        if let relay = mail.smtp {
            let password = environment["DIGEST_SMTP_PASSWORD"]
            if relay.username != nil, password?.isEmpty ?? true {
                throw .sendSetting(
                    "mail.smtp.username is set but DIGEST_SMTP_PASSWORD is not; set it in the environment (never in a file in the data folder)"
                )
            }
            return SMTPTransport(settings: settings(for: relay, password: password), perConnection: relay.perConnection)
        }
        if let program = mail.sendmail { return SendmailTransport(program: program) }
        throw .sendSetting(
            "coalition.yaml names no way to send: add mail.smtp (host, port, security, username) or mail.sendmail: /usr/sbin/sendmail"
        )
    }

    /// What makes the transport of each further session of a send: a new
    /// connection to the relay (`mail.smtp`); nil for sendmail, which
    /// takes one message at a time.
    static func sessions(for mail: Coalition.Mail, environment: [String: String])
        -> (@Sendable () -> any MessageTransport)?
    {
        guard let relay = mail.smtp else { return nil }
        let settings = settings(for: relay, password: environment["DIGEST_SMTP_PASSWORD"])
        let perConnection = relay.perConnection
        return { SMTPTransport(settings: settings, perConnection: perConnection) }
    }

    /// The SMTP client's settings for `relay`.
    static func settings(for relay: Coalition.SMTPRelay, password: String?) -> SMTPConnection.Settings {
        let security: SMTPConnection.Security
        switch relay.security {
        case .starttls: security = .starttls
        case .tls: security = .tls
        case .none: security = .none
        }
        // EHLO gives the machine's name when it is a full one (RFC 5321 4.1.4).
        let hostName = ProcessInfo.processInfo.hostName
        let isFullName =
            hostName.contains(".")
            && hostName.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        return SMTPConnection.Settings(
            host: relay.host, port: relay.port, security: security,
            credentials: relay.username.map { (username: $0, password: password ?? "") },
            certificateAuthority: relay.certificateAuthority, timeout: relay.timeout, dataTimeout: relay.dataTimeout,
            clientName: isFullName ? hostName : "localhost")
    }
}
