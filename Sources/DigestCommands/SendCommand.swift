import ArgumentParser
import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation
import Synchronization

/// `digest send --month YYYY-MM`: a personal digest to every subscribed member.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a month's digest to every subscribed member, each their own copy.",
        discussion: """
            Each member gets a message addressed to them, greeted by name, with their \
            own unsubscribe link. The ledger output/<month>/send.sqlite records each \
            message: run send again after any stop (a crash, Ctrl-C, a lost network) \
            and it sends only what was not sent. See docs/sending.md.

            Needs an unsubscribe secret (DIGEST_UNSUBSCRIBE_SECRET or \
            mail.unsubscribe_secret_file) and mail.smtp (password in \
            DIGEST_SMTP_PASSWORD) or mail.sendmail in coalition.yaml.

            Exit status: 0 every subscribed member has their message; 1 errors in \
            the data or settings (nothing sent); 2 a message was refused for good, or \
            its fate is uncertain (the summary names each by line); 3 stopped at \
            --limit with members left (run again to go on); 69 the relay cannot be \
            used or kept refusing for now: run again later; 73 the ledger or outbox \
            cannot be used; 75 another send for the month is running.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The month to send.", valueName: "YYYY-MM"))
    var month: String

    @Option(name: .long, help: ArgumentHelp("At most this many messages a second.", valueName: "N"))
    var rate: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "At most this many messages now (run again for the rest); with --dry-run, write this many (default 50).",
            valueName: "N"))
    var limit: Int?

    @Flag(name: .long, help: "Write each member's message to output/<month>/outbox/ and send nothing.")
    var dryRun = false

    @Flag(
        name: .long,
        help: "Send again the messages whose end the relay never answered (a member may get two copies).")
    var retryUncertain = false

    @Flag(
        name: .long,
        help: "Start a new ledger though an earlier send of the month left one that is now missing or empty.")
    var newLedger = false

    @OptionGroup var options: CommonOptions

    private var data: String { options.data }
    private var out: String { options.out }

    func validate() throws {
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a number of messages a second above 0") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() throws {
        guard let yearMonth = YearMonth(iso: month) else {
            throw ValidationError("--month \(month) is not a month; write it as YYYY-MM, such as 2019-03")
        }
        let setup = try MailSetup.load(data: data)
        let personal: PersonalDigest
        do {
            let renderer = try options.project.renderer()
            let digest = Digest(dataset: setup.dataset, period: Period(month: yearMonth))
            personal = try PersonalDigest(digest: digest, renderer: renderer, secret: setup.secret)
        } catch {
            Output.err("error: \(error)")
            throw ExitCode(ExitStatus.dataErrors)
        }
        let folder = URL(fileURLWithPath: out).appendingPathComponent(yearMonth.description)
        if dryRun {
            try writeOutbox(personal, members: MemberList.recipients(setup.members), folder: folder)
            return
        }
        guard let mail = setup.dataset.coalition.mail else {
            Output.err("error: " + DigestMailError.noMailSettings.description)
            throw ExitCode(ExitStatus.dataErrors)
        }
        let transport: any MessageTransport
        if let relay = mail.smtp {
            let password = ProcessInfo.processInfo.environment["DIGEST_SMTP_PASSWORD"]
            if relay.username != nil, password?.isEmpty ?? true {
                Output.err(
                    "error: mail.smtp.username is set but DIGEST_SMTP_PASSWORD is not; set it in the environment (never in a file in the data folder)"
                )
                throw ExitCode(ExitStatus.dataErrors)
            }
            transport = SMTPTransport(relay: relay, password: password)
        } else if let program = mail.sendmail {
            transport = SendmailTransport(program: program)
        } else {
            Output.err("error: " + SendError.noTransport.description)
            throw ExitCode(ExitStatus.dataErrors)
        }

        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            Output.err("error: cannot create \(folder.path): \(error.localizedDescription)")
            throw ExitCode(ExitStatus.outputFailed)
        }
        let ledgerPath = folder.appendingPathComponent("send.sqlite").path
        let shownLedger = out + "/" + yearMonth.description + "/send.sqlite"
        let lock: SendLock
        let ledger: SendLedger
        do {
            let lockPath = folder.appendingPathComponent("send.lock").path
            guard let taken = try SendLock(path: lockPath) else {
                throw SendError.busy(
                    month: yearMonth.description, lock: out + "/" + yearMonth.description + "/send.lock")
            }
            lock = taken
            // A ledger that an earlier run filled must still be there:
            // starting anew would send the month to everyone again.
            let missing = !FileManager.default.fileExists(atPath: ledgerPath)
            if lock.earlierRun == .filledLedger, !newLedger, missing {
                throw SendError.ledgerMissing(path: shownLedger, month: yearMonth.description)
            }
            do {
                ledger = try SendLedger(path: ledgerPath)
                if lock.earlierRun == .filledLedger, !newLedger, try ledger.isEmpty() {
                    throw SendError.ledgerMissing(path: shownLedger, month: yearMonth.description)
                }
            } catch let error as SendError {
                throw error
            } catch {
                throw SendError.ledger(path: shownLedger, doing: "open", cause: error)
            }
        } catch {
            Output.err("error: \(error)")
            if case .busy = error as? SendError { throw ExitCode(ExitStatus.busy) }
            throw ExitCode(ExitStatus.outputFailed)
        }

        let watch = MemberListWatch(path: setup.membersPath, members: setup.members, signature: setup.membersSignature)
        let run = SendRun(
            personal: personal, members: setup.members, ledger: ledger, transport: transport, retry: mail.retry,
            options: SendRun.Options(rate: rate, limit: limit, retryUncertain: retryUncertain), lock: lock,
            stillWanted: { watch.stillReceives($0) })
        let printer = ProgressPrinter(terminal: Output.errIsTerminal)
        let result = SendResultBox()
        let finished = DispatchSemaphore(value: 0)
        Task {
            do throws(SendError) {
                let summary = try await run.run { printer.show($0) }
                result.set(.success(summary))
            } catch {
                result.set(.failure(error))
            }
            finished.signal()
        }
        finished.wait()
        withExtendedLifetime(lock) {}
        printer.finish()
        switch result.get() {
        case .success(let summary):
            for line in Self.summaryLines(
                summary, month: yearMonth.description, membersPath: setup.membersPath, ledger: shownLedger)
            {
                Output.out(line)
            }
            let status = Self.exitStatus(summary)
            if status != ExitStatus.success { throw ExitCode(status) }
        case .failure(let error):
            Output.err("error: \(error.description)")
            switch error {
            case .relay, .sendmail:
                Output.err("Nothing was sent twice; run digest send --month \(yearMonth) again to go on.")
                throw ExitCode(ExitStatus.unavailable)
            case .busy: throw ExitCode(ExitStatus.busy)
            case .noTransport: throw ExitCode(ExitStatus.dataErrors)
            case .ledger, .ledgerReplaced, .ledgerMissing, .output: throw ExitCode(ExitStatus.outputFailed)
            }
        case nil:
            throw ExitCode(ExitStatus.unavailable)
        }
    }

    /// The exit status a finished run ends with (see the command's help).
    static func exitStatus(_ summary: SendRun.Summary) -> Int32 {
        switch summary.outcome {
        case .complete: return ExitStatus.success
        case .tryAgainLater: return ExitStatus.unavailable
        case .needsAttention: return ExitStatus.refused
        case .limitReached: return ExitStatus.stoppedAtLimit
        }
    }

    /// `sent 120 · failed 0 · left 880 · 512/s · about 2 s to go`.
    static func progressLine(_ progress: SendRun.Progress) -> String {
        var parts = ["sent \(progress.sent)", "failed \(progress.failed)", "left \(progress.left)"]
        parts.append(String(format: "%.0f/s", progress.rate))
        if let waiting = progress.waiting {
            parts.append("waiting \(Int(waiting.rounded(.up))) s to retry")
            if let problem = progress.problem { parts.append(problem) }
        } else if progress.rate > 0 {
            parts.append("about \(Self.duration(Double(progress.left) / progress.rate)) to go")
        }
        return parts.joined(separator: " · ")
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 90 { return "\(whole) s" }
        if whole < 5400 { return "\((whole + 30) / 60) min" }
        return String(format: "%.1f h", seconds / 3600)
    }

    /// The summary: counts, why the run stopped, then each message that
    /// needs staff, by line.
    static func summaryLines(_ summary: SendRun.Summary, month: String, membersPath: String, ledger: String)
        -> [String]
    {
        let again = "digest send --month \(month)"
        var lines = [
            "Sent \(summary.sentNow) messages now; \(summary.sent) of \(summary.members) subscribed members have the \(month) digest."
        ]
        if summary.droppedMeanwhile > 0 {
            lines.append(
                "\(summary.droppedMeanwhile) left the list while the send ran and were not sent the digest.")
        }
        switch summary.stop {
        case .relayUnavailable(let failures, let last):
            lines.append(
                "Stopped: the relay failed \(failures) times in a row (last: \(last)). Nothing was sent twice: run \(again) again later."
            )
        case .limit where summary.pending > 0:
            lines.append("Stopped at --limit with \(summary.pending) not sent yet: run \(again) again to go on.")
        default:
            if summary.pending > 0 { lines.append("\(summary.pending) not sent yet: run \(again) again.") }
        }
        if summary.waiting > 0 {
            let why =
                summary.stop == nil
                ? "every attempt of this run used" : "refused for now, or the connection was lost"
            lines.append(
                "\(summary.waiting) waiting to be tried again, \(why): run \(again) again later (the relay's last reply is in the ledger)."
            )
        }
        if !summary.failed.isEmpty {
            lines.append(
                "\(summary.failed.count) refused for good (their status in members.csv is left for you to decide):")
            for failure in summary.failed.sorted(by: { $0.line < $1.line }) {
                lines.append("  \(membersPath):\(failure.line): \(failure.reply)")
            }
        }
        if !summary.uncertain.isEmpty {
            lines.append(
                "\(summary.uncertain.count) sent whole but never answered: the relay may have delivered them, so they are not sent again on their own:"
            )
            for failure in summary.uncertain.sorted(by: { $0.line < $1.line }) {
                lines.append("  \(membersPath):\(failure.line): \(failure.reply)")
            }
            lines.append(
                "To send them again (a member may then have two copies): \(again) --retry-uncertain")
        }
        lines.append("Ledger: \(ledger)")
        return lines
    }

    private func writeOutbox(_ personal: PersonalDigest, members: [Member], folder: URL) throws {
        let outbox = folder.appendingPathComponent("outbox")
        let count = min(limit ?? 50, members.count)
        do {
            try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: outbox.path) where name.hasSuffix(".eml") {
                try FileManager.default.removeItem(at: outbox.appendingPathComponent(name))
            }
            for member in members.prefix(count) {
                let name = String(format: "line-%05d.eml", member.line)
                let path = outbox.appendingPathComponent(name).path
                // Each holds the member's address: readable by its owner only.
                let status = personal.message(for: member).withUnsafeBytes {
                    FlushedFile.create($0, at: path, mode: 0o600)
                }
                if status != 0 { throw SendError.output("cannot write \(path): \(String(cString: strerror(status)))") }
            }
        } catch {
            Output.err("error: cannot write \(outbox.path): \(error)")
            throw ExitCode(ExitStatus.outputFailed)
        }
        Output.out(
            "Wrote \(count) of \(members.count) subscribed members' messages to \(out)/\(folder.lastPathComponent)/outbox/ (named by their line in members.csv); nothing was sent."
        )
    }
}

/// Shows the run's progress: on a terminal, one line rewritten in place;
/// otherwise (cron, a log file) a whole line at most every 30 seconds, so a
/// long wait is never silent and a log is not flooded.
private final class ProgressPrinter: Sendable {
    private let terminal: Bool
    private let lastLine = Mutex<Double?>(nil)

    init(terminal: Bool) {
        self.terminal = terminal
    }

    func show(_ progress: SendRun.Progress) {
        if terminal {
            Output.errInline(SendCommand.progressLine(progress))
            return
        }
        let now = Date().timeIntervalSince1970
        let due = lastLine.withLock { last in
            guard now - (last ?? now - 31) >= 30 else { return false }
            last = now
            return true
        }
        if due { Output.err(SendCommand.progressLine(progress)) }
    }

    func finish() {
        if terminal { Output.errInline("") }
    }
}

/// The run's result, passed from its task back to the command.
private final class SendResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<SendRun.Summary, SendError>?

    func set(_ result: Result<SendRun.Summary, SendError>) { lock.withLock { value = result } }
    func get() -> Result<SendRun.Summary, SendError>? { lock.withLock { value } }
}
