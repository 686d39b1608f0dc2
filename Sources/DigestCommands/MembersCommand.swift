import ArgumentParser
import CoalitionData
import DigestApplication

/// `digest members`: work on the member list without opening it.
struct MembersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "Work on the member list (members.csv).",
        subcommands: [Unsubscribe.self, VerifyToken.self]
    )

    /// `digest members unsubscribe ADDRESS`.
    struct Unsubscribe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a member unsubscribed, changing only their status cell in members.csv.",
            discussion: """
                Capital letters in the address do not matter: every row of that mailbox \
                is changed. The list is locked while it is read and rewritten, and \
                rewritten in one step (a new file renamed over the old one); every other \
                line stays as it was. The address is never printed: the output names \
                the line.
                """
        )

        @Argument(help: ArgumentHelp("The member's address.", valueName: "address"))
        var address: String

        @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "folder"))
        var data: String = "data"

        func run() throws {
            let result: (path: String, outcome: MemberList.UnsubscribeOutcome)
            do {
                result = try Project(dataPath: data).unsubscribe(address)
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
                """
        )

        @Argument(help: ArgumentHelp("The token, or the whole unsubscribe link.", valueName: "token"))
        var token: String

        @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "folder"))
        var data: String = "data"

        func run() throws {
            let mailing: Mailing
            do {
                mailing = try Mailing.load(Project(dataPath: data))
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
