import CoalitionData
import DigestModel
import DigestRender
import Foundation
import ListState
import Wording

extension Project {
    /// What `digest check` found.
    public struct CheckResult: Sendable {
        /// Every problem: the data, the subject line, the templates, the
        /// newsletters' sizes, the member list.
        public var log: DiagnosticLog
        /// `members.csv: 40 members, 35 subscribed` when the list is sound:
        /// counts only, never an address.
        public var memberSummary: String?
        /// Who reads which language, and how many asked for one the
        /// coalition does not write in (counts only).
        public var languageSummary: String?
        /// Per month, what readers of the coalition's other languages will
        /// read in the original, and how many members they are.
        public var untranslated: [String] = []
        /// For each `mail.dkim` key that loads, the TXT record to publish.
        public var dkimRecords: [String] = []
    }

    /// Checks the data folder, the templates against it, every month's
    /// newsletter size and the member list, collecting every problem.
    public func check() async -> CheckResult {
        let result = load()
        var log = result.log
        var memberSummary: String?
        var languageLine: String?
        var untranslated: [String] = []
        guard let dataset = result.dataset else { return CheckResult(log: log, memberSummary: nil) }
        if let pattern = dataset.coalition.mail?.subject {
            do {
                _ = try DigestRenderer.subjectTemplate(pattern)
            } catch {
                if case .subject(_, let message) = error {
                    log.error(pattern.file, pattern.line, pattern.column, message)
                }
            }
        }
        var words: Words?
        do {
            let renderers = try renderers(languages: dataset.coalition.languages)
            words = renderers[dataset.coalition.language]?.words
            log.append(contentsOf: try sizeWarnings(dataset, renderers: renderers))
        } catch {
            // A template or catalogue that does not load is a problem like any other: listed with the rest.
            switch error {
            case .template(let problem): log.error(problem.file, problem.line, problem.column, problem.message)
            case .catalogue(let problem): log.error(problem.file, problem.line, problem.column, problem.message)
            default: log.error(templatesPath, 1, 1, error.description)
            }
        }
        log.append(languageProblems(dataset.coalition))
        let dkim = DKIMKeys(mail: dataset.coalition.mail, dataFolder: dataPath)
        log.append(dkim.log)
        if let webhooks = dataset.coalition.mail?.webhooks, !webhooks.isEmpty {
            log.append(WebhookKeys(webhooks, dataFolder: dataPath).log)
        }
        // The member list: its problems with the rest, and only counts
        // (never an address) when it is sound.
        let members = MemberList.load(path: MemberList.path(dataFolder: dataPath, coalition: dataset.coalition))
        log.append(members.log)
        if let list = members.members, let file = members.file {
            let subscribed = list.count { $0.receivesDigest }
            let number = { (value: Int) in words?.number(value) ?? String(value) }
            memberSummary =
                "\(file): \(number(list.count)) member\(list.count == 1 ? "" : "s"), \(number(subscribed)) subscribed"
            if let languages = languageSummary(list, coalition: dataset.coalition) {
                languageLine = "\(file): " + languages
            }
            var readers: [String: Int] = [:]
            for member in list where member.receivesDigest {
                readers[dataset.coalition.language(for: member), default: 0] += 1
            }
            untranslated = untranslatedReport(dataset, readers: readers)
            // The suppression list, when there is one (check never makes it).
            let readable: (any ListStore)?
            do {
                readable = try existingSuppressions(dataset.coalition)
            } catch {
                readable = nil
                log.error("coalition.yaml", 1, 1, "the state cannot be opened: \(error)")
            }
            if let readable {
                do {
                    let suppressed = try await readable.mailboxes()
                    let still = list.count { $0.receivesDigest && suppressed.contains($0.mailbox) }
                    if still > 0 {
                        log.warning(
                            file, 1, 1,
                            "\(number(still)) member\(still == 1 ? "" : "s") marked subscribed here \(still == 1 ? "is" : "are") on the suppression list (\(readable.location)) and will not be sent the digest; run digest members sync to write their status here"
                        )
                    }
                } catch {
                    log.error(readable.location, 1, 1, "the suppression list cannot be read: \(error)")
                }
            }
        }
        return CheckResult(
            log: log, memberSummary: memberSummary, languageSummary: languageLine, untranslated: untranslated,
            dkimRecords: dkim.records)
    }

    /// Each of the coalition's languages has a catalogue that holds up
    /// against the English one (``CatalogueCheck``).
    func languageProblems(_ coalition: Coalition) -> DiagnosticLog {
        var log = DiagnosticLog()
        let referencePath = (wordsPath as NSString).appendingPathComponent("en.po")
        let reference: Catalogue
        do {
            reference = try Catalogue(path: referencePath)
        } catch {
            // Loading the renderer has reported it already.
            return log
        }
        for language in coalition.languages where language != "en" {
            let path = Words.catalogueFile(folder: wordsPath, language: language)
            let catalogue: Catalogue
            do {
                catalogue = try Catalogue(path: path)
            } catch {
                log.error(
                    error.file, error.line, error.column,
                    FileManager.default.fileExists(atPath: path)
                        ? error.message
                        : "coalition.yaml's languages name \(language), but there is no catalogue for it; copy templates/words/en.po to \(language).po and translate it, or take \(language) out of languages"
                )
                continue
            }
            for problem in CatalogueCheck.problems(catalogue, reference: reference) {
                if problem.isError {
                    log.error(problem.file, problem.line, problem.column, problem.message)
                } else {
                    log.warning(problem.file, problem.line, problem.column, problem.message)
                }
            }
        }
        return log
    }

    /// Per month with something left untranslated, a line: "2019-06: in
    /// French (5 members) the notes of 1 call, 4 events and 3 actions stay
    /// in English; in Spanish (5 members) …". Only languages with readers.
    func untranslatedReport(_ dataset: CoalitionDataset, readers: [String: Int]) -> [String] {
        let coalition = dataset.coalition
        let others = coalition.languages.filter { $0 != coalition.language && readers[$0, default: 0] > 0 }
        guard !others.isEmpty else { return [] }
        let english = Locale(identifier: "en")
        func name(_ tag: String) -> String { english.localizedString(forLanguageCode: tag) ?? tag }
        let series = PetitionSeries(dataset.petition)
        var lines: [String] = []
        for month in dataset.reportableMonths.months {
            let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
            var parts: [String] = []
            for language in others {
                guard let missing = digest.localized(to: language).untranslated, !missing.isEmpty else { continue }
                let list = missing.summary
                let members = readers[language, default: 0]
                parts.append("in \(name(language)) (\(members) member\(members == 1 ? "" : "s")) \(list)")
            }
            if !parts.isEmpty {
                lines.append("\(month): " + parts.joined(separator: "; ") + " stay in \(name(coalition.language))")
            }
        }
        return lines
    }

    /// Who reads which language: "the digest goes out in English to 24,
    /// French to 6 and Spanish to 5; 9 of them asked for a language the
    /// coalition does not write in (ar, hi…) and get English". Nil when
    /// the coalition writes in one language and nobody asks for another.
    func languageSummary(_ members: [Member], coalition: Coalition) -> String? {
        let subscribed = members.filter(\.receivesDigest)
        var counts: [String: Int] = [:]
        var unserved: [String: Int] = [:]
        for member in subscribed {
            counts[coalition.language(for: member), default: 0] += 1
            if let asked = member.language.flatMap(LanguageTag.normalised), !coalition.languages.contains(asked) {
                unserved[asked, default: 0] += 1
            }
        }
        guard coalition.languages.count > 1 || !unserved.isEmpty else { return nil }
        let english = Locale(identifier: "en")
        func name(_ tag: String) -> String { english.localizedString(forLanguageCode: tag) ?? tag }
        let parts = coalition.languages.map { "\(name($0)) to \(counts[$0, default: 0])" }
        let list =
            parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "") : parts.joined()
        var line = "the digest goes out in " + list
        let others = unserved.values.reduce(0, +)
        if others > 0 {
            line +=
                "; \(others) of them asked for a language the coalition does not write in (\(unserved.keys.sorted().joined(separator: ", "))) and get \(name(coalition.language))"
        }
        return line
    }

    /// How many members the list holds and how many are subscribed; nil
    /// without a sound, non-empty list. Counts only: never an address.
    public func memberCounts(_ dataset: CoalitionDataset) -> (total: Int, subscribed: Int)? {
        let path = MemberList.path(dataFolder: dataPath, coalition: dataset.coalition)
        guard let members = MemberList.load(path: path).members, !members.isEmpty else { return nil }
        return (members.count, members.count { $0.receivesDigest })
    }

    /// Warnings for months whose newsletter, in any of the coalition's
    /// languages, passes ``DigestRenderer/htmlSizeWarning`` once encoded
    /// for mail (Gmail clips near 102 KB): a translation is longer or
    /// shorter than the original. Each names the file whose notes grew: the
    /// month's call file in that language when there is one.
    public func sizeWarnings(
        _ dataset: CoalitionDataset, renderers given: [String: DigestRenderer]? = nil
    ) throws(ProjectError) -> [Diagnostic] {
        let coalition = dataset.coalition
        let renderers: [String: DigestRenderer]
        if let given {
            renderers = given
        } else {
            renderers = try self.renderers(languages: coalition.languages)
        }
        var warnings: [Diagnostic] = []
        let series = PetitionSeries(dataset.petition)
        for month in dataset.reportableMonths.months {
            let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
            for language in coalition.languages {
                guard let renderer = renderers[language] else { continue }
                let html: String
                do {
                    html = try renderer.html(ViewValue(reflecting: try renderer.view(for: digest)))
                } catch {
                    throw .render(error)
                }
                let size = DigestRenderer.encodedSize(html)
                guard size > DigestRenderer.htmlSizeWarning else { continue }
                let file =
                    digest.call?.translations[language]?.file ?? digest.call?.file
                    ?? (templatesPath + "/digest.html.mustache")
                let which = language == coalition.language ? "" : " in \(LanguageNames.english(language))"
                let name = renderers[coalition.language]?.words.month(month) ?? month.description
                warnings.append(
                    Diagnostic(
                        file: file, line: 1, column: 1, severity: .warning,
                        message:
                            "the \(name) newsletter\(which) is \(size / 1024) KB once encoded for mail; Gmail clips messages near 102 KB, so shorten the notes (keep it under 90 KB)"
                    ))
            }
        }
        return warnings
    }
}
