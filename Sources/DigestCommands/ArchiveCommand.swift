import ArgumentParser
import CoalitionData
import DigestArchive
import DigestRender
import Foundation

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
            """
    )

    @Flag(
        name: .long,
        help: "Overwrite files in output/site/ that have an archive page's name but were put there by hand.")
    var replace = false

    @OptionGroup var options: CommonOptions

    func run() throws {
        let project = options.project
        let loaded = project.load()
        if !loaded.log.all.isEmpty {
            for line in DiagnosticPrinter.lines(loaded.log) { Output.err(line) }
        }
        guard let dataset = loaded.dataset else { throw ExitCode(ExitStatus.dataErrors) }
        project.removeStaleTemporaryFiles()
        let reportable = dataset.reportableMonths
        guard !reportable.months.isEmpty else {
            Output.err("error: the data has no dated records, so there is no digest to publish")
            throw ExitCode(ExitStatus.dataErrors)
        }
        if !reportable.skipped.isEmpty {
            Output.err(
                "warning: the archive leaves out \(reportable.skipped.count) month\(reportable.skipped.count == 1 ? "" : "s") with data more than a year after the last regular call, as render --all does"
            )
        }
        if dataset.coalition.mail?.archive == nil {
            Output.err(
                "warning: coalition.yaml has no mail.archive, so the pages have no canonical address and sitemap.xml is not written; set it to the address the site is published at"
            )
        }
        let result: SiteFolder.Result
        do throws(ProjectError) {
            let renderer = try project.renderer()
            let site: ArchiveSite
            do {
                site = try ArchiveSite.build(dataset: dataset, months: reportable.months, renderer: renderer)
            } catch {
                throw ProjectError.render(error)
            }
            result = try SiteFolder(root: project.outputPath).write(site.files, replace: replace)
        } catch {
            Output.err(error.description)
            if case .output = error { throw ExitCode(ExitStatus.outputFailed) }
            throw ExitCode(ExitStatus.dataErrors)
        }
        for path in result.written { Output.out("wrote \(path)") }
        for path in result.removed { Output.out("removed \(path)") }
        Output.err(
            "\(result.written.count) written, \(result.unchanged.count) unchanged, \(result.removed.count) removed in \((project.outputPath as NSString).appendingPathComponent(SiteFolder.name))"
        )
    }
}
