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

/// Sending one month's digest to every member: the personal digests, the
/// transport the settings name, the month's lock and ledger in the state
/// folder, the suppression list, and the run.
///
/// The ledger is `state/sends/<month>.sqlite` with its lock beside it
/// (``StateFolder``); deleting `output/` never touches them. Before a run
/// starts it makes sure the run cannot send the month a second time:
/// another send of the month holds the lock (refused, busy), an earlier run
/// filled a ledger that is now missing or empty (refused unless
/// `newLedger`), or the ledger's messages went through another transport
/// (a trial through a test relay: refused unless `newLedger` or
/// `otherTransport`).
public struct MonthSend: Sendable {
    /// The lock's file name in a month's output folder, where an earlier
    /// version kept it (and `digest render` still looks).
    public static let lockName = "send.lock"
    /// The ledger's file name in a month's output folder, where an earlier
    /// version kept it.
    public static let ledgerName = "send.sqlite"

    /// The project.
    public let project: Project
    /// The month.
    public let month: YearMonth
    /// The data, members and secret.
    public let mailing: Mailing
    /// Every member's message.
    public let personal: PersonalDigest
    /// The state folder.
    public let state: StateFolder
    /// The list sent to: its ledgers and suppressions in the state.
    public var list: ListID { mailing.listID }

    /// Prepares the month: loads the data, the members and the secret, and
    /// renders the shared body once.
    ///
    /// - Throws: ``ProjectError`` (`data`, `members`, `mail`, `template`,
    ///   `noMailSettings`).
    public init(project: Project, month: YearMonth) throws(ProjectError) {
        self.project = project
        self.month = month
        mailing = try Mailing.load(project)
        state = project.stateFolder(mailing.dataset.coalition)
        let coalition = mailing.dataset.coalition
        let renderers = try project.renderers(roots: Project.digestTemplates, languages: coalition.languages)
        let digest = Digest(dataset: mailing.dataset, period: Period(month: month))
        do {
            personal = try PersonalDigest(digest: digest, renderers: renderers, secret: mailing.secret)
        } catch {
            throw .mail(error)
        }
    }

    /// The month's folder in the output folder (the outbox of a dry run).
    public var folder: String { (project.outputPath as NSString).appendingPathComponent(month.description) }
    /// The month's ledger of this list in the state folder.
    public var ledgerPath: String { state.ledgerPath(month: month.description, list: list) }

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
    /// (named by their line in `members.csv`, the folder 0700 and each
    /// file 0600 whatever the umask: they hold addresses), replacing the
    /// messages there. The members are exactly those the real send would
    /// mail now: subscribed, one a mailbox, not suppressed. Nothing is sent,
    /// and nothing is made in the state.
    public func writeOutbox(limit: Int = 50) async throws(ProjectError) -> Outbox {
        let outbox = (folder as NSString).appendingPathComponent("outbox")
        let members = try await outboxMembers()
        let count = min(limit, members.count)
        do {
            try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
            guard chmod(outbox, 0o700) == 0 else { throw WriteError(path: outbox, reason: .system(errno)) }
            for name in try FileManager.default.contentsOfDirectory(atPath: outbox) where name.hasSuffix(".eml") {
                try FileManager.default.removeItem(atPath: (outbox as NSString).appendingPathComponent(name))
            }
        } catch let error as WriteError {
            throw .output(error)
        } catch {
            throw .output(WriteError(path: outbox, reason: .foundation(error)))
        }
        for member in members.prefix(count) {
            let path = (outbox as NSString).appendingPathComponent(String(format: "line-%05d.eml", member.line))
            do throws(WriteError) {
                try WholeFile.replace(path, with: Data(personal.message(for: member)), mode: 0o600)
                guard chmod(path, 0o600) == 0 else { throw WriteError(path: path, reason: .system(errno)) }
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
        /// Start a new ledger though an earlier run's is missing, empty, or
        /// went through another transport (the old one is set aside).
        public var newLedger: Bool
        /// Carry on the month's ledger through another transport than the
        /// one it recorded.
        public var otherTransport: Bool

        /// Options.
        public init(run: SendRun.Options = SendRun.Options(), newLedger: Bool = false, otherTransport: Bool = false) {
            self.run = run
            self.newLedger = newLedger
            self.otherTransport = otherTransport
        }
    }

    /// The coalition's mail settings and the transport a run uses: the one
    /// given (tests, the benchmark's sink) or the one the settings name.
    private func mailAndTransport(given: (any MessageTransport)?, environment: [String: String]) throws(ProjectError)
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

    // MARK: Test sends

    /// What became of one test message.
    public struct TestSend: Sendable {
        /// The member whose copy it was (their line in `members.csv`).
        public var line: Int
        /// True when the address is that member's own.
        public var isMembersOwn: Bool
        /// What the transport said.
        public var result: TransportResult
    }

    /// Sends a trial copy to each of `addresses` and to no one else,
    /// leaving the month's ledger untouched: a member's own copy when the
    /// address is a member's, otherwise the first member's copy addressed
    /// to it (with a link that unsubscribes nobody). Each subject starts
    /// with `[Test]`.
    public func sendTests(
        to addresses: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        through given: (any MessageTransport)? = nil
    ) async throws(ProjectError) -> [TestSend] {
        let (_, transport) = try mailAndTransport(given: given, environment: environment)
        let recipients = recipients
        guard let first = recipients.first ?? mailing.members.first else {
            throw .nothingToDo("the member list is empty, so there is no member's copy to send as a test")
        }
        let stamp = String(Int(Date().timeIntervalSince1970))
        var results: [TestSend] = []
        for address in addresses {
            let own = mailing.members.first { $0.mailbox == address.lowercased() }
            let member =
                own
                ?? Member(
                    email: address, name: first.name, country: first.country, organisation: first.organisation,
                    language: nil, status: .subscribed, line: first.line)
            let text: String
            do {
                text = try personal.testMessage(for: member, stamp: stamp)
            } catch {
                throw .mail(error)
            }
            do throws(SendError) {
                let result = try await transport.send(
                    from: personal.sender, to: address, data: Array(text.utf8))
                results.append(TestSend(line: member.line, isMembersOwn: own != nil, result: result))
            } catch {
                await transport.close()
                throw .send(error)
            }
        }
        await transport.close()
        return results
    }

    /// What a send did, beyond the run's own summary.
    public struct Report: Sendable {
        /// The run's summary.
        public var summary: SendRun.Summary
        /// Members left out because the suppression list names them.
        public var suppressed: Int
        /// Addresses refused as non-existent (5.1.x) during this run, now suppressed.
        public var bouncedNow: Int
        /// Where the ledger was, when it was moved here from the output
        /// folder (an earlier version kept it there).
        public var adoptedFrom: String?
        /// The ledger.
        public var ledgerPath: String
        /// Why the suppression list could not be read again during the
        /// run (the run went on with the last list read, so a member who
        /// unsubscribed meanwhile may have been mailed), or nil.
        public var unreadSuppressions: String? = nil
    }

    /// Sends the month to every member who has not had it, through
    /// `given` (default: the transport the settings name), leaving out
    /// every address on the suppression list (read again before each
    /// message when it changes) and suppressing an address the relay
    /// refuses as non-existent.
    ///
    /// - Parameter progress: hears where the run stands, at least every 30 s.
    /// - Throws: ``ProjectError/send(_:)`` (busy, ledger missing or
    ///   replaced, another relay, the relay refusing the settings),
    ///   `sendSetting`, `output`, `state`.
    public func send(
        options: Options = Options(), environment: [String: String] = ProcessInfo.processInfo.environment,
        through given: (any MessageTransport)? = nil, progress: @Sendable (SendRun.Progress) -> Void = { _ in }
    ) async throws(ProjectError) -> Report {
        let (mail, transport) = try mailAndTransport(given: given, environment: environment)
        do {
            try state.prepare(list: list)
        } catch {
            throw .output(error)
        }
        let suppressions = try openSuppressions()
        let (lock, ledger, adopted) = try open(options: options, transport: transport.identity)
        let watch = MemberListWatch(
            path: mailing.membersPath, members: mailing.members, signature: mailing.membersSignature)
        let suppressed: Set<String>
        let mark: Int
        do {
            mark = try await suppressions.changeMark()
            suppressed = try await suppressions.mailboxes()
        } catch {
            throw .state(path: suppressions.location, cause: error)
        }
        let left = SuppressionWatch(list: suppressions, mark: mark, mailboxes: suppressed)
        let members = try await Self.withChosenLanguages(mailing.members, list: suppressions)
        let bounces = BounceRecorder(
            list: suppressions, month: month.description, limits: Bounce.Limits(mail.bounceLimits),
            sends: try sendMonths())
        let run = SendRun(
            personal: personal, members: members.filter { !suppressed.contains($0.mailbox) }, ledger: ledger,
            transport: transport, retry: mail.retry, options: options.run, lock: lock,
            beforeEach: { await left.refresh() },
            stillWanted: { watch.stillReceives($0) && !left.contains($0.mailbox) },
            refused: { member, reply in try await bounces.refused(member, reply: reply) })
        do throws(SendError) {
            let summary = try await run.run(progress: progress)
            withExtendedLifetime(lock) {}
            let skipped = MemberList.recipients(mailing.members).count { suppressed.contains($0.mailbox) }
            return Report(
                summary: summary, suppressed: skipped, bouncedNow: bounces.suppressedCount, adoptedFrom: adopted,
                ledgerPath: ledgerPath, unreadSuppressions: left.problem)
        } catch {
            throw .send(error)
        }
    }

    /// `members` with the language each chose on the preferences page of
    /// `digest serve` (kept in the suppression list) in place of their
    /// `language` column.
    static func withChosenLanguages(_ members: [Member], list: any ListStore) async throws(ProjectError) -> [Member] {
        let chosen: [String: String]
        do {
            chosen = try await list.languages()
        } catch {
            throw .state(path: list.location, cause: error)
        }
        guard !chosen.isEmpty else { return members }
        var members = members
        for index in members.indices {
            if let language = chosen[members[index].mailbox] { members[index].language = language }
        }
        return members
    }

    /// The members the outbox shows: those the real send would mail now
    /// (``recipients`` less the suppressed), with their chosen languages.
    /// The state is only read (a dry run makes nothing there).
    public func outboxMembers() async throws(ProjectError) -> [Member] {
        let path = state.suppressionsPath
        let existing: SQLiteListStore?
        do {
            existing = try SQLiteListStore.existing(path: path, list: list)
        } catch {
            throw .state(path: path, cause: error)
        }
        guard let existing else { return recipients }
        let suppressed: Set<String>
        do {
            suppressed = try await existing.mailboxes()
        } catch {
            throw .state(path: path, cause: error)
        }
        return try await Self.withChosenLanguages(
            recipients.filter { !suppressed.contains($0.mailbox) }, list: existing)
    }

    /// The list's suppressions in the state folder.
    func openSuppressions() throws(ProjectError) -> any ListStore {
        do {
            return try SQLiteListStore(path: state.suppressionsPath, list: list)
        } catch {
            throw .state(path: state.suppressionsPath, cause: error)
        }
    }

    /// The months with a ledger in the state folder, newest first.
    func sendMonths() throws(ProjectError) -> [String] {
        do {
            return try state.sendMonths(list: list, including: month.description)
        } catch {
            throw .state(path: state.sendsPath(list: list), cause: error)
        }
    }

    /// Takes the month's lock and opens its ledger: moved here from the
    /// output folder when an earlier version left it there, and this list's
    /// rows taken from the state's `sends/<month>.sqlite` when a version
    /// before lists left one; refused when an earlier run filled a ledger
    /// that is now missing or empty, or sent through another transport
    /// (unless `options` say otherwise), or is another list's.
    private func open(options: Options, transport: String) throws(ProjectError) -> (SendLock, SendLedger, String?) {
        let shownLedger = ledgerPath
        do throws(SendError) {
            let lockPath = state.lockPath(month: month.description, list: list)
            guard let lock = try SendLock(path: lockPath) else {
                throw .busy(month: month.description, lock: lockPath)
            }
            // An earlier version kept the ledger in output/<month>/: move it
            // here, holding that folder's lock too, so deleting output/ can
            // never lose it.
            var adopted: String?
            let oldLedger = (folder as NSString).appendingPathComponent(Self.ledgerName)
            if FileManager.default.fileExists(atPath: oldLedger) {
                let oldLockPath = (folder as NSString).appendingPathComponent(Self.lockName)
                guard let oldLock = try SendLock(path: oldLockPath) else {
                    throw .busy(month: month.description, lock: oldLockPath)
                }
                do {
                    if try state.adoptLedger(at: oldLedger, to: ledgerPath) { adopted = oldLedger }
                } catch {
                    throw .output("cannot move the send ledger \(oldLedger) to \(shownLedger): \(error.why)")
                }
                withExtendedLifetime(oldLock) {}
            }
            let missing = !FileManager.default.fileExists(atPath: ledgerPath)
            let legacy = state.legacyLedgerPath(month: month.description)
            let hasLegacy = FileManager.default.fileExists(atPath: legacy)
            if lock.earlierRun == .filledLedger, !options.newLedger, missing, adopted == nil, !hasLegacy {
                throw .ledgerMissing(path: shownLedger, month: month.description)
            }
            if options.newLedger, !missing, adopted == nil {
                // Starting anew on purpose: the old ledger is kept beside, never deleted.
                let kept = ledgerPath + ".replaced-" + String(Int(Date().timeIntervalSince1970))
                do {
                    try StateFolder.rename(ledgerPath, to: kept)
                } catch {
                    throw .output("cannot set the old ledger aside as \(kept): \(error.why)")
                }
            }
            let ledger: SendLedger
            do {
                ledger = try SendLedger(path: ledgerPath, list: list.value)
            } catch let error as SendError {
                throw error
            } catch {
                throw .ledger(path: shownLedger, doing: "open", cause: error)
            }
            if hasLegacy, !options.newLedger, try adoptLegacyRows(from: legacy, into: ledger) > 0 {
                adopted = legacy
                try lock.markFilled()
            }
            do {
                let empty = try ledger.isEmpty()
                if lock.earlierRun == .filledLedger, !options.newLedger, empty, adopted == nil {
                    throw SendError.ledgerMissing(path: shownLedger, month: month.description)
                }
                // Where this month's messages went: a trial through a test
                // relay must not pass for the real send (nor the reverse).
                if let recorded = try ledger.meta("transport"), recorded != transport, !options.otherTransport,
                    !empty
                {
                    throw SendError.transportChanged(recorded: recorded, now: transport, month: month.description)
                }
                try ledger.setMeta("transport", transport)
            } catch let error as SendError {
                throw error
            } catch {
                throw .ledger(path: shownLedger, doing: "read", cause: error)
            }
            return (lock, ledger, adopted)
        } catch {
            throw .send(error)
        }
    }

    /// Takes this list's rows from the ledger a version before lists kept
    /// at `state/sends/<month>.sqlite`, holding that version's lock of the
    /// month. A row is this list's when its `Message-ID` is the one this
    /// list gives that member this month (the tag is an HMAC of the list
    /// and the member); when no row is, but every row has this
    /// coalition's `Message-ID` ending (the list ID was set since), every
    /// row is. Rows of another list stay for it; the old file goes once
    /// it is empty.
    ///
    /// - Returns: how many rows were taken.
    private func adoptLegacyRows(from legacy: String, into ledger: SendLedger) throws(SendError) -> Int {
        let legacyLock = state.legacyLockPath(month: month.description)
        guard let held = try SendLock(path: legacyLock) else {
            throw .busy(month: month.description, lock: legacyLock)
        }
        let personal = self.personal
        let ending = personal.messageID(forKey: "").split(separator: ".", maxSplits: 2).last.map { "." + $0 } ?? ""
        do {
            let taken = try ledger.take(from: legacy) { rows in
                let exact = rows.filter { personal.messageID(forKey: $0.key) == $0.messageID }
                if !exact.isEmpty { return Set(exact.map(\.key)) }
                let ours = rows.allSatisfy {
                    $0.messageID.hasPrefix("digest-\(month).") && !ending.isEmpty && $0.messageID.hasSuffix(ending)
                }
                return ours ? Set(rows.map(\.key)) : []
            }
            if taken.left == 0 { unlink(legacyLock) }
            withExtendedLifetime(held) {}
            return taken.taken
        } catch let error as SendError {
            throw error
        } catch {
            throw .ledger(path: legacy, doing: "move to \(ledger.path)", cause: error)
        }
    }
}
