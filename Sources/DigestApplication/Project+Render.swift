import CoalitionData
import DigestModel
import DigestRender
import DigestSend
import DonorReport
import Foundation
import Synchronization
import WholeFiles

extension Project {
    /// Which months to render.
    public enum MonthChoice: Sendable, Equatable {
        /// The latest month with a call (``defaultMonth(_:)``).
        case latest
        /// One month.
        case month(YearMonth)
        /// Every month of the record (``CoalitionDataset/reportableMonths``).
        case all
    }

    /// Months chosen, and what the person should know about the choice.
    public struct MonthSelection: Sendable {
        /// The months, in order.
        public var months: [YearMonth]
        /// Warnings, one a line.
        public var warnings: [String]
    }

    /// The months `choice` names in `dataset`.
    ///
    /// - Throws: ``ProjectError/nothingToDo(_:)`` when there is no month.
    public func months(_ choice: MonthChoice, in dataset: CoalitionDataset) throws(ProjectError) -> MonthSelection {
        switch choice {
        case .month(let month): return MonthSelection(months: [month], warnings: [])
        case .latest:
            guard let latest = Self.defaultMonth(dataset) else {
                throw .nothingToDo(
                    "there is no call in \(dataPath)/calls, so name a month: digest render --month YYYY-MM")
            }
            return MonthSelection(months: [latest], warnings: [])
        case .all:
            let reportable = dataset.reportableMonths
            guard !reportable.months.isEmpty else {
                throw .nothingToDo("the data has no dated records, so there is no month to render")
            }
            var warnings: [String] = []
            if !reportable.skipped.isEmpty {
                let list = reportable.skipped.prefix(12).map(\.description).joined(separator: ", ")
                let more = reportable.skipped.count > 12 ? " and \(reportable.skipped.count - 12) more" : ""
                warnings.append(
                    "warning: --all leaves out \(reportable.skipped.count) month\(reportable.skipped.count == 1 ? "" : "s") with data more than a year after the last regular call: \(list)\(more); check their dates, or render one with --month"
                )
            }
            return MonthSelection(months: reportable.months, warnings: warnings)
        }
    }

    /// The formats to write, and whether the workbook is one of them.
    public struct FormatSelection: Sendable {
        /// The digest's formats.
        public var formats: [DigestRenderer.Format]
        /// Whether `report.xlsx` is written too.
        public var workbook: Bool
        /// Warnings, one a line.
        public var warnings: [String]
        /// The languages to write: the coalition's own as `digest.html`,
        /// each other as `digest.fr.html` (``Project/fileName(_:language:main:)``).
        public var languages: [String] = [Project.defaultLanguage]
        /// The coalition's own language.
        public var mainLanguage = Project.defaultLanguage

        /// The file names this selection is responsible for in a month's
        /// folder: the digest's in each language, the workbook once, in the
        /// coalition's language (donors' copies in another come from
        /// `digest report --language`).
        public var fileNames: [String] {
            let names = formats.map(\.fileName)
            return languages.flatMap { language in
                names.map { Project.fileName($0, language: language, main: mainLanguage) }
            } + (workbook ? [Project.workbookName] : [])
        }
    }

    /// A file's name in `language`: as it is in the coalition's own
    /// language (`main`), else with the tag before its extension
    /// (`digest.fr.html`, `next-call.es.ics`, `report.fr.xlsx`).
    public static func fileName(_ name: String, language: String, main: String) -> String {
        guard language != main else { return name }
        guard let dot = name.lastIndex(of: ".") else { return name + "." + language }
        return name[..<dot] + "." + language + name[dot...]
    }

    /// Which languages to write.
    public enum LanguageChoice: Sendable, Equatable {
        /// The coalition's own (`language:` in `coalition.yaml`).
        case main
        /// These, each one of the coalition's `languages:`.
        case these([String])
        /// Every one of the coalition's `languages:`.
        case all
    }

    /// The languages `choice` names for `coalition`.
    ///
    /// - Throws: ``ProjectError/format(_:)`` for a language the coalition
    ///   does not write in.
    public static func languages(_ choice: LanguageChoice, for coalition: Coalition) throws(ProjectError) -> [String] {
        switch choice {
        case .main: return [coalition.language]
        case .all: return coalition.languages
        case .these(let asked):
            var result: [String] = []
            for text in asked {
                guard let tag = LanguageTag.normalised(text), coalition.languages.contains(tag) else {
                    throw .format(
                        "--language \(text): the coalition writes in \(coalition.languages.joined(separator: ", ")) (languages: in coalition.yaml); add it there, with its catalogue templates/words/\(text).po"
                    )
                }
                if !result.contains(tag) { result.append(tag) }
            }
            return result
        }
    }

    /// The formats to write for `dataset`: those asked for, or every one.
    ///
    /// A coalition without `mail:` settings gets no `digest.eml`: left out
    /// with a warning when no format was named, refused when it was.
    ///
    /// - Parameter asked: the formats named (``DigestRenderer/Format`` and
    ///   the workbook), or nil for all.
    public func formats(
        asked: (formats: [DigestRenderer.Format], workbook: Bool)?, for dataset: CoalitionDataset,
        languages: LanguageChoice = .main
    ) throws(ProjectError) -> FormatSelection {
        var selection = FormatSelection(
            formats: asked?.formats ?? DigestRenderer.Format.allCases, workbook: asked?.workbook ?? true, warnings: [])
        selection.languages = try Self.languages(languages, for: dataset.coalition)
        selection.mainLanguage = dataset.coalition.language
        let (formats, dropped) = Self.emailOnlyWithMail(selection.formats, dataset.coalition)
        if dropped {
            guard asked == nil else {
                throw .format(
                    "coalition.yaml has no mail section (from, to, unsubscribe), so digest.eml cannot be written")
            }
            selection.formats = formats
            selection.warnings.append("warning: coalition.yaml has no mail section, so digest.eml is not written")
        }
        return selection
    }

    /// The one place of the rule "no `digest.eml` without `mail:`
    /// settings": `formats` without the email when the coalition has none,
    /// and whether it was taken out.
    static func emailOnlyWithMail(
        _ formats: [DigestRenderer.Format], _ coalition: Coalition
    ) -> (formats: [DigestRenderer.Format], dropped: Bool) {
        guard coalition.mail == nil, formats.contains(.eml) else { return (formats, false) }
        return (formats.filter { $0 != .eml }, true)
    }

    /// What a month's render made: each file's bytes, and the warnings.
    public struct RenderedMonth: Sendable {
        /// The month.
        public var month: YearMonth
        /// Its files, by file name.
        public var files: [String: Data]
        /// Warnings (text cut to fit the workbook), one a line.
        public var warnings: [String]
    }

    /// Renders `months` one after another in memory, handing each month's
    /// files to `body` before the next is rendered (so `render --all` holds
    /// one month in memory). Nothing is written.
    ///
    /// - Parameter progress: called before each month with its position.
    public func render(
        _ dataset: CoalitionDataset, months: [YearMonth], selection: FormatSelection,
        progress: (YearMonth, Int) -> Void = { _, _ in },
        _ body: (RenderedMonth) throws(ProjectError) -> Void
    ) throws(ProjectError) {
        let renderers = try renderers(roots: Self.digestTemplates, languages: selection.languages)
        let series = PetitionSeries(dataset.petition)
        for (index, month) in months.enumerated() {
            progress(month, index)
            let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
            var rendered = RenderedMonth(month: month, files: [:], warnings: [])
            // Each language is rendered on its own (they share only read-only
            // inputs), spread over the machine's cores; results are merged in
            // the languages' order, so the bytes never depend on timing.
            // The month's workbook is one more task, in the coalition's language.
            let languages = selection.languages.filter { renderers[$0] != nil }
            let tasks = languages.count + (selection.workbook ? 1 : 0)
            let results = Mutex<[Result<RenderedMonth, ProjectError>?]>(Array(repeating: nil, count: tasks))
            DispatchQueue.concurrentPerform(iterations: tasks) { position in
                let result = Result { () throws(ProjectError) -> RenderedMonth in
                    guard position < languages.count else {
                        let report = try report(
                            dataset, period: Period(month: month), series: series, language: selection.mainLanguage)
                        return RenderedMonth(
                            month: month, files: [Self.workbookName: report.data],
                            warnings: report.warnings.map { "warning: \($0)" })
                    }
                    let language = languages[position]
                    return try renderLanguage(
                        dataset, digest: digest, month: month, series: series, language: language,
                        renderer: renderers[language], selection: selection)
                }
                results.withLock { $0[position] = result }
            }
            for result in results.withLock({ $0 }) {
                guard let result else { continue }
                let part = try result.get()
                rendered.files.merge(part.files) { _, new in new }
                rendered.warnings += part.warnings
            }
            try body(rendered)
        }
    }

    /// One language's files of `month`, named for the month's folder.
    private func renderLanguage(
        _ dataset: CoalitionDataset, digest: Digest, month: YearMonth, series: PetitionSeries, language: String,
        renderer: DigestRenderer?, selection: FormatSelection
    ) throws(ProjectError) -> RenderedMonth {
        var rendered = RenderedMonth(month: month, files: [:], warnings: [])
        guard let renderer else { return rendered }
        func name(_ file: String) -> String { Self.fileName(file, language: language, main: selection.mainLanguage) }
        do {
            for (file, data) in try renderer.render(digest, formats: selection.formats) {
                rendered.files[name(file)] = data
            }
        } catch {
            throw .render(error)
        }
        return rendered
    }

    /// Renders `months` in memory and returns them all (tests and small jobs).
    public func render(
        _ dataset: CoalitionDataset, months: [YearMonth], formats: [DigestRenderer.Format], workbook: Bool = false
    ) throws(ProjectError) -> [RenderedMonth] {
        var result: [RenderedMonth] = []
        try render(
            dataset, months: months, selection: FormatSelection(formats: formats, workbook: workbook, warnings: [])
        ) { month throws(ProjectError) in result.append(month) }
        return result
    }

    /// What `digest render` did.
    public struct RenderResult: Sendable {
        /// The paths written, in order.
        public var written: [String]
        /// Warnings, one a line.
        public var warnings: [String]
        /// The paths whose bytes were already what the render made: left
        /// alone (same inode, same time), in order.
        public var unchanged: [String] = []
        /// How many months were rendered.
        public var months = 0
    }

    /// Renders `months` and writes each into `output/<month>/` as soon as
    /// it is ready (``write(_:owned:)``): a month's files change together,
    /// and a template or data error stops the run before its month is
    /// written.
    public func renderAndWrite(
        _ dataset: CoalitionDataset, months: [YearMonth], selection: FormatSelection,
        progress: (YearMonth, Int) -> Void = { _, _ in }
    ) throws(ProjectError) -> RenderResult {
        var result = RenderResult(written: [], warnings: [])
        try render(dataset, months: months, selection: selection, progress: progress) {
            rendered throws(ProjectError) in
            result.warnings += rendered.warnings
            result.months += 1
            let name = rendered.month.description
            // A month whose files are already these bytes is left alone, as
            // the archive leaves its unchanged pages.
            if let same = unchangedFiles(name, files: rendered.files, owned: selection.fileNames) {
                result.unchanged += same
            } else {
                result.written += try write([(name, rendered.files)], owned: selection.fileNames)
            }
        }
        return result
    }

    /// Writes rendered files to `output/<name>/`: each folder's set changes
    /// as one (``FolderSwap``), and the other files in it stay. A folder in
    /// which `digest send` is running is not replaced: the send's ledger
    /// could lose its last writes.
    ///
    /// - Parameter owned: the file names the render is responsible for; one
    ///   it did not make this time is removed from the folder.
    /// - Returns: the paths written, in order.
    @discardableResult
    public func write(_ folders: [(name: String, files: [String: Data])], owned: [String] = []) throws(ProjectError)
        -> [String]
    {
        let output = FolderSwap(root: outputPath, guardFolder: Self.waitForSend)
        var written: [String] = []
        for folder in folders {
            do {
                written += try output.replace(
                    folder.name, files: folder.files, removing: Set(owned).subtracting(folder.files.keys))
            } catch {
                throw .output(error)
            }
        }
        return written
    }

    /// The paths of `output/<name>/` when every one of `files` is there
    /// with exactly these bytes and no other owned file is left to remove;
    /// nil when anything would change.
    func unchangedFiles(_ name: String, files: [String: Data], owned: [String]) -> [String]? {
        let folder = (outputPath as NSString).appendingPathComponent(name)
        let manager = FileManager.default
        for stale in Set(owned).subtracting(files.keys)
        where manager.fileExists(atPath: (folder as NSString).appendingPathComponent(stale)) {
            return nil
        }
        var paths: [String] = []
        for (file, data) in files.sorted(by: { $0.key < $1.key }) {
            let path = (folder as NSString).appendingPathComponent(file)
            guard let existing = manager.contents(atPath: path), existing == data else { return nil }
            paths.append(path)
        }
        return paths
    }

    /// The month folder's guard: refuses while a send of that month holds
    /// its lock, and holds the lock during the swap otherwise.
    @Sendable static func waitForSend(_ folder: String) throws(WriteError) -> AnyObject? {
        let lockPath = (folder as NSString).appendingPathComponent(MonthSend.lockName)
        guard FileManager.default.fileExists(atPath: lockPath) else { return nil }
        let lock: SendLock?
        do throws(SendError) {
            lock = try SendLock(path: lockPath)
        } catch {
            throw WriteError(path: lockPath, reason: .inTheWay(error.description))
        }
        guard let lock else {
            throw WriteError(
                path: folder,
                reason: .inTheWay("digest send is sending this month now; render it again when the send has finished"))
        }
        return lock
    }

    /// One month rendered in memory for the preview: every file it can
    /// have, and notes on what is missing and why.
    public struct MonthFiles: Sendable {
        /// The files, by name.
        public var files: [String: Data]
        /// What could not be made, and warnings, one a line.
        public var notes: [String]
        /// Why the workbook could not be made, when it could not.
        public var workbookError: ProjectError?
    }

    /// Every file of `month`, in memory, with the same policy as `render`:
    /// no `digest.eml` without `mail:` settings (a note says so), and the
    /// workbook assembled in `temporaryFolder`.
    public func monthFiles(
        _ dataset: CoalitionDataset, month: YearMonth, renderer: DigestRenderer, temporaryFolder: String
    ) -> MonthFiles {
        let digest = Digest(dataset: dataset, period: Period(month: month))
        var notes: [String] = []
        let (formats, dropped) = Self.emailOnlyWithMail(DigestRenderer.Format.allCases, dataset.coalition)
        if dropped { notes.append("coalition.yaml has no mail section, so there is no email to download") }
        var files: [String: Data] = [:]
        do {
            files = try renderer.render(digest, formats: formats)
        } catch {
            notes.append(error.description)
        }
        var workbookError: ProjectError?
        do {
            let report = try report(
                dataset, period: Period(month: month), temporaryFolder: temporaryFolder,
                language: renderer.words.language)
            files[Self.workbookName] = report.data
            notes += report.warnings
        } catch {
            workbookError = error
            notes.append(error.description)
        }
        return MonthFiles(files: files, notes: notes, workbookError: workbookError)
    }
}
