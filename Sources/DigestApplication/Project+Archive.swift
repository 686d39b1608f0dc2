import CoalitionData
import DigestArchive
import DigestRender
import Foundation
import WholeFiles

extension Project {
    /// The web archive's folder under the output folder.
    public static let siteFolderName = "site"
    /// The list of names the archive wrote, beside its folder.
    static let siteManifestName = ".site-files"

    /// The web archive of every month of the record (the months of
    /// `render --all`), built in memory.
    ///
    /// - Returns: the site, and warnings on what it leaves out.
    public func site(_ dataset: CoalitionDataset, renderer: DigestRenderer) throws(ProjectError) -> (
        site: ArchiveSite, warnings: [String]
    ) {
        try site(dataset, renderers: [renderer.words.language: renderer])
    }

    /// The templates a web archive is made from.
    public static let archiveTemplates = digestTemplates.union([
        "web/index.html", "web/page.html", "html/card.html", "web/feed-entry.html",
    ])

    /// The web archive in each language of `renderers` (by tag): the
    /// coalition's own at the top of the site, the others in folders.
    public func site(_ dataset: CoalitionDataset, renderers: [String: DigestRenderer]) throws(ProjectError) -> (
        site: ArchiveSite, warnings: [String]
    ) {
        let reportable = dataset.reportableMonths
        let warnings = try siteWarnings(dataset)
        do {
            return (
                try ArchiveSite.build(dataset: dataset, months: reportable.months, renderers: renderers), warnings
            )
        } catch {
            throw .render(error)
        }
    }

    /// What the archive of `dataset` leaves out or lacks, one warning a line.
    ///
    /// - Throws: ``ProjectError/nothingToDo(_:)`` when there is no dated record.
    func siteWarnings(_ dataset: CoalitionDataset) throws(ProjectError) -> [String] {
        let reportable = dataset.reportableMonths
        guard !reportable.months.isEmpty else {
            throw .nothingToDo("the data has no dated records, so there is no digest to publish")
        }
        var warnings: [String] = []
        if !reportable.skipped.isEmpty {
            warnings.append(
                "warning: the archive leaves out \(reportable.skipped.count) month\(reportable.skipped.count == 1 ? "" : "s") with data more than a year after the last regular call, as render --all does"
            )
        }
        if dataset.coalition.mail?.archive == nil {
            warnings.append(
                "warning: coalition.yaml has no mail.archive, so the pages have no canonical address and sitemap.xml is not written; set it to the address the site is published at"
            )
        }
        return warnings
    }

    /// What `digest archive` did.
    public struct ArchiveResult: Sendable {
        /// Files written, unchanged and removed.
        public var files: PublishedFolder.Result
        /// Warnings, one a line.
        public var warnings: [String]
        /// The site's folder.
        public var folder: String
    }

    /// Writes the web archive into `output/site/`: only files whose bytes
    /// changed, nothing a person put there (unless `replace`).
    ///
    /// A re-run with the same program, data, templates and time-zone data,
    /// over a site nobody touched since (``ArchiveInputs``), renders
    /// nothing: every page is as it would be written.
    public func archive(_ dataset: CoalitionDataset, replace: Bool = false) throws(ProjectError) -> ArchiveResult {
        let folder = PublishedFolder(root: outputPath, name: Self.siteFolderName, manifestName: Self.siteManifestName)
        let record = (outputPath as NSString).appendingPathComponent(ArchiveInputs.fileName)
        let inputs = ArchiveInputs.fingerprint(
            folders: [dataPath, templatesPath], excluding: [stateFolder(dataset.coalition).path])
        if !replace, let inputs,
            let text = try? String(contentsOfFile: record, encoding: .utf8),  // none yet: made below
            let recorded = ArchiveInputs(text: text), recorded.inputs == inputs
        {
            let names = folder.publishedNames
            if !names.isEmpty, ArchiveInputs.published(folder: folder.folder, names: names) == recorded.outputs {
                return ArchiveResult(
                    files: PublishedFolder.Result(unchanged: names), warnings: try siteWarnings(dataset),
                    folder: folder.folder)
            }
        }
        let (site, warnings) = try site(
            dataset,
            renderers: try renderers(roots: Self.archiveTemplates, languages: dataset.coalition.languages))
        let files: PublishedFolder.Result
        do {
            files = try folder.write(
                site.files, replace: replace,
                foreignAdvice:
                    "was not written by digest archive, and the archive has a page of that name; move it away, or run digest archive --replace to overwrite it"
            )
        } catch {
            throw .output(error)
        }
        // What it was made from, for the next run; without it the next run
        // simply makes the archive again.
        let outputs = ArchiveInputs.published(folder: folder.folder, names: folder.publishedNames)
        do {
            if let inputs, let outputs {
                try WholeFile.replace(record, with: Data(ArchiveInputs(inputs: inputs, outputs: outputs).text.utf8))
            } else if FileManager.default.fileExists(atPath: record) {
                try FileManager.default.removeItem(atPath: record)
            }
        } catch {
            throw .output(WriteError(path: record, reason: .foundation(error)))
        }
        return ArchiveResult(files: files, warnings: warnings, folder: folder.folder)
    }
}
