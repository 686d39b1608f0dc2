import CoalitionData
import DigestArchive
import DigestModel
import DigestRender
import Foundation
import MIME

/// The data and templates folders, reloaded whenever a file in them changes,
/// and the pages rendered from them, cached until the next change.
///
/// Every page comes from the application layer (``Project``): the same
/// month, format and workbook policy as `digest render`. Nothing is
/// written to the output folder; workbooks are assembled in the system's
/// temporary folder.
public actor PreviewWorkspace {
    /// The project previewed.
    public let project: Project
    /// Where workbooks are assembled (the system's temporary folder).
    let temporaryFolder: String
    private var fingerprint: Fingerprint?
    private var current = PreviewSnapshot(
        generation: 0, dataset: nil, diagnostics: [], renderer: nil, templateError: nil)
    private var monthCache: [String: MonthPreview] = [:]
    private var reportCache: [Period: Data] = [:]
    private var siteCache: ArchiveSite?

    /// A workspace over the project's data and templates folders, building
    /// workbooks in `temporaryFolder`.
    public init(project: Project, temporaryFolder: String = NSTemporaryDirectory()) {
        self.project = project
        self.temporaryFolder = temporaryFolder
    }

    /// A workspace over the given folders.
    public init(dataPath: String, templatesPath: String) {
        self.init(project: Project(dataPath: dataPath, templatesPath: templatesPath))
    }

    /// The current snapshot, reloading first if any file changed.
    public func snapshot() -> PreviewSnapshot {
        let now = Fingerprint(folders: [project.dataPath, project.templatesPath])
        if now != fingerprint {
            fingerprint = now
            reload()
        }
        return current
    }

    /// The generation number pages poll to know when to reload.
    public func generation() -> Int { snapshot().generation }

    private func reload() {
        let loaded = project.load()
        var renderer: DigestRenderer?
        var renderers: [String: DigestRenderer] = [:]
        var templateError: TemplateError?
        var problems: [Diagnostic] = []
        let main = loaded.dataset?.coalition.language ?? Project.defaultLanguage
        do {
            renderer = try project.renderer(language: main)
            renderers[main] = renderer
        } catch {
            if case .template(let problem) = error { templateError = problem }
            problems += Self.diagnostics(error, language: main)
        }
        // The other languages share the templates; one whose catalogue does
        // not load is left out of the pages, and its problem is listed with
        // the data's, at its file and line: the languages that load still show.
        if let renderer {
            for language in loaded.dataset?.coalition.languages ?? [] where language != main {
                do {
                    renderers[language] = DigestRenderer(
                        templates: renderer.templates, words: try project.words(language))
                } catch {
                    problems += Self.diagnostics(error, language: language)
                }
            }
        }
        var snapshot = PreviewSnapshot(
            generation: current.generation + 1, dataset: loaded.dataset, diagnostics: loaded.log.sorted + problems,
            renderer: renderer, templateError: templateError, renderers: renderers,
            memberCounts: loaded.dataset.flatMap(project.memberCounts))
        if loaded.dataset == nil, let partial = loaded.partial,
            let blocked = PreviewBlocks.months(loaded.log.sorted.filter { $0.severity == .error })
        {
            snapshot.partial = partial
            snapshot.blockedMonths = blocked
        }
        if let dataset = snapshot.previewable {
            for language in dataset.coalition.languages where language != dataset.coalition.language {
                snapshot.translationGaps[language] = TranslationGaps.list(dataset, language: language)
            }
        }
        current = snapshot
        monthCache = [:]
        reportCache = [:]
        siteCache = nil
    }

    /// A language's catalogue error as a diagnostic at its place; other
    /// errors (a template's, shown on its own) as none.
    static func diagnostics(_ error: ProjectError, language: String) -> [Diagnostic] {
        guard case .catalogue(let problem) = error else { return [] }
        return [
            Diagnostic(
                file: problem.file, line: problem.line, column: problem.column, severity: .error,
                message: problem.message + " (the \(language) pages are left out until this is fixed)")
        ]
    }

    /// The web archive as `digest archive` would write it, built in memory
    /// (cached until a file changes).
    public func site() throws(PreviewProblem) -> ArchiveSite {
        let snapshot = snapshot()
        guard let dataset = snapshot.dataset, snapshot.renderer != nil else {
            throw .broken(diagnostics: snapshot.diagnostics, templateError: snapshot.templateError)
        }
        if let siteCache { return siteCache }
        do {
            // Every language that loads, through the job `digest archive` runs.
            let site = try project.site(dataset, renderers: snapshot.renderers).site
            siteCache = site
            return site
        } catch {
            throw .failed(error)
        }
    }

    /// Every output of `month`, rendered in memory (cached until a file changes).
    ///
    /// - Parameter language: one of the coalition's languages; nil for its own.
    public func month(_ month: YearMonth, language: String? = nil) throws(PreviewProblem) -> (
        PreviewSnapshot, MonthPreview
    ) {
        let snapshot = snapshot()
        guard let dataset = snapshot.previewable, let main = snapshot.renderer else {
            throw .broken(diagnostics: snapshot.diagnostics, templateError: snapshot.templateError)
        }
        guard snapshot.months.contains(month) else { throw .notFound }
        // While the data has errors, a month they touch waits for the fix.
        if snapshot.isPartial && snapshot.blockedMonths.contains(month) {
            throw .broken(diagnostics: snapshot.problems(touching: month), templateError: nil)
        }
        let language = language ?? dataset.coalition.language
        guard let renderer = language == dataset.coalition.language ? main : snapshot.renderers[language] else {
            // One of the coalition's languages whose catalogue does not load:
            // its problem, at its file and line, rather than "not found".
            if dataset.coalition.languages.contains(language) {
                throw .broken(diagnostics: snapshot.diagnostics, templateError: nil)
            }
            throw .notFound
        }
        let key = "\(month) \(language)"
        if let cached = monthCache[key] { return (snapshot, cached) }
        let made = project.monthFiles(
            dataset, month: month, renderer: renderer, temporaryFolder: temporaryFolder)
        let html = made.files["digest.html"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        let view: DigestView
        do {
            view = try renderer.view(for: Digest(dataset: dataset, period: Period(month: month)))
        } catch {
            throw .failed(.render(error))
        }
        // mail.from was checked as the data loaded; an unusable one shows the coalition's name.
        let sender = dataset.coalition.mail.flatMap { try? MailAddress(parsing: $0.from) }
        let preview = MonthPreview(
            files: made.files, encodedHTMLSize: DigestRenderer.encodedSize(html), notes: made.notes,
            sender: sender?.name ?? sender?.address ?? dataset.coalition.name, subject: view.subject,
            preheader: view.preheader, workbookError: made.workbookError, language: language,
            untranslated: Self.untranslated(
                Digest(dataset: dataset, period: Period(month: month)).localized(to: language).untranslated))
        monthCache[key] = preview
        return (snapshot, preview)
    }

    /// The month as the member on `line` of `members.csv` receives it.
    public func personal(_ month: YearMonth, line: Int) async throws(PreviewProblem) -> PersonalCopy {
        let snapshot = snapshot()
        guard let dataset = snapshot.dataset, snapshot.renderer != nil else {
            throw .broken(diagnostics: snapshot.diagnostics, templateError: snapshot.templateError)
        }
        guard snapshot.months.contains(month) else { throw .notFound }
        do {
            return try await project.personalCopy(dataset, month: month, line: line, renderers: snapshot.renderers)
        } catch {
            throw .failed(error)
        }
    }

    /// What is left in the original, as staff read it.
    static func untranslated(_ missing: Digest.Untranslated?) -> String? {
        guard let missing, !missing.isEmpty else { return nil }
        let list = missing.summary
        let original = Locale(identifier: "en").localizedString(forLanguageCode: missing.original) ?? missing.original
        return
            "\(list) \(missing.count == 1 && missing.callNotes.isEmpty ? "stays" : "stay") in \(original), marked as such in the newsletter"
    }

    /// The digest summary and workbook of a quarter, year or range within
    /// the record's reach.
    public func period(_ period: Period) throws(PreviewProblem) -> (PreviewSnapshot, Digest, Data) {
        let snapshot = snapshot()
        guard let dataset = snapshot.dataset else {
            throw .broken(diagnostics: snapshot.diagnostics, templateError: snapshot.templateError)
        }
        do {
            try project.checkReach(period, in: dataset)
        } catch {
            if case .outOfReach(_, _, let why) = error { throw .outOfReach(why) }
            throw .failed(error)
        }
        let digest = Digest(dataset: dataset, period: period)
        if let cached = reportCache[period] { return (snapshot, digest, cached) }
        let data: Data
        do {
            data = try project.report(dataset, period: period, temporaryFolder: temporaryFolder).data
        } catch {
            throw .failed(error)
        }
        reportCache[period] = data
        return (snapshot, digest, data)
    }
}
