import CoalitionData
import DigestArchive
import DigestModel
import DigestRender
import DonorReport
import Foundation
import MIME

/// The files behind one preview page, rendered in memory.
public struct MonthPreview: Sendable {
    /// `digest.txt`, `digest.html`, `digest.eml`, `digest.json`, `report.xlsx`.
    public var files: [String: Data]
    /// The newsletter's size once quoted-printable encoded.
    public var encodedHTMLSize: Int
    /// Problems met while rendering (an email that cannot be built, cut text).
    public var notes: [String]
    /// What an inbox shows: the sender's name, the subject, the preheader.
    public var sender: String
    /// The subject line.
    public var subject: String
    /// The preheader, the line inboxes show after the subject.
    public var preheader: String
}

/// What cannot be shown, as staff should read it.
public enum PreviewProblem: Error, Sendable {
    /// The data or templates have errors.
    case broken(diagnostics: [Diagnostic], templateError: TemplateError?)
    /// No such month or period in the data.
    case notFound
    /// A period the record cannot speak of: why.
    case outOfReach(String)
}

/// The data and templates folders, reloaded whenever a file in them changes,
/// and the pages rendered from them, cached until the next change.
///
/// Nothing is written to disk: every output is rendered in memory.
public actor PreviewWorkspace {
    let dataPath: String
    let templatesPath: String
    private var fingerprint: Fingerprint?
    private var current = PreviewSnapshot(
        generation: 0, dataset: nil, diagnostics: [], renderer: nil, templateError: nil)
    private var monthCache: [YearMonth: MonthPreview] = [:]
    private var reportCache: [Period: Data] = [:]
    private var siteCache: ArchiveSite?

    /// A workspace over the given folders.
    public init(dataPath: String, templatesPath: String) {
        self.dataPath = dataPath
        self.templatesPath = templatesPath
    }

    /// The current snapshot, reloading first if any file changed.
    func snapshot() -> PreviewSnapshot {
        let now = Fingerprint(folders: [dataPath, templatesPath])
        if now != fingerprint {
            fingerprint = now
            reload()
        }
        return current
    }

    /// The generation number pages poll to know when to reload.
    public func generation() -> Int { snapshot().generation }

    private func reload() {
        let loaded = DataFolder.load(path: dataPath)
        var renderer: DigestRenderer?
        var templateError: TemplateError?
        do {
            renderer = DigestRenderer(templates: try TemplateSet(folder: templatesPath))
        } catch {
            templateError = error
        }
        var counts: (total: Int, subscribed: Int)?
        if let coalition = loaded.dataset?.coalition,
            let members = MemberList.load(path: MemberList.path(dataFolder: dataPath, coalition: coalition)).members,
            !members.isEmpty
        {
            counts = (members.count, members.count { $0.receivesDigest })
        }
        current = PreviewSnapshot(
            generation: current.generation + 1, dataset: loaded.dataset, diagnostics: loaded.log.sorted,
            renderer: renderer, templateError: templateError, memberCounts: counts)
        monthCache = [:]
        reportCache = [:]
        siteCache = nil
    }

    /// The web archive as `digest archive` would write it, built in memory
    /// (cached until a file changes).
    func site() throws(PreviewProblem) -> ArchiveSite {
        let snapshot = snapshot()
        guard let dataset = snapshot.dataset, let renderer = snapshot.renderer else {
            throw .broken(diagnostics: snapshot.diagnostics, templateError: snapshot.templateError)
        }
        if let siteCache { return siteCache }
        do {
            let site = try ArchiveSite.build(
                dataset: dataset, months: dataset.reportableMonths.months, renderer: renderer)
            siteCache = site
            return site
        } catch {
            throw .broken(
                diagnostics: [
                    Diagnostic(file: templatesPath, line: 1, column: 1, severity: .error, message: error.description)
                ],
                templateError: nil)
        }
    }

    /// Every output of `month`, rendered in memory (cached until a file changes).
    func month(_ month: YearMonth) throws(PreviewProblem) -> (PreviewSnapshot, MonthPreview) {
        let snapshot = snapshot()
        guard let dataset = snapshot.dataset, let renderer = snapshot.renderer else {
            throw .broken(diagnostics: snapshot.diagnostics, templateError: snapshot.templateError)
        }
        guard snapshot.months.contains(month) else { throw .notFound }
        if let cached = monthCache[month] { return (snapshot, cached) }
        let digest = Digest(dataset: dataset, period: Period(month: month))
        var notes: [String] = []
        var formats = DigestRenderer.Format.allCases
        if dataset.coalition.mail == nil {
            formats.removeAll { $0 == .eml }
            notes.append("coalition.yaml has no mail section, so there is no email to download")
        }
        var files: [String: Data] = [:]
        do {
            files = try renderer.render(digest, formats: formats)
        } catch {
            notes.append(error.description)
        }
        if let report = try? DonorReport.build(dataset: dataset, period: Period(month: month)) {
            files["report.xlsx"] = report.data
            notes += report.warnings
        }
        let html = files["digest.html"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        let view = renderer.view(for: digest)
        let sender = dataset.coalition.mail.flatMap { try? MailAddress(parsing: $0.from) }
        let preview = MonthPreview(
            files: files, encodedHTMLSize: DigestRenderer.encodedSize(html), notes: notes,
            sender: sender?.name ?? sender?.address ?? dataset.coalition.name, subject: view.subject,
            preheader: view.preheader)
        monthCache[month] = preview
        return (snapshot, preview)
    }

    /// The digest summary and workbook of a quarter or year.
    func period(_ period: Period) throws(PreviewProblem) -> (PreviewSnapshot, Digest, Data) {
        let snapshot = snapshot()
        guard let dataset = snapshot.dataset else {
            throw .broken(diagnostics: snapshot.diagnostics, templateError: snapshot.templateError)
        }
        // Within the record's reach: a far-off range would cost minutes.
        if let problem = dataset.reachProblem(first: period.first, last: period.last) {
            throw .outOfReach(problem)
        }
        let digest = Digest(dataset: dataset, period: period)
        if let cached = reportCache[period] { return (snapshot, digest, cached) }
        let data = (try? DonorReport.build(dataset: dataset, period: period).data) ?? Data()
        reportCache[period] = data
        return (snapshot, digest, data)
    }
}
