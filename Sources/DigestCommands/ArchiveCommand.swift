import ArgumentParser
import DigestApplication

/// `digest archive`: the web archive of every digest, in `output/site/`.
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Write the web archive of every digest into output/site/.",
        discussion: """
            One page per month (the months of render --all), an index, an Atom feed, \
            a sitemap (when coalition.yaml has mail.archive) and the calendar files \
            the newsletters link to. Only files whose bytes changed are written; \
            files a person put in the folder stay. Nothing is written while the data \
            or the templates have errors. See docs/archive.md for publishing it.
            Exit status: 0 written (or nothing changed); 1 the data or a template has \
            errors (nothing written); 64 a wrong command line; 73 the site cannot be \
            written.
            """
    )

    @Flag(
        name: .long,
        help: "Overwrite files in output/site/ that have an archive page's name but were put there by hand.")
    var replace = false

    @OptionGroup var options: CommonOptions

    func run() throws {
        let project = options.project
        let dataset = try Failure.load(project)
        project.removeStaleTemporaryFiles()
        let result: Project.ArchiveResult
        do {
            result = try project.archive(dataset, replace: replace)
        } catch {
            throw Failure.exit(error)
        }
        result.warnings.forEach(Output.err)
        for path in result.files.written { Output.out("wrote \(path)") }
        for path in result.files.removed { Output.out("removed \(path)") }
        Output.err(
            "\(result.files.written.count) written, \(result.files.unchanged.count) unchanged, \(result.files.removed.count) removed in \(result.folder)"
        )
    }
}
