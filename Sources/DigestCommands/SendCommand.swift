import ArgumentParser
import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation

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

            Exit status: 0 when every subscribed member has their message; 1 for \
            errors in the data or settings (nothing sent); 2 when a message was \
            refused for good; 69 when the relay cannot be used (run again later); \
            75 when another send for the month is running.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The month to send.", valueName: "YYYY-MM"))
    var month: String

    @Option(name: .long, help: ArgumentHelp("At most this many messages a second.", valueName: "N"))
    var rate: Double?

    @Option(
        name: .long,
        help: ArgumentHelp("At most this many messages (with --dry-run, 50 unless given).", valueName: "N"))
    var limit: Int?

    @Flag(name: .long, help: "Write each member's message to output/<month>/outbox/ and send nothing.")
    var dryRun = false

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
        } catch let error as ProjectError {
            Output.err("error: \(error)")
            throw ExitCode(ExitStatus.dataErrors)
        } catch {
            Output.err("error: \(error)")
            throw ExitCode(ExitStatus.dataErrors)
        }
        let folder = URL(fileURLWithPath: out).appendingPathComponent(yearMonth.description)
        let subscribed = setup.members.filter(\.receivesDigest)
        if dryRun {
            try writeOutbox(personal, members: subscribed, folder: folder)
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
            transport = SMTPTransport(relay: relay, password: password, retry: mail.retry)
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
        let lock: SendLock
        let ledger: SendLedger
        do {
            guard let taken = try SendLock(path: folder.appendingPathComponent("send.lock").path) else {
                Output.err("error: " + SendError.busy(month: yearMonth.description).description)
                throw ExitCode(ExitStatus.busy)
            }
            lock = taken
            ledger = try SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        } catch let error as ExitCode {
            throw error
        } catch {
            Output.err("error: cannot open the send ledger in \(folder.path): \(error)")
            throw ExitCode(ExitStatus.outputFailed)
        }

        let run = SendRun(
            personal: personal, members: setup.members, ledger: ledger, transport: transport, retry: mail.retry,
            options: SendRun.Options(rate: rate, limit: limit))
        let terminal = Output.errIsTerminal
        let result = SendResultBox()
        let finished = DispatchSemaphore(value: 0)
        Task {
            do {
                let summary = try await run.run { progress in
                    guard terminal else { return }
                    Output.errInline(Self.progressLine(progress))
                }
                result.set(.success(summary))
            } catch let error as SendError {
                result.set(.failure(error))
            } catch {
                result.set(.failure(.relay("\(error)")))
            }
            finished.signal()
        }
        finished.wait()
        withExtendedLifetime(lock) {}
        if terminal { Output.errInline("") }
        switch result.get() {
        case .success(let summary):
            let ledgerPath = out + "/" + yearMonth.description + "/send.sqlite"
            for line in Self.summaryLines(
                summary, month: yearMonth.description, membersPath: setup.membersPath, ledger: ledgerPath)
            {
                Output.out(line)
            }
            if !summary.failed.isEmpty { throw ExitCode(ExitStatus.refused) }
        case .failure(let error):
            Output.err("error: \(error.description)")
            Output.err("Nothing was sent twice; run digest send --month \(yearMonth) again to go on.")
            if case .output = error { throw ExitCode(ExitStatus.outputFailed) }
            throw ExitCode(ExitStatus.unavailable)
        case nil:
            throw ExitCode(ExitStatus.unavailable)
        }
    }

    /// `sent 120 · failed 0 · left 880 · 512/s · about 2 s to go`.
    static func progressLine(_ progress: SendRun.Progress) -> String {
        var parts = ["sent \(progress.sent)", "failed \(progress.failed)", "left \(progress.left)"]
        parts.append(String(format: "%.0f/s", progress.rate))
        if let waiting = progress.waiting {
            parts.append("waiting \(Int(waiting.rounded(.up))) s to retry")
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

    /// The summary: counts, then each permanent failure by line.
    static func summaryLines(_ summary: SendRun.Summary, month: String, membersPath: String, ledger: String)
        -> [String]
    {
        var lines = [
            "Sent \(summary.sentNow) messages now; \(summary.sent) of \(summary.members) subscribed members have the \(month) digest."
        ]
        if summary.pending > 0 || summary.waiting > 0 {
            lines.append(
                "\(summary.pending) not sent yet, \(summary.waiting) waiting to be tried again: run digest send --month \(month) again."
            )
        }
        if !summary.failed.isEmpty {
            lines.append(
                "\(summary.failed.count) refused for good (their status in members.csv is left for you to decide):")
            for failure in summary.failed.sorted(by: { $0.line < $1.line }) {
                lines.append("  \(membersPath):\(failure.line): \(failure.reply)")
            }
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

/// The run's result, passed from its task back to the command.
private final class SendResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<SendRun.Summary, SendError>?

    func set(_ result: Result<SendRun.Summary, SendError>) { lock.withLock { value = result } }
    func get() -> Result<SendRun.Summary, SendError>? { lock.withLock { value } }
}
