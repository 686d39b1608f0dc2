import ArgumentParser
import CoalitionData
import DigestMailing
import DigestRender

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
            let loaded = DataFolder.load(path: data)
            guard let coalition = loaded.dataset?.coalition else {
                for line in DiagnosticPrinter.lines(loaded.log) { Output.err(line) }
                throw ExitCode(ExitStatus.dataErrors)
            }
            let path = MemberList.path(dataFolder: data, coalition: coalition)
            do {
                switch try MemberList.unsubscribe(address, path: path) {
                case .unsubscribed(let lines):
                    for line in lines { Output.out("\(path):\(line): the member is now unsubscribed") }
                case .already(let lines):
                    for line in lines { Output.out("\(path):\(line): the member was already unsubscribed") }
                }
            } catch {
                Output.err(error.description)
                if case .write = error { throw ExitCode(ExitStatus.outputFailed) }
                throw ExitCode(ExitStatus.dataErrors)
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
            let setup = try MailSetup.load(data: data)
            guard let tokenValue = MailSetup.token(in: token) else {
                // Quoted (Output quotes control characters) and cut short.
                let shown = token.count > 60 ? token.prefix(60) + "…" : Substring(token)
                Output.err("\"\(shown)\" is not an unsubscribe token: a token is 22 letters, digits, - and _")
                throw ExitCode(ExitStatus.refused)
            }
            guard let member = setup.tokens.member(withToken: tokenValue, in: setup.members) else {
                Output.err(
                    "the token belongs to no member of \(setup.membersPath): it was mistyped, made with another secret, or the member was removed"
                )
                throw ExitCode(ExitStatus.refused)
            }
            Output.out(member.email)
        }
    }
}
