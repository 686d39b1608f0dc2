import ArgumentParser
import CoalitionData

/// `digest members`: work on the member list without opening it.
struct MembersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "Work on the member list (members.csv).",
        subcommands: [Unsubscribe.self]
    )

    /// `digest members unsubscribe ADDRESS`.
    struct Unsubscribe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a member unsubscribed, changing only their status cell in members.csv.",
            discussion: """
                The list is rewritten in one step (a new file renamed over the old one); \
                every other line stays as it was. The address is never printed: the \
                output names the line.
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
                case .unsubscribed(let line): Output.out("\(path):\(line): the member is now unsubscribed")
                case .already(let line): Output.out("\(path):\(line): the member was already unsubscribed")
                }
            } catch {
                Output.err(error.description)
                if case .write = error { throw ExitCode(ExitStatus.outputFailed) }
                throw ExitCode(ExitStatus.dataErrors)
            }
        }
    }
}
