import ArgumentParser
import DigestApplication

/// `digest mail`: the coalition's mail domain.
struct MailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Check that the coalition's domain is ready for bulk mail (DMARC, SPF, DKIM, MX).",
        subcommands: [Check.self]
    )

    /// `digest mail check`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask DNS whether Gmail, Yahoo and Microsoft will take the coalition's bulk mail.",
            discussion: """
                Looks up, for coalition.yaml's mail settings: the From domain's DMARC record \
                (_dmarc, its policy and alignment modes); the SPF record of the envelope \
                domain (mail.bounces' domain, else From's), evaluated for the relay's \
                addresses (mail.smtp.host); each mail.dkim selector's TXT record against the \
                key file's public key; whether DKIM's d= or SPF's domain aligns with From \
                under DMARC's adkim and aspf; an MX for the envelope domain, so bounces and \
                complaint reports come back; and whether mail.unsubscribe and \
                mail.preferences are https. Each is printed as ok, missing, wrong or unknown, \
                with the exact record to publish. Nothing is changed.
                Exit status: 0 ready (what Gmail, Yahoo and Microsoft require of bulk senders \
                holds); 1 something is missing or wrong (named above), or the data has \
                errors; 64 a wrong command line; 69 DNS could not be asked.
                """)

        @OptionGroup var options: CommonOptions

        @Option(name: .long, help: "Ask this DNS server (HOST:PORT, [IPv6]:PORT) instead of the system's.")
        var dns: String?

        func validate() throws {
            if let dns, !Project.isDNSServer(dns) {
                throw ValidationError("--dns \(dns) is not a server's address and port; write it as 127.0.0.1:53")
            }
        }

        func run() async throws {
            let report: DomainReport
            do {
                report = try await options.project.mailCheck(dns: dns)
            } catch {
                throw Failure.exit(error)
            }
            for line in Self.lines(report, dns: dns) { Output.out(line) }
            if report.ready { return }
            throw ExitCode(report.dnsFailed ? ExitStatus.unavailable : ExitStatus.dataErrors)
        }

        static func lines(_ report: DomainReport, dns: String?) -> [String] {
            var lines = ["DNS asked: \(dns ?? "the system's resolver")"]
            for finding in report.findings {
                let status = finding.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                let topic = finding.topic.padding(toLength: 10, withPad: " ", startingAt: 0)
                lines.append("\(status) \(topic) \(finding.text)")
                if let publish = finding.publish { lines.append("                    \(publish)") }
            }
            let open = report.findings.filter { $0.required && $0.status != .ok }
            if open.isEmpty {
                lines.append("Ready: what Gmail, Yahoo and Microsoft require of bulk senders holds.")
            } else {
                let named = open.map { "\($0.topic) \($0.status.rawValue)" }.joined(separator: ", ")
                lines.append("Not ready: \(open.count) to fix (\(named)).")
            }
            return lines
        }
    }
}
