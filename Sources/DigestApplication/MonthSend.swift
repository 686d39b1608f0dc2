import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation
import SMTP
import WholeFiles

/// Sending one month's digest to every member: the personal digests, the
/// transport the settings name, the month's lock and ledger, and the run.
///
/// The ledger is `output/<month>/send.sqlite` with its lock `send.lock`
/// beside it. Before a run starts it makes sure the run cannot send the
/// month a second time: another send of the month holds the lock (refused,
/// busy), or an earlier run filled a ledger that is now missing or empty
/// (refused unless `newLedger`).
public struct MonthSend: Sendable {
    /// The lock's file name in the month's folder.
    public static let lockName = "send.lock"
    /// The ledger's file name in the month's folder.
    public static let ledgerName = "send.sqlite"

    /// The project.
    public let project: Project
    /// The month.
    public let month: YearMonth
    /// The data, members and secret.
    public let mailing: Mailing
    /// Every member's message.
    public let personal: PersonalDigest

    /// Prepares the month: loads the data, the members and the secret, and
    /// renders the shared body once.
    ///
    /// - Throws: ``ProjectError`` (`data`, `members`, `mail`, `template`,
    ///   `noMailSettings`).
    public init(project: Project, month: YearMonth) throws(ProjectError) {
        self.project = project
        self.month = month
        mailing = try Mailing.load(project)
        let renderer = try project.renderer()
        let digest = Digest(dataset: mailing.dataset, period: Period(month: month))
        do {
            personal = try PersonalDigest(digest: digest, renderer: renderer, secret: mailing.secret)
        } catch {
            throw .mail(error)
        }
    }

    /// The month's folder in the output folder.
    public var folder: String { (project.outputPath as NSString).appendingPathComponent(month.description) }
    /// The ledger, as messages name it.
    public var ledgerPath: String { (folder as NSString).appendingPathComponent(Self.ledgerName) }

    /// The members the digest goes to, one a mailbox.
    public var recipients: [Member] { MemberList.recipients(mailing.members) }

    // MARK: The outbox

    /// What a dry run wrote.
    public struct Outbox: Sendable {
        /// Messages written.
        public var written: Int
        /// Members the digest goes to.
        public var recipients: Int
        /// The outbox folder.
        public var folder: String
    }

    /// Writes the first `limit` members' messages to `output/<month>/outbox/`
    /// (named by their line in `members.csv`, readable by their owner
    /// only: they hold addresses), replacing the messages there. Nothing is sent.
    public func writeOutbox(limit: Int = 50) throws(ProjectError) -> Outbox {
        let outbox = (folder as NSString).appendingPathComponent("outbox")
        let members = recipients
        let count = min(limit, members.count)
        do {
            try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: outbox) where name.hasSuffix(".eml") {
                try FileManager.default.removeItem(atPath: (outbox as NSString).appendingPathComponent(name))
            }
        } catch {
            throw .output(WriteError(path: outbox, reason: .foundation(error)))
        }
        for member in members.prefix(count) {
            let path = (outbox as NSString).appendingPathComponent(String(format: "line-%05d.eml", member.line))
            do {
                try WholeFile.replace(path, with: Data(personal.message(for: member)), mode: 0o600)
            } catch {
                throw .output(error)
            }
        }
        return Outbox(written: count, recipients: members.count, folder: outbox)
    }

    // MARK: Sending

    /// How a send goes.
    public struct Options: Sendable {
        /// The run's options (`--rate`, `--limit`, `--retry-uncertain`).
        public var run: SendRun.Options
        /// Start a new ledger though an earlier run's is missing or empty.
        public var newLedger: Bool

        /// Options.
        public init(run: SendRun.Options = SendRun.Options(), newLedger: Bool = false) {
            self.run = run
            self.newLedger = newLedger
        }
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
            return SMTPTransport(settings: settings(for: relay, password: password))
        }
        if let program = mail.sendmail { return SendmailTransport(program: program) }
        throw .sendSetting(
            "coalition.yaml names no way to send: add mail.smtp (host, port, security, username) or mail.sendmail: /usr/sbin/sendmail"
        )
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

    /// Sends the month to every member who has not had it, through
    /// `given` (default: the transport the settings name).
    ///
    /// - Parameter progress: hears where the run stands, at least every 30 s.
    /// - Throws: ``ProjectError/send(_:)`` (busy, ledger missing or
    ///   replaced, the relay refusing the settings), `sendSetting`, `output`.
    public func send(
        options: Options = Options(), environment: [String: String] = ProcessInfo.processInfo.environment,
        through given: (any MessageTransport)? = nil, progress: @Sendable (SendRun.Progress) -> Void = { _ in }
    ) async throws(ProjectError) -> SendRun.Summary {
        guard let mail = mailing.dataset.coalition.mail else { throw .noMailSettings(.noMailSettings) }
        let transport: any MessageTransport
        if let given {
            transport = given
        } else {
            transport = try Self.transport(for: mail, environment: environment)
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .output(WriteError(path: folder, reason: .foundation(error)))
        }
        let (lock, ledger) = try open(newLedger: options.newLedger)
        let watch = MemberListWatch(
            path: mailing.membersPath, members: mailing.members, signature: mailing.membersSignature)
        let run = SendRun(
            personal: personal, members: mailing.members, ledger: ledger, transport: transport, retry: mail.retry,
            options: options.run, lock: lock, stillWanted: { watch.stillReceives($0) })
        do throws(SendError) {
            let summary = try await run.run(progress: progress)
            withExtendedLifetime(lock) {}
            return summary
        } catch {
            throw .send(error)
        }
    }

    /// Takes the month's lock and opens its ledger, refusing a ledger that
    /// an earlier run filled and that is now missing or empty.
    private func open(newLedger: Bool) throws(ProjectError) -> (SendLock, SendLedger) {
        let shownLedger = ledgerPath
        do throws(SendError) {
            let lockPath = (folder as NSString).appendingPathComponent(Self.lockName)
            guard let lock = try SendLock(path: lockPath) else {
                throw .busy(month: month.description, lock: lockPath)
            }
            let missing = !FileManager.default.fileExists(atPath: ledgerPath)
            if lock.earlierRun == .filledLedger, !newLedger, missing {
                throw .ledgerMissing(path: shownLedger, month: month.description)
            }
            let ledger: SendLedger
            do {
                ledger = try SendLedger(path: ledgerPath)
            } catch let error as SendError {
                throw error
            } catch {
                throw .ledger(path: shownLedger, doing: "open", cause: error)
            }
            let empty: Bool
            do {
                empty = try ledger.isEmpty()
            } catch {
                throw .ledger(path: shownLedger, doing: "read", cause: error)
            }
            if lock.earlierRun == .filledLedger, !newLedger, empty {
                throw .ledgerMissing(path: shownLedger, month: month.description)
            }
            return (lock, ledger)
        } catch {
            throw .send(error)
        }
    }
}
