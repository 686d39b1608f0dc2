import ArgumentParser
import CoalitionData
import DigestApplication
import Foundation
import Synchronization

/// `digest send --month YYYY-MM`: a personal digest to every subscribed member.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a month's digest to every subscribed member, each their own copy.",
        discussion: """
            Each member gets a message addressed to them, greeted by name, with their \
            own unsubscribe link. The list's ledger state/sends/<list id>/<month>.sqlite \
            records each message: run send again after any stop (a crash, Ctrl-C, a lost \
            network) and it sends only what was not sent. A message whose end the relay \
            never answered clearly (no reply in time, a reply that is not one) is \
            uncertain: never sent again unless you say so with --resend-uncertain. \
            Addresses on the list's suppressions (state/suppressions.sqlite) are never \
            sent to. See docs/sending.md.

            Needs an unsubscribe secret (DIGEST_UNSUBSCRIBE_SECRET or \
            mail.unsubscribe_secret_file) and mail.smtp (password in \
            DIGEST_SMTP_PASSWORD) or mail.sendmail in coalition.yaml.

            Sends over mail.smtp.connections sessions at once (default 4), at most \
            mail.smtp.per_second messages a second (--rate for one run) and \
            mail.smtp.per_connection a session when set; when the relay refuses for \
            too many sessions or too fast a pace, the send slows down, says so, and \
            speeds up again while the relay's replies are good.

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

    @Option(
        name: .long,
        help: ArgumentHelp(
            "At most this many messages a second, across the sessions (in place of mail.smtp.per_second).",
            valueName: "N"))
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
        name: [.customLong("resend-uncertain"), .customLong("retry-uncertain")],
        help:
            "Send again the messages left uncertain: the relay never answered their end clearly, so it may have them (a member may get two copies)."
    )
    var retryUncertain = false

    @Flag(
        name: .long,
        help:
            "Start a new ledger though an earlier send of the month left one that is missing, empty, or went through another relay (a trial); the old one is set aside."
    )
    var newLedger = false

    @Flag(
        name: .long,
        help: "Carry on the month's ledger through another relay than the one it recorded (the list moved mid-month).")
    var otherRelay = false

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp(
            "Send a trial copy to these addresses only, the subject marked [Test]; the month's ledger is not touched.",
            valueName: "address"))
    var test: [String] = []

    @OptionGroup var options: CommonOptions

    private var data: String { options.data }
    private var out: String { options.out }

    func validate() throws {
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a number of messages a second above 0") }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        if YearMonth(iso: month) == nil {
            throw ValidationError("--month \(month) is not a month; write it as YYYY-MM, such as 2019-03")
        }
    }

    /// `14`, or `0.5`: a rate as staff wrote it.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `96`, `8.6`: a measured rate, as precise as it is worth reading.
    static func measured(_ value: Double) -> String {
        value >= 10 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    func run() async throws {
        guard let yearMonth = YearMonth(iso: month) else { throw ValidationError("--month \(month) is not a month") }
        let sending: MonthSend
        do {
            sending = try MonthSend(project: options.project, month: yearMonth)
        } catch {
            throw Failure.exit(error)
        }
        if dryRun {
            let outbox: MonthSend.Outbox
            do {
                outbox = try await sending.writeOutbox(limit: limit ?? 50)
            } catch {
                throw Failure.exit(error)
            }
            Output.out(
                "Wrote \(outbox.written) of the \(outbox.recipients) messages the send would make now (subscribed, one a mailbox, not suppressed) to \(outbox.folder)/ (named by their line in members.csv); nothing was sent."
            )
            // How long the real send (every recipient) would take at the configured pace.
            let messages = outbox.recipients
            if let pace = rate ?? outbox.perSecond {
                let source = rate == nil ? "mail.smtp.per_second" : "--rate"
                Output.out(
                    "At \(Self.number(pace)) messages a second (\(source)), sending \(messages) would take \(MonthSend.Outbox.duration(messages, rate: pace))."
                )
            } else {
                Output.out(
                    "No pace is set (mail.smtp.per_second or --rate): the send goes as fast as the relay takes the messages."
                )
            }
            if let sessions = outbox.sessions {
                let carried =
                    outbox.perConnection.map { ", each carrying at most \($0) (mail.smtp.per_connection)" } ?? ""
                Output.out(
                    "It would use up to \(sessions) SMTP \(sessions == 1 ? "session" : "sessions") at once (mail.smtp.connections)\(carried), fewer if the relay asks."
                )
            }
            return
        }
        if !test.isEmpty {
            try await sendTests(sending)
            return
        }
        let printer = ProgressPrinter(terminal: Output.errIsTerminal)
        let report: MonthSend.Report
        do {
            report = try await sending.send(
                options: MonthSend.Options(
                    run: SendRunOptions(rate: rate, limit: limit, retryUncertain: retryUncertain),
                    newLedger: newLedger, otherTransport: otherRelay),
                progress: { printer.show($0) })
        } catch {
            printer.finish()
            throw Failure.exit(error)
        }
        printer.finish()
        if let adopted = report.adoptedFrom {
            Output.out(
                "Moved the ledger from \(adopted) to \(report.ledgerPath), where deleting output/ cannot reach it.")
        }
        if report.suppressed > 0 {
            Output.out(
                "\(report.suppressed) on the suppression list (unsubscribed or bounced) were left out; digest members status counts them."
            )
        }
        for line in Self.summaryLines(
            report.summary, month: yearMonth.description, membersPath: sending.mailing.membersPath,
            ledger: report.ledgerPath)
        {
            Output.out(line)
        }
        if report.bouncedNow > 0 {
            Output.out(
                "\(report.bouncedNow) of the refused addresses do not exist (5.1.x) and are now on the suppression list."
            )
        }
        if let problem = report.unreadSuppressions {
            Output.err(
                "warning: the suppression list could not be read again during the send (\(problem)); the run used the list as it was last read, so a member who unsubscribed meanwhile may have had this month's digest"
            )
        }
        let status = Self.exitStatus(report.summary)
        if status != ExitStatus.success { throw ExitCode(status) }
    }

    /// `--test`: a trial copy to each address given, reported by line.
    private func sendTests(_ sending: MonthSend) async throws {
        let results: [MonthSend.TestSend]
        do {
            results = try await sending.sendTests(to: test)
        } catch {
            throw Failure.exit(error)
        }
        var failed = false
        for (index, sent) in results.enumerated() {
            let whose = sent.isMembersOwn ? "the member's own copy" : "a copy of the member's"
            let said: String
            switch sent.result {
            case .accepted(let reply): said = "sent (\(reply))"
            case .deferred(let reply), .rejected(let reply), .lost(let reply), .uncertain(let reply),
                .unreachable(let reply):
                said = "not sent: \(reply)"
                failed = true
            }
            Output.out(
                "Test \(index + 1) of \(results.count): \(whose) on line \(sent.line) of \(sending.mailing.membersPath), \(said)"
            )
        }
        Output.out("The ledger of \(month) was not touched; no member was sent anything.")
        if failed { throw ExitCode(ExitStatus.unavailable) }
    }

    /// The exit status a finished run ends with (see the command's help).
    static func exitStatus(_ summary: SendSummary) -> Int32 {
        switch summary.outcome {
        case .complete: return ExitStatus.success
        case .tryAgainLater: return ExitStatus.unavailable
        case .needsAttention: return ExitStatus.refused
        case .limitReached: return ExitStatus.stoppedAtLimit
        }
    }

    /// `sent 120 · failed 0 · left 880 · 512/s · 4 sessions · about 2 s to go`,
    /// with `slowed to 3 sessions, 12/s (the relay: …)` while the relay's
    /// refusals hold the pace down.
    static func progressLine(_ progress: SendProgress) -> String {
        var parts = ["sent \(progress.sent)", "failed \(progress.failed)", "left \(progress.left)"]
        parts.append(String(format: "%.0f/s", progress.rate))
        parts.append(progress.sessions == 1 ? "1 session" : "\(progress.sessions) sessions")
        if let slowdown = progress.slowdown {
            parts.append("slowed to \(Self.pace(slowdown)) (the relay: \(slowdown.reply))")
        }
        if let waiting = progress.waiting {
            parts.append("waiting \(Int(waiting.rounded(.up))) s to retry")
            if let problem = progress.problem { parts.append(problem) }
        } else if progress.rate > 0, progress.left > 0 {
            parts.append("about \(Self.duration(Double(progress.left) / progress.rate)) to go")
        }
        return parts.joined(separator: " · ")
    }

    /// `3 sessions, 12 a second` (the rate left out when there is no cap).
    static func pace(_ slowdown: SendSlowdown) -> String {
        var text = slowdown.sessions == 1 ? "1 session" : "\(slowdown.sessions) sessions"
        if let rate = slowdown.rate { text += ", \(Self.measured(rate)) a second" }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 90 { return "\(whole) s" }
        if whole < 5400 { return "\((whole + 30) / 60) min" }
        return String(format: "%.1f h", seconds / 3600)
    }

    /// The summary: counts, why the run stopped, then each message that
    /// needs staff, by line.
    static func summaryLines(_ summary: SendSummary, month: String, membersPath: String, ledger: String)
        -> [String]
    {
        let again = "digest send --month \(month)"
        var lines = [
            "Sent \(summary.sentNow) messages now; \(summary.sent) of \(summary.members) subscribed members have the \(month) digest."
        ]
        if summary.sentNow > 0, summary.sessions > 0, summary.seconds > 0 {
            let sessions = summary.sessions == 1 ? "one session" : "up to \(summary.sessions) sessions at once"
            lines.append(
                "Sent at \(Self.measured(summary.rate)) messages a second over \(sessions) (\(Self.duration(summary.seconds)) in all)."
            )
        }
        if let last = summary.slowdowns.last {
            let times = summary.slowdowns.count == 1 ? "once" : "\(summary.slowdowns.count) times"
            let after: String
            if let ended = summary.endedSlowed {
                after =
                    Self.pace(ended) == Self.pace(last)
                    ? "the send went on at \(Self.pace(last)) to the end"
                    : "the send went on at \(Self.pace(last)), and ended at \(Self.pace(ended))"
            } else {
                after =
                    "the send went on at \(Self.pace(last)), and was back to the full pace (mail.smtp.connections, mail.smtp.per_second) by the end"
            }
            lines.append("The relay asked the send to slow down \(times) (last: \(last.reply)); \(after).")
        }
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
                "\(summary.uncertain.count) uncertain: sent whole, but the relay's answer to the end never came or could not be read, so it may have them; they are not sent again on their own:"
            )
            for failure in summary.uncertain.sorted(by: { $0.line < $1.line }) {
                lines.append("  \(membersPath):\(failure.line): \(failure.reply)")
            }
            lines.append(
                "To send them again (a member may then have two copies): \(again) --resend-uncertain")
        }
        lines.append("Ledger: \(ledger)")
        return lines
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

    func show(_ progress: SendProgress) {
        // A terminal's line is redrawn ten times a second at most (the
        // sessions report thousands of messages a second), and always for
        // a wait or the last message; a log gets a line every 30 seconds.
        let interval = terminal ? 0.1 : 30
        let now = Date().timeIntervalSince1970
        let due = lastLine.withLock { last in
            let always = terminal && (progress.waiting != nil || progress.left == 0)
            guard always || now - (last ?? now - interval - 1) >= interval else { return false }
            last = now
            return true
        }
        guard due else { return }
        if terminal {
            Output.errInline(SendCommand.progressLine(progress))
        } else {
            Output.err(SendCommand.progressLine(progress))
        }
    }

    func finish() {
        if terminal { Output.errInline("") }
    }
}
