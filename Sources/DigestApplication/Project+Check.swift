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
    }

    /// Checks the data folder, the templates against it, every month's
    /// newsletter size and the member list, collecting every problem.
    public func check() -> CheckResult {
        let result = load()
        var log = result.log
        var memberSummary: String?
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
            let renderer = try renderer()
            words = renderer.words
            log.append(contentsOf: try sizeWarnings(dataset, renderer: renderer))
        } catch {
            // A template or catalogue that does not load is a problem like any other: listed with the rest.
            switch error {
            case .template(let problem): log.error(problem.file, problem.line, problem.column, problem.message)
            case .catalogue(let problem): log.error(problem.file, problem.line, problem.column, problem.message)
            default: log.error(templatesPath, 1, 1, error.description)
            }
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
            // The suppression list, when there is one (check never makes it).
            let state = stateFolder(dataset.coalition)
            if FileManager.default.fileExists(atPath: state.suppressionsPath) {
                do {
                    let suppressed = try SuppressionList(path: state.suppressionsPath).mailboxes()
                    let still = list.count { $0.receivesDigest && suppressed.contains($0.mailbox) }
                    if still > 0 {
                        log.warning(
                            file, 1, 1,
                            "\(number(still)) member\(still == 1 ? "" : "s") marked subscribed here \(still == 1 ? "is" : "are") on the suppression list (\(state.suppressionsPath)) and will not be sent the digest; run digest members sync to write their status here"
                        )
                    }
                } catch {
                    log.error(state.suppressionsPath, 1, 1, "the suppression list cannot be read: \(error)")
                }
            }
        }
        return CheckResult(log: log, memberSummary: memberSummary)
    }

    /// How many members the list holds and how many are subscribed; nil
    /// without a sound, non-empty list. Counts only: never an address.
    public func memberCounts(_ dataset: CoalitionDataset) -> (total: Int, subscribed: Int)? {
        let path = MemberList.path(dataFolder: dataPath, coalition: dataset.coalition)
        guard let members = MemberList.load(path: path).members, !members.isEmpty else { return nil }
        return (members.count, members.count { $0.receivesDigest })
    }

    /// Warnings for months whose newsletter, once encoded for mail, passes
    /// ``DigestRenderer/htmlSizeWarning`` (Gmail clips near 102 KB). Each
    /// names the month's call file, whose notes are what usually grows.
    public func sizeWarnings(_ dataset: CoalitionDataset, renderer given: DigestRenderer? = nil) throws(ProjectError)
        -> [Diagnostic]
    {
        let renderer: DigestRenderer
        if let given {
            renderer = given
        } else {
            renderer = try self.renderer()
        }
        var warnings: [Diagnostic] = []
        let series = PetitionSeries(dataset.petition)
        for month in dataset.reportableMonths.months {
            let digest = Digest(dataset: dataset, period: Period(month: month), series: series)
            let html: String
            do {
                html = try renderer.html(ViewValue(reflecting: renderer.view(for: digest)))
            } catch {
                throw .render(error)
            }
            let size = DigestRenderer.encodedSize(html)
            guard size > DigestRenderer.htmlSizeWarning else { continue }
            let file = digest.call?.file ?? (templatesPath + "/digest.html.mustache")
            warnings.append(
                Diagnostic(
                    file: file, line: 1, column: 1, severity: .warning,
                    message:
                        "the \(renderer.words.month(month)) newsletter is \(size / 1024) KB once encoded for mail; Gmail clips messages near 102 KB, so shorten the notes (keep it under 90 KB)"
                ))
        }
        return warnings
    }
}
