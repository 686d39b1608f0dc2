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
            output cannot be written (or the preview cannot listen).
            """,
        subcommands: [
            CheckCommand.self, RenderCommand.self, ReportCommand.self, ArchiveCommand.self, NextCallCommand.self,
            PreviewCommand.self, ServeCommand.self, MembersCommand.self, BouncesCommand.self, SendCommand.self,
        ]
    )

    /// Creates the command (argument parsing does this).
    public init() {}
}
