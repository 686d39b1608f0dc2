import ArgumentParser
import CoalitionData
import DigestApplication

/// `digest members`: work on the member list without opening it.
struct MembersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "Work on the member list (members.csv) and the suppression list.",
        subcommands: [Status.self, Unsubscribe.self, Resubscribe.self, Sync.self, VerifyToken.self]
    )

    /// `digest members unsubscribe ADDRESS`.
    struct Unsubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Mark a member unsubscribed: on the suppression list, and in members.csv (only their status cell).",
            discussion: """
                Capital letters in the address do not matter: every row of that mailbox \
                is changed. The list is locked while it is read and rewritten, and \
                rewritten in one step (a new file renamed over the old one); every other \
                line stays as it was. The address is never printed: the output names \
                the line.
                Exit status: 0 done; 1 the data or the list has errors, or no member has that \
                address; 64 a wrong command line; 73 the list or the state folder cannot be \
                written.
                """
        )

        @Argument(help: ArgumentHelp("The member's address.", valueName: "address"))
        var address: String

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let result: (path: String, outcome: MemberList.UnsubscribeOutcome)
            do {
                result = try await options.project.unsubscribe(address)
            } catch {
                throw Failure.exit(error)
            }
            switch result.outcome {
            case .unsubscribed(let lines):
                for line in lines { Output.out("\(result.path):\(line): the member is now unsubscribed") }
            case .already(let lines):
                for line in lines { Output.out("\(result.path):\(line): the member was already unsubscribed") }
            }
        }
    }

    /// `digest members status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the members, those the next send goes to, and the suppressed (never an address).",
            discussion: """
                Exit status: 0 counted; 1 the data or the list has errors; 64 a wrong \
                command line; 73 the state folder cannot be used.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let counts: Project.MemberCounts
            do {
                counts = try await options.project.memberCounts()
            } catch {
                throw Failure.exit(error)
            }
            Output.out("\(counts.path): \(counts.members) members, \(counts.subscribed) subscribed.")
            if counts.joined > 0 {
                Output.out(
                    "\(counts.joined) more joined on the subscribe page (in the state; digest members sync adds them to \(counts.path)).")
            }
            Output.out("The next send goes to \(counts.recipients) (subscribed, one a mailbox, not suppressed).")
            if let list = counts.listID {
                Output.out("List ID: \(list) (what its ledgers and suppressions are kept under).")
            }
            let reasons = MemberSuppression.Reason.allCases.compactMap { reason -> String? in
                guard let count = counts.suppressed[reason], count > 0 else { return nil }
                return "\(count) \(reason.rawValue)"
            }
            Output.out(
                "Suppressed in \(counts.suppressionsPath): "
                    + (reasons.isEmpty ? "none." : reasons.joined(separator: ", ") + "."))
            let bounces = counts.bounces
            if !bounces.isEmpty {
                Output.out("Bounces recorded: \(bounces[.hard] ?? 0) hard, \(bounces[.soft] ?? 0) soft.")
            }
            if counts.suppressedButSubscribed > 0 {
                Output.out(
                    "\(counts.suppressedButSubscribed) suppressed still show as subscribed in \(counts.path): digest members sync writes their status there."
                )
            }
        }
    }

    /// `digest members sync`.
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the suppression list into members.csv's status cells (only those cells change).",
            discussion: """
                For staff who keep members.csv as their record: a member the suppression \
                list names who is still subscribed there becomes unsubscribed, or bounced \
                for an address that bounced; members who joined on the subscribe page are \
                appended (their record of consent stays in the state). Sends honour the suppression list either way.
                Exit status: 0 done (also when nothing changed); 1 the data or the list \
                has errors; 64 a wrong command line; 73 the list cannot be written.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let result: (path: String, changed: [Int: MemberStatus], appended: [Int])
            do {
                result = try await options.project.syncMembers()
            } catch {
                throw Failure.exit(error)
            }
            for line in result.changed.keys.sorted() {
                Output.out("\(result.path):\(line): now \(result.changed[line]?.rawValue ?? "")")
            }
            for line in result.appended {
                Output.out("\(result.path):\(line): added, a member who joined on the subscribe page")
            }
            Output.out(
                "\(result.changed.count) status cell\(result.changed.count == 1 ? "" : "s") changed in \(result.path)"
                    + (result.appended.isEmpty
                        ? "." : "; \(result.appended.count) member\(result.appended.count == 1 ? "" : "s") who joined added."))
        }
    }

    /// `digest members resubscribe ADDRESS`.
    struct Resubscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "On staff's word, lift a member's suppression and mark them subscribed again.",
            discussion: """
                Only do this when the member asked for it (members resubscribe themselves \
                on the preferences page). The suppression list keeps the event, marked as \
                a command. The address is never printed: the output names the lines.
                Exit status: 0 done; 1 the data or the list has errors, or no member has \
                that address; 64 a wrong command line; 73 the list or the state folder \
                cannot be written.
                """)

        @Argument(help: ArgumentHelp("The member's address.", valueName: "address"))
        var address: String

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let result: (path: String, lines: [Int], lifted: MemberSuppression?)
            do {
                result = try await options.project.resubscribe(address)
            } catch {
                throw Failure.exit(error)
            }
            for line in result.lines { Output.out("\(result.path):\(line): the member is now subscribed") }
            if let lifted = result.lifted {
                Output.out(
                    "Their suppression (\(lifted.reason.rawValue), from \(lifted.source.rawValue)) is lifted, on staff's word."
                )
            } else if result.lines.isEmpty {
                Output.out("The member was subscribed and not suppressed; nothing changed.")
            }
        }
    }

    /// `digest members verify-token TOKEN`.
    struct VerifyToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-token",
            abstract: "Print the address an unsubscribe token belongs to.",
            discussion: """
                For the website's unsubscribe handler: give it the m= value of a link \
                (or the whole link). It prints the member's address and exits 0, or \
                exits 2 when the token belongs to no member: forged, mistyped, or made \
                with another secret. The secret comes from DIGEST_UNSUBSCRIBE_SECRET \
                or mail.unsubscribe_secret_file, as for digest send.
                Exit status: 0 the token is a member's (the address is printed); 2 no \
                member has it; 1 the data, the list or the secret has errors; 64 a wrong \
                command line.
                """
        )

        @Argument(help: ArgumentHelp("The token, or the whole unsubscribe link.", valueName: "token"))
        var token: String

        @OptionGroup var options: CommonOptions

        func run() throws {
            let mailing: Mailing
            do {
                mailing = try Mailing.load(options.project)
            } catch {
                throw Failure.exit(error)
            }
            guard let tokenValue = Mailing.token(in: token) else {
                // Quoted (Output quotes control characters) and cut short.
                let shown = token.count > 60 ? token.prefix(60) + "…" : Substring(token)
                Output.err("\"\(shown)\" is not an unsubscribe token: a token is 22 letters, digits, - and _")
                throw ExitCode(ExitStatus.refused)
            }
            guard let member = mailing.member(withToken: tokenValue) else {
                Output.err(
                    "the token belongs to no member of \(mailing.membersPath): it was mistyped, made with another secret, or the member was removed"
                )
                throw ExitCode(ExitStatus.refused)
            }
            Output.out(member.email)
        }
    }
}
