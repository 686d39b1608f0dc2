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
        do {
            return (
                try ArchiveSite.build(dataset: dataset, months: reportable.months, renderers: renderers), warnings
            )
        } catch {
            throw .render(error)
        }
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
    public func archive(_ dataset: CoalitionDataset, replace: Bool = false) throws(ProjectError) -> ArchiveResult {
        let (site, warnings) = try site(
            dataset,
            renderers: try renderers(roots: Self.archiveTemplates, languages: dataset.coalition.languages))
        let folder = PublishedFolder(root: outputPath, name: Self.siteFolderName, manifestName: Self.siteManifestName)
        do {
            let files = try folder.write(
                site.files, replace: replace,
                foreignAdvice:
                    "was not written by digest archive, and the archive has a page of that name; move it away, or run digest archive --replace to overwrite it"
            )
            return ArchiveResult(files: files, warnings: warnings, folder: folder.folder)
        } catch {
            throw .output(error)
        }
    }
}
