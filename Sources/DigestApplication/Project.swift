import CoalitionData
import DigestModel
import DigestRender
import DonorReport
import Foundation
import ListState
import MIME
import Synchronization
import WholeFiles
import Wording
import XLSXWriter

/// The folders Coalition Digest works on, and every job done with them:
/// load and check the data, render a month, make a workbook, publish the
/// archive, send the digest. The command line, the staff preview and any
/// later front end call these functions; none assembles the pipeline
/// itself, so a policy (which month, which formats, when a month's folder
/// may be replaced) lives here once.
///
/// Nothing here prints: results and warnings are returned, errors are
/// ``ProjectError`` values that keep their cause.
public struct Project: Sendable {
    /// The data folder, as the user named it.
    public var dataPath: String
    /// The templates folder.
    public var templatesPath: String
    /// The output folder.
    public var outputPath: String
    /// Where the environment's `DIGEST_STATE` puts the state, which
    /// overrides `state:` in `coalition.yaml` (one data folder, run on
    /// several machines): a folder relative to the folder digest runs in,
    /// or a database's address. Nil without it.
    public var stateOverride: String?
    /// The environment: `DIGEST_STATE`, and the database's `PGPASSWORD`,
    /// `PGPASSFILE` and `HOME` (for `~/.pgpass`).
    public var environment: [String: String]

    /// Creates a project over the given folders; `environment` gives
    /// `DIGEST_STATE`.
    public init(
        dataPath: String = "data", templatesPath: String = "templates", outputPath: String = "output",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.dataPath = dataPath
        self.templatesPath = templatesPath
        self.outputPath = outputPath
        stateOverride = environment["DIGEST_STATE"].flatMap { $0.isEmpty ? nil : $0 }
        self.environment = environment
    }

    /// Loads and checks the data folder, whatever its problems.
    public func load() -> DataFolder.Result {
        var result = DataFolder.load(path: dataPath)
        if let stateOverride {
            do {
                _ = try StateLocation.parse(stateOverride)
            } catch {
                // Read as a folder, a mistyped address would make a folder named after it.
                result.log.error("DIGEST_STATE", 1, 1, error.description)
                result.dataset = nil
            }
        }
        return result
    }

    /// The data folder loaded without errors: the dataset, and the
    /// warnings to show.
    public struct Loaded: Sendable {
        /// The checked data.
        public var dataset: CoalitionDataset
        /// Warnings found while loading (never errors).
        public var log: DiagnosticLog
    }

    /// Loads the data folder, refusing it when it has an error.
    ///
    /// - Throws: ``ProjectError/data(_:)`` with every diagnostic.
    public func loadChecked() throws(ProjectError) -> Loaded {
        let loaded = load()
        guard let dataset = loaded.dataset, !loaded.log.hasErrors else { throw .data(loaded.log) }
        return Loaded(dataset: dataset, log: loaded.log)
    }

    /// The month `digest render` renders when none is named: the latest month
    /// with a call file.
    public static func defaultMonth(_ dataset: CoalitionDataset) -> YearMonth? {
        dataset.calls.last?.date.yearMonth
    }

    /// The folder of word catalogues, one a language: `templates/words`.
    public var wordsPath: String { (templatesPath as NSString).appendingPathComponent("words") }

    /// The language digests are written in (the only one until the
    /// coalition names others).
    public static let defaultLanguage = "en"

    /// ``ProjectError/noTemplatesFolder(_:)``, naming the folder looked
    /// for, when ``templatesPath`` is not a folder: a command run from
    /// another folder would otherwise say a catalogue is missing.
    func requireTemplatesFolder() throws(ProjectError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: templatesPath, isDirectory: &isFolder), isFolder.boolValue else {
            let absolute =
                templatesPath.hasPrefix("/")
                ? templatesPath
                : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(templatesPath)
            throw .noTemplatesFolder((absolute as NSString).standardizingPath)
        }
    }

    /// The words of `language`, from its catalogue in ``wordsPath``.
    public func words(_ language: String = Project.defaultLanguage) throws(ProjectError) -> Words {
        try requireTemplatesFolder()
        do {
            return try Words.load(folder: wordsPath, language: language)
        } catch {
            throw .catalogue(error)
        }
    }

    /// The templates a month's digest is made from (render, send): the
    /// rest (the web archive's pages, `digest serve`'s) is not parsed.
    public static let digestTemplates: Set<String> = [
        "digest.txt", "digest.html", "country-news.txt", "html/country-news.html",
    ]

    /// Loads the templates folder and the words once for the renders that
    /// follow: every template, or `roots` and the partials they use.
    public func renderer(roots: Set<String>? = nil, language: String = Project.defaultLanguage) throws(ProjectError)
        -> DigestRenderer
    {
        DigestRenderer(templates: try templates(roots: roots), words: try words(language))
    }

    /// The templates folder read: every template, or `roots` and the partials they use.
    public func templates(roots: Set<String>? = nil) throws(ProjectError) -> TemplateSet {
        try requireTemplatesFolder()
        do {
            return try TemplateSet(folder: templatesPath, roots: roots)
        } catch {
            throw .template(error)
        }
    }

    /// A renderer for each of `languages`, sharing one reading of the templates.
    ///
    /// - Throws: ``ProjectError/catalogue(_:)`` when a language has no
    ///   catalogue or it cannot be read.
    public func renderers(roots: Set<String>? = nil, languages: [String]) throws(ProjectError) -> [String:
        DigestRenderer]
    {
        // The catalogues are read and their locales' data loaded side by
        // side with the templates: each is a few milliseconds on its own.
        let loaded = Mutex<[Result<Words, ProjectError>?]>(Array(repeating: nil, count: languages.count))
        let read = Mutex<Result<TemplateSet, ProjectError>?>(nil)
        DispatchQueue.concurrentPerform(iterations: languages.count + 1) { position in
            guard position < languages.count else {
                let result = Result { () throws(ProjectError) -> TemplateSet in try self.templates(roots: roots) }
                read.withLock { $0 = result }
                return
            }
            let result = Result { () throws(ProjectError) -> Words in try words(languages[position]) }
            loaded.withLock { $0[position] = result }
        }
        // concurrentPerform returns once every iteration has reported.
        let templates: TemplateSet
        if let result = read.withLock({ $0 }) {
            templates = try result.get()
        } else {
            templates = try self.templates(roots: roots)
        }
        var renderers: [String: DigestRenderer] = [:]
        for (position, language) in languages.enumerated() {
            guard let result = loaded.withLock({ $0[position] }) else { continue }
            renderers[language] = DigestRenderer(templates: templates, words: try result.get())
        }
        return renderers
    }

    /// The donor workbook's file name.
    public static let workbookName = "report.xlsx"

    /// The donor workbook of `period`, in memory; its warnings name text
    /// cut to Excel's cell limit.
    ///
    /// - Parameter temporaryFolder: where libxlsxwriter assembles it
    ///   (default: the output folder, so a killed run's leftovers are found
    ///   and removed there).
    public func report(
        _ dataset: CoalitionDataset, period: Period, series: PetitionSeries? = nil, paper: Worksheet.Paper = .a4,
        temporaryFolder: String? = nil, language: String? = nil
    ) throws(ProjectError) -> DonorReport {
        // The words first: a missing catalogue makes nothing on the disk.
        let words = try words(language ?? dataset.coalition.language)
        let folder = temporaryFolder ?? outputPath
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .output(WriteError(path: folder, reason: .foundation(error)))
        }
        do {
            return try DonorReport.build(
                dataset: dataset, period: period, series: series, temporaryFolder: folder, paper: paper, words: words)
        } catch {
            throw .workbook(error)
        }
    }

    /// The state folder of `coalition`: `DIGEST_STATE` when set (absolute,
    /// or relative to the folder digest runs in), else `state:` from
    /// `coalition.yaml` (absolute, or relative to the data folder), else
    /// `state` beside the data folder; found from real paths, so every
    /// spelling of one data folder (`data/.`, a link to it) finds one state.
    public func stateFolder(_ coalition: Coalition) -> StateFolder {
        if let stateOverride, case .folder(let path)? = try? StateLocation.parse(stateOverride) {
            let folder =
                path.hasPrefix("/")
                ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
            return StateFolder(path: RealPath.resolve(folder))
        }
        guard case .folder(let configured)? = coalition.state else {
            return StateFolder.resolve(dataFolder: dataPath, configured: nil)
        }
        return StateFolder.resolve(dataFolder: dataPath, configured: configured)
    }

    /// The list's identity, what its state is kept under: `mail.list_id`,
    /// else made from `mail.to`; nil without mail settings.
    public static func listID(_ coalition: Coalition) -> ListID? {
        DigestMail.listIdentifier(coalition).flatMap(ListID.init)
    }

    /// Refuses a period more than the record's reach from its months
    /// (``CoalitionDataset/reach``): it says nothing the data knows, and a
    /// mistyped one (0001-01..9999-12) would take minutes to compute.
    public func checkReach(_ period: Period, in dataset: CoalitionDataset) throws(ProjectError) {
        if let problem = dataset.reachProblem(first: period.first, last: period.last) {
            throw .outOfReach(option: "--period", value: period.description, problem)
        }
    }

    /// The same for one month to render, unless `force`d: a month the
    /// record cannot speak of is rendered only on purpose.
    ///
    /// - Throws: ``ProjectError/outOfReach(option:value:_:)`` for `--month`.
    public func checkReach(month: YearMonth, in dataset: CoalitionDataset, force: Bool) throws(ProjectError) {
        guard !force, let problem = dataset.reachProblem(first: month, last: month) else { return }
        throw .outOfReach(option: "--month", value: month.description, problem + "; add --force to render it anyway")
    }

    /// Removes the temporary files and folders that runs killed before
    /// they could clean up left in the output folder (``TemporaryName``).
    ///
    /// - Returns: the paths removed.
    @discardableResult
    public func removeStaleTemporaryFiles() -> [String] {
        FolderSwap(root: outputPath).removeStaleTemporaryFiles()
    }
}
