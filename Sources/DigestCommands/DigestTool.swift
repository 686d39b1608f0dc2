import ArgumentParser

/// `digest`: the Coalition Digest command line.
public struct DigestTool: AsyncParsableCommand {
    /// The command's name, help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Monthly digests and donor reports from a coalition's data folder.",
        discussion: """
            Exit status: 0 when all went well; 1 when the data or a template has \
            errors (nothing is written); 64 for a wrong command line; 73 when \
            output cannot be written (or the preview cannot listen). Each command's \
            --help lists its own (send also uses 2, 3, 69 and 75; members \
            verify-token 2; bounces read 66).
            """,
        version: DigestTool.version,
        subcommands: [
            CheckCommand.self, RenderCommand.self, ReportCommand.self, ArchiveCommand.self, NextCallCommand.self,
            PreviewCommand.self, ServeCommand.self, MembersCommand.self, BouncesCommand.self, SendCommand.self,
            StateCommand.self, MailCommand.self,
        ]
    )

    /// The program's version, printed by `digest --version`: the number of
    /// the last issue of the project's tracker it includes.
    public static let version = "0.35.0"

    /// Creates the command (argument parsing does this).
    public init() {}
}
