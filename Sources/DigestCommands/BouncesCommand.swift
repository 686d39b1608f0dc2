import ArgumentParser
import CoalitionData
import DigestApplication

/// `digest bounces`: what comes back from mail servers.
struct BouncesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounces",
        abstract: "Read delivery and complaint reports from the bounce mailbox into the suppression list.",
        subcommands: [Read.self]
    )

    /// `digest bounces read PATH…`.
    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Read Maildir folders or mbox files of delivery and complaint reports; suppress the addresses that fail or complain.",
            discussion: """
                Reads RFC 3464 delivery reports (Postfix, Gmail, Microsoft and most servers) and \
                Exim's and qmail's older text reports. A report counts only when it is about a \
                message this list sent to a member: by the address it came back to \
                (bounces+TAG@…, when mail.bounces is set), or by the Message-ID of the message \
                it returns together with the recipient it names, each checked against the \
                month's send ledger. A 5.1.x status (no such mailbox or domain) is a hard \
                bounce: one suppresses, for every list in the state. Any other failure is \
                soft: soft bounces in 3 of the last 5 sends suppress (mail.bounce_limits \
                changes both). Complaint reports (RFC 5965, Feedback-Type: abuse, from a \
                provider's feedback loop) are read too, attributed the same way (by the VERP \
                address, or the returned Message-ID with its Original-Rcpt-To or To), and \
                suppress the member on this list at once. The mailboxes are never changed and are read a message at a \
                time; reading one again counts nothing twice. Reports not about this list's \
                messages are listed by file, with why; entries that cannot be read are named \
                and skipped. No address is printed.
                Exit status: 0 read (with --dry-run, nothing recorded); 1 the data, the member \
                list or the settings have errors; 64 a wrong command line; 65 some entries \
                could not be read and were skipped (named above), the rest was read; 66 a \
                mailbox named cannot be read; 73 the state folder cannot be written.
                """
        )

        @Argument(help: ArgumentHelp("Maildir folders or mbox files.", valueName: "path"))
        var paths: [String]

        @OptionGroup var options: CommonOptions

        @Flag(name: .long, help: "Read and attribute the reports, but record nothing.")
        var dryRun = false

        func run() async throws {
            let reading: Project.BounceReading
            do {
                reading = try await options.project.readBounces(paths, record: !dryRun)
            } catch {
                throw Failure.exit(error)
            }
            for line in Self.lines(reading, dryRun: dryRun) { Output.out(line) }
            if !reading.skipped.isEmpty {
                Output.err(
                    "\(Self.count(reading.skipped.count, "entry was", "entries were")) not read; the rest was read:")
                for entry in reading.skipped { Output.err("  \(Diagnostic.visible(entry.description))") }
                throw ExitCode(ExitStatus.someSkipped)
            }
        }

        static func lines(_ reading: Project.BounceReading, dryRun: Bool) -> [String] {
            var lines: [String] = []
            let others = reading.otherMessages
            let feedback = reading.complaintReports + reading.otherFeedback
            lines.append(
                "Read \(count(reading.messages, "message")): \(count(reading.reports, "delivery report"))"
                    + (feedback > 0 ? ", \(count(feedback, "feedback report"))" : "")
                    + (others > 0 ? ", \(count(others, "other message")) (replies, auto-replies) left alone" : "")
                    + ".")
            let hard = reading.failures[.hard] ?? 0
            let soft = reading.failures[.soft] ?? 0
            if dryRun {
                let attributed = reading.attributed
                lines.append(
                    "Would record \(attributed.count { $0.kind == .hard }) hard and \(attributed.count { $0.kind == .soft }) soft bounces (--dry-run: nothing recorded)."
                )
            } else {
                lines.append("Recorded \(hard) hard and \(soft) soft bounces.")
                if reading.alreadyRead > 0 {
                    lines.append(
                        "\(count(reading.alreadyRead, "report was", "reports were")) read before and counted nothing.")
                }
                let suppressedHard = reading.suppressed[.hardBounce] ?? 0
                let suppressedSoft = reading.suppressed[.softBounces] ?? 0
                lines.append(
                    "Suppressed now: \(count(suppressedHard, "member")) for a hard bounce, \(suppressedSoft) for soft bounces. digest members status counts them; digest members sync writes them into members.csv."
                )
            }
            if reading.complaintReports > 0 {
                let attributed = reading.complaints.count
                if dryRun {
                    lines.append(
                        "Would record \(count(attributed, "complaint")) (spam reports) (--dry-run: nothing recorded).")
                } else {
                    let now = reading.suppressed[.complaint] ?? 0
                    lines.append(
                        "Complaints (a member marked the digest as spam): \(attributed); suppressed now: \(count(now, "member"))"
                            + (reading.complaintsAlreadyKnown > 0
                                ? ", \(reading.complaintsAlreadyKnown) already suppressed" : "") + ".")
                }
            }
            if reading.otherFeedback > 0 {
                lines.append(
                    "\(count(reading.otherFeedback, "feedback report is", "feedback reports are")) not a complaint (fraud, virus, not-spam): nothing to record."
                )
            }
            if reading.notFailures > 0 {
                lines.append(
                    "\(count(reading.notFailures, "report says", "reports say")) a message was delayed or delivered: nothing to record."
                )
            }
            if reading.unattributedCount > 0 {
                lines.append(
                    "\(count(reading.unattributedCount, "report is", "reports are")) not about a message this list sent, and recorded nothing:"
                )
                for entry in reading.unattributed {
                    lines.append("  \(Diagnostic.visible(entry.place)): \(entry.why)")
                }
                let more = reading.unattributedCount - reading.unattributed.count
                if more > 0 { lines.append("  … and \(more) more") }
            }
            return lines
        }

        static func count(_ value: Int, _ one: String, _ many: String? = nil) -> String {
            value == 1 ? "1 \(one)" : "\(value) \(many ?? one + "s")"
        }
    }
}
