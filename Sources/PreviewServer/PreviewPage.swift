import CoalitionData
import DigestApplication
import DigestModel
import Foundation

/// The preview's own pages: plain HTML5, styles and script from its own
/// routes (the Content-Security-Policy allows nothing inline), every value
/// escaped.
enum PreviewPage {
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// The frame of every page. `generation` lets the page reload itself
    /// when the data or templates change.
    static func page(title: String, generation: Int, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Coalition Digest preview</title>
        <link rel="stylesheet" href="/static/preview.css">
        <link rel="icon" href="data:,">
        <script src="/static/live.js" defer></script>
        </head>
        <body data-generation="\(generation)">
        <header><a href="/">Coalition Digest preview</a></header>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// The problems grouped by file, the files with errors first; in each,
    /// the errors, then the warnings, by line.
    static func diagnostics(_ list: [Diagnostic], templateError: (any Error & CustomStringConvertible)?) -> String {
        guard !list.isEmpty || templateError != nil else { return "" }
        func item(_ diagnostic: Diagnostic) -> String {
            "<li class=\"\(diagnostic.severity.rawValue)\"><code>\(escape(diagnostic.description))</code></li>"
        }
        var files: [String] = []
        var byFile: [String: [Diagnostic]] = [:]
        for diagnostic in list {
            if byFile[diagnostic.file] == nil { files.append(diagnostic.file) }
            byFile[diagnostic.file, default: []].append(diagnostic)
        }
        let hasErrors = { (file: String) in byFile[file, default: []].contains { $0.severity == .error } }
        files = files.filter(hasErrors) + files.filter { !hasErrors($0) }
        var groups: [String] = []
        if let templateError {
            groups.append(
                "<details class=\"file\" open><summary><strong>The templates</strong>: 1 error</summary><ul><li class=\"error\"><code>\(escape(templateError.description))</code></li></ul></details>"
            )
        }
        for file in files {
            let entries = byFile[file, default: []]
            let errors = entries.filter { $0.severity == .error }.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            let warnings = entries.filter { $0.severity != .error }.sorted {
                ($0.line, $0.column) < ($1.line, $1.column)
            }
            var counts: [String] = []
            if !errors.isEmpty { counts.append("\(errors.count) error\(errors.count == 1 ? "" : "s")") }
            if !warnings.isEmpty { counts.append("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")") }
            var lists = ""
            if !errors.isEmpty {
                lists += "<h3 class=\"error\">Errors</h3><ul>\(errors.map(item).joined(separator: "\n"))</ul>"
            }
            if !warnings.isEmpty {
                lists += "<h3 class=\"warning\">Warnings</h3><ul>\(warnings.map(item).joined(separator: "\n"))</ul>"
            }
            groups.append(
                "<details class=\"file\"\(errors.isEmpty ? "" : " open")><summary><strong>\(escape(file))</strong>: \(counts.joined(separator: ", "))</summary>\(lists)</details>"
            )
        }
        let errors = list.count { $0.severity == .error } + (templateError == nil ? 0 : 1)
        let heading =
            errors > 0
            ? "\(errors) problem\(errors == 1 ? "" : "s") to fix before anything can be sent"
            : "Warnings worth a look"
        return """
            <section class="problems"><h2>\(heading)</h2>
            <p>By file, errors first; each line names the file, line and column. Fix the file and this page updates by itself.</p>
            \(groups.joined(separator: "\n"))</section>
            """
    }

    /// What each language still lacks, item by item (folded).
    static func translationGaps(_ snapshot: PreviewSnapshot) -> String {
        let languages = snapshot.languages.filter { !(snapshot.translationGaps[$0] ?? []).isEmpty }
        guard !languages.isEmpty else { return "" }
        let sections = languages.map { language -> String in
            let gaps = snapshot.translationGaps[language] ?? []
            let name = escape(PreviewSnapshot.englishName(language))
            let items = gaps.map { "<li>\(escape($0))</li>" }.joined(separator: "\n")
            return
                "<details class=\"gaps\" lang=\"en\"><summary><strong>\(name)</strong>: \(gaps.count) thing\(gaps.count == 1 ? "" : "s") not translated</summary><ul>\(items)</ul></details>"
        }
        return """
            <section class="translation-gaps"><h2>Translation gaps</h2>
            <p>What readers in each language get in the original, with the file to translate it in and the first month that shows it.</p>
            \(sections.joined(separator: "\n"))</section>
            """
    }

    static func index(_ snapshot: PreviewSnapshot) -> String {
        var body = "<h1>Every report before it goes out</h1>\n"
        body += diagnostics(snapshot.diagnostics, templateError: snapshot.templateError)
        if snapshot.isPartial {
            body +=
                "<p class=\"partial\">While the data has errors, the months they do not touch preview from the rest of it (the rows with errors left out); the others wait for the fix. <code>digest render</code> and <code>digest send</code> write nothing until every error is fixed.</p>\n"
        }
        if let dataset = snapshot.previewable {
            let rows = snapshot.months.map { month -> String in
                let calls = dataset.calls.filter { month.contains($0.date) }
                var detail =
                    calls.isEmpty
                    ? "No call" : calls.map { snapshot.callText($0) }.joined(separator: "; ")
                if snapshot.isPartial && snapshot.blockedMonths.contains(month) { detail += " · waits for a fix" }
                return
                    "<li><a href=\"/month/\(month)\">\(escape(snapshot.monthText(month)))</a> <span>\(escape(detail))</span></li>"
            }
            // Donor workbooks: each year, then its quarters, newest first.
            var years: [String] = []
            for year in snapshot.periods.filter({ $0.kind == .year }) {
                let quarters = snapshot.periods.filter { $0.kind == .quarter && $0.first.year == year.first.year }
                    .map { "<a href=\"/period/\($0)\">\(escape(String($0.description.suffix(2))))</a>" }
                years.append(
                    "<li><a href=\"/period/\(year)\">\(escape(snapshot.periodText(year)))</a> <span class=\"quarters\">\(quarters.joined(separator: " "))</span></li>"
                )
            }
            let members =
                snapshot.memberCounts.map {
                    " Members: \(snapshot.numberText($0.total)), \(snapshot.numberText($0.subscribed)) subscribed."
                } ?? ""
            let first = snapshot.months.last.map(\.description) ?? ""
            let last = snapshot.months.first.map(\.description) ?? ""
            body += """
                <div class="columns">
                <section><h2>Monthly digests</h2>
                <p><a href="/site/">The web archive</a>, as visitors will see it once published.\(members)</p>
                <ul class="list">\(rows.joined(separator: "\n"))</ul></section>
                <section><h2>Donor workbooks</h2><ul class="list">\(years.joined(separator: "\n"))</ul>
                <form class="range" method="get" action="/period">
                <label for="range">Any months, such as 2019-01..2019-06</label>
                <input id="range" name="range" required pattern="\\d{4}-\\d{2}(\\.\\.\\d{4}-\\d{2})?" placeholder="\(escape(first))..\(escape(last))">
                <button type="submit">Open</button>
                </form></section>
                </div>
                """
            body += translationGaps(snapshot)
        }
        return page(title: "All reports", generation: snapshot.generation, body: body)
    }

    static func period(_ period: Period, digest: Digest, snapshot: PreviewSnapshot) -> String {
        let months = digest.months
        var figures: [(String, String)] = [
            ("Calls held", snapshot.numberText(months.reduce(0) { $0 + $1.callsHeld })),
            ("People attending calls", snapshot.numberText(months.reduce(0) { $0 + ($1.attended ?? 0) })),
            ("New commitments", snapshot.numberText(digest.commitments.new.count)),
            ("Commitments tracked to date", snapshot.numberText(digest.commitments.total)),
            ("VNR countries engaged", snapshot.numberText(digest.vnr.engagedCount)),
        ]
        if let petition = digest.petition {
            figures.append(("Signatures at the end", snapshot.numberText(petition.total)))
            figures.append(("New signatures", snapshot.numberText(petition.new)))
            figures.append(("Share of the goal", snapshot.percentText(petition.percentOfGoalTenths)))
        }
        let rows = figures.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined(separator: "\n")
        let monthRows = months.map { figures -> String in
            let cells = [
                snapshot.numberText(figures.callsHeld), figures.attended.map { snapshot.numberText($0) } ?? "—",
                snapshot.numberText(figures.newCommitments), snapshot.numberText(figures.signatures),
                snapshot.numberText(figures.newSignatures),
            ].map { "<td>\(escape($0))</td>" }.joined()
            return
                "<tr><th><a href=\"/month/\(figures.month)\">\(escape(snapshot.monthText(figures.month)))</a></th>\(cells)</tr>"
        }.joined(separator: "\n")
        let total = """
            <tr class="total"><th>Total</th>\([
                snapshot.numberText(months.reduce(0) { $0 + $1.callsHeld }),
                snapshot.numberText(months.reduce(0) { $0 + ($1.attended ?? 0) }),
                snapshot.numberText(months.reduce(0) { $0 + $1.newCommitments }),
                snapshot.numberText(months.last?.signatures ?? 0),
                snapshot.numberText(months.reduce(0) { $0 + $1.newSignatures }),
            ].map { "<td>\(escape($0))</td>" }.joined())</tr>
            """
        let body = """
            <nav class="steps"><a href="/">← All reports</a></nav>
            <h1>\(escape(snapshot.periodText(period)))</h1>
            \(diagnostics(snapshot.diagnostics, templateError: nil))
            <p class="downloads"><a href="/period/\(period)/report.xlsx">Donor workbook (.xlsx)</a></p>
            <table class="figures">\(rows)</table>
            <h2>Month by month</h2>
            <table class="months">
            <thead><tr><th>Month</th><th>Calls</th><th>Attended</th><th>New commitments</th><th>Signatures</th><th>New signatures</th></tr></thead>
            <tbody>\(monthRows)</tbody>
            <tfoot>\(total)</tfoot>
            </table>
            <p class="note">Signatures in the Total row: the count at the end of the period; the other totals add the months up. A dash: attendance not recorded.</p>
            """
        return page(title: snapshot.periodText(period), generation: snapshot.generation, body: body)
    }

    static func problem(_ problem: PreviewProblem, generation: Int) -> String {
        switch problem {
        case .broken(let list, let templateError):
            return page(
                title: "Problems in the data", generation: generation,
                body: "<h1>This report cannot be shown yet</h1>\n" + diagnostics(list, templateError: templateError))
        case .notFound:
            return page(
                title: "Not found", generation: generation,
                body: "<h1>Nothing here</h1><p>There is no such page. <a href=\"/\">See every report</a>.</p>")
        case .failed(let error):
            // A file of the project at fault is named to be fixed; anything
            // else (a full disk, permissions) is the machine's.
            let advice =
                error.isInTheProjectsFiles
                ? "Fix the file it names; this page updates by itself."
                : "Check the disk and the output folder's permissions, then reload this page."
            return page(
                title: "Could not be made", generation: generation,
                body:
                    "<h1>This report could not be made</h1><p><code>\(escape(error.description))</code></p><p>\(advice) <a href=\"/\">See every report</a>.</p>"
            )
        case .outOfReach(let why):
            return page(
                title: "Outside the record", generation: generation,
                body:
                    "<h1>No report for that period</h1><p>The period is too far from the data: \(escape(why)).</p><p><a href=\"/\">See every report</a>.</p>"
            )
        }
    }
}
