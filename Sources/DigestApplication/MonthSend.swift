import CoalitionData
import DKIM
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
    /// The `mail.dkim` keys each message sent is signed with (none: unsigned).
    public let dkim: DKIMKeys
    /// Where the state is: a folder or a database.
    public let home: StateHome
    /// The state folder (the state's place when ``home`` is a folder).
    public let state: StateFolder
    /// The list sent to: its ledgers and suppressions in the state.
    public var list: ListID { mailing.listID }

    /// Prepares the month: loads the data, the members and the secret, and
    /// renders the shared body once.
    ///
    /// - Throws: ``ProjectError`` (`data`, also for a `mail.dkim` key that
    ///   cannot be used; `members`, `mail`, `template`, `noMailSettings`).
    public init(project: Project, month: YearMonth) throws(ProjectError) {
        self.project = project
        self.month = month
        mailing = try Mailing.load(project)
        state = project.stateFolder(mailing.dataset.coalition)
        home = try project.stateHome(mailing.dataset.coalition)
        let coalition = mailing.dataset.coalition
        dkim = DKIMKeys(mail: coalition.mail, dataFolder: project.dataPath)
        if dkim.log.hasErrors { throw .data(dkim.log) }
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
    /// Where the month's ledger is, as staff read it: its file, or the
    /// database with the list and month.
    public var ledgerLocation: String {
        switch home {
        case .folder: return ledgerPath
        case .database(let server): return "\(server.location) (list \(list), \(month))"
        }
    }

    /// The members the digest goes to, one a mailbox.
    public var recipients: [Member] { MemberList.recipients(mailing.members) }

    // MARK: The outbox

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

    // MARK: Test sends

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
        if case .folder = home {
            do {
                try state.prepare(list: list)
            } catch {
                throw .output(error)
            }
        }
        let suppressions = try openSuppressions()
        let opened = try await open(options: options, transport: transport.identity, retry: mail.retry)
        let (lock, ledger, adopted) = (opened.lock, opened.ledger, opened.adopted)
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
        let joined: [Member]
        do {
            joined = JoinedMembers.members(try await suppressions.joined(), after: mailing.members)
        } catch {
            throw .state(path: suppressions.location, cause: error)
        }
        let joinedMailboxes = Set(joined.map(\.mailbox))
        // No copy of a 100,000-member list when nobody joined.
        let listed = joined.isEmpty ? mailing.members : mailing.members + joined
        let members = try await Self.withChosenLanguages(listed, list: suppressions)
        let bounces = BounceRecorder(
            list: suppressions, month: month.description, limits: Bounce.Limits(mail.bounceLimits),
            sends: try await sendMonths())
        // The relay's published rate (mail.smtp.per_second) unless --rate
        // says otherwise; mail.smtp.connections sessions at once, each with
        // a transport of its own (one for sendmail or a transport given).
        var runOptions = options.run
        if runOptions.rate == nil { runOptions.rate = mail.smtp?.perSecond }
        let newTransport = given == nil ? Self.sessions(for: mail, environment: environment) : nil
        if let relay = mail.smtp, newTransport != nil { runOptions.sessions = relay.connections }
        let run = SendRun(
            personal: personal, members: members.filter { !suppressed.contains($0.mailbox) }, ledger: ledger,
            transport: transport, newTransport: newTransport, retry: mail.retry, options: runOptions, lock: lock,
            signer: dkim.signer,
            beforeEach: { await left.refresh() },
            stillWanted: {
                (joinedMailboxes.contains($0.mailbox) || watch.stillReceives($0)) && !left.contains($0.mailbox)
            },
            refused: { member, reply in try await bounces.refused(member, reply: reply) })
        do throws(SendError) {
            let summary = try await run.run(progress: progress)
            await opened.release()
            let skipped = MemberList.recipientCount(listed, among: suppressed)
            return Report(
                summary: summary, suppressed: skipped, bouncedNow: bounces.suppressedCount, adoptedFrom: adopted,
                ledgerPath: ledgerLocation, unreadSuppressions: left.problem)
        } catch {
            await opened.release()
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

    /// The list's suppressions, opened where every job opens them.
    func openSuppressions() throws(ProjectError) -> any ListStore {
        try project.suppressions(mailing.dataset.coalition)
    }

    /// The months with a ledger, this one among them, newest first.
    func sendMonths() async throws(ProjectError) -> [String] {
        try await project.sendMonths(home, list: list, including: month.description)
    }

}
