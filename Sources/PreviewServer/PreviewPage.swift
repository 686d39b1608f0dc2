import CoalitionData
import DigestModel
import DigestRender
import Foundation

/// The preview's own pages: plain HTML5, styles and script from its own
/// routes (the Content-Security-Policy allows nothing inline), every value
/// escaped.
enum PreviewPage {
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

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

    static func diagnostics(_ list: [Diagnostic], templateError: TemplateError?) -> String {
        var items = list.map { diagnostic in
            "<li class=\"\(diagnostic.severity.rawValue)\"><code>\(escape(diagnostic.description))</code></li>"
        }
        if let templateError {
            items.insert("<li class=\"error\"><code>\(escape(templateError.description))</code></li>", at: 0)
        }
        guard !items.isEmpty else { return "" }
        let errors = list.count { $0.severity == .error } + (templateError == nil ? 0 : 1)
        let heading =
            errors > 0
            ? "\(errors) problem\(errors == 1 ? "" : "s") to fix before anything can be sent"
            : "Warnings worth a look"
        return """
            <section class="problems"><h2>\(heading)</h2>
            <p>Each line names the file, line and column. Fix the file and this page updates by itself.</p>
            <ul>\(items.joined(separator: "\n"))</ul></section>
            """
    }

    static func index(_ snapshot: PreviewSnapshot) -> String {
        var body = "<h1>Every report before it goes out</h1>\n"
        body += diagnostics(snapshot.diagnostics, templateError: snapshot.templateError)
        if let dataset = snapshot.dataset {
            let rows = snapshot.months.map { month -> String in
                let call = dataset.calls.first { month.contains($0.date) }
                let detail = call.map { $0.title ?? "Call on \(Phrasing.date($0.date))" } ?? "No call"
                return
                    "<li><a href=\"/month/\(month)\">\(escape(Phrasing.month(month)))</a> <span>\(escape(detail))</span></li>"
            }
            let periods = snapshot.periods.map { period in
                "<li><a href=\"/period/\(period)\">\(escape(period.label))</a></li>"
            }
            body += """
                <div class="columns">
                <section><h2>Monthly digests</h2><ul class="list">\(rows.joined(separator: "\n"))</ul></section>
                <section><h2>Donor reports</h2><ul class="list">\(periods.joined(separator: "\n"))</ul></section>
                </div>
                """
        }
        return page(title: "All reports", generation: snapshot.generation, body: body)
    }

    static func month(_ month: YearMonth, preview: MonthPreview, snapshot: PreviewSnapshot) -> String {
        let base = "/month/\(month)"
        let size = preview.encodedHTMLSize
        let percent = min(100, size * 100 / (102 * 1024))
        let sizeClass = size > DigestRenderer.htmlSizeWarning ? "bar over" : "bar"
        let text = preview.files["digest.txt"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        let json = preview.files["digest.json"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        var downloads: [String] = []
        for (file, label) in [
            ("digest.eml", "Email (.eml)"), ("report.xlsx", "Donor workbook (.xlsx)"),
            ("digest.html", "Newsletter (.html)"),
            ("digest.txt", "Plain text (.txt)"), ("digest.json", "View model (.json)"),
        ] where preview.files[file] != nil {
            downloads.append("<a class=\"button\" href=\"\(base)/\(file)?download=1\">\(label)</a>")
        }
        let notes = preview.notes.map { "<li><code>\(escape($0))</code></li>" }.joined()
        let body = """
            <h1>\(escape(Phrasing.month(month)))</h1>
            \(diagnostics(snapshot.diagnostics, templateError: nil))
            \(notes.isEmpty ? "" : "<section class=\"problems\"><ul>\(notes)</ul></section>")
            <p class="downloads">\(downloads.joined(separator: " "))</p>
            <p>The newsletter is <strong>\(size / 1024) KB</strong> once encoded for mail; Gmail clips messages near 102 KB.</p>
            <div class="\(sizeClass)"><span class="w\(percent)"></span></div>
            <h2>Newsletter</h2>
            <div class="frames">
            <figure><figcaption>Desktop, 600 px</figcaption><iframe class="desktop" src="\(base)/digest.html" title="Newsletter at 600 pixels" sandbox=""></iframe></figure>
            <figure><figcaption>Phone, 375 px</figcaption><iframe class="phone" src="\(base)/digest.html" title="Newsletter at 375 pixels" sandbox=""></iframe></figure>
            </div>
            <h2>Plain text</h2>
            <pre class="text">\(escape(text))</pre>
            <h2>View model (digest.json)</h2>
            <pre class="json">\(escape(json))</pre>
            """
        return page(title: Phrasing.month(month), generation: snapshot.generation, body: body)
    }

    static func period(_ period: Period, digest: Digest, snapshot: PreviewSnapshot) -> String {
        let months = digest.months
        var figures: [(String, String)] = [
            ("Calls held", Phrasing.number(months.reduce(0) { $0 + $1.callsHeld })),
            ("People attending calls", Phrasing.number(months.reduce(0) { $0 + ($1.attended ?? 0) })),
            ("New commitments", Phrasing.number(digest.commitments.new.count)),
            ("Commitments tracked to date", Phrasing.number(digest.commitments.total)),
            ("VNR countries engaged", Phrasing.number(digest.vnr.engagedCount)),
        ]
        if let petition = digest.petition {
            figures.append(("Signatures at the end", Phrasing.number(petition.total)))
            figures.append(("New signatures", Phrasing.number(petition.new)))
            figures.append(("Share of the goal", Phrasing.tenths(petition.percentOfGoalTenths) + "%"))
        }
        let rows = figures.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined(separator: "\n")
        let body = """
            <h1>\(escape(period.label))</h1>
            \(diagnostics(snapshot.diagnostics, templateError: nil))
            <p class="downloads"><a class="button" href="/period/\(period)/report.xlsx">Donor workbook (.xlsx)</a></p>
            <table class="figures">\(rows)</table>
            """
        return page(title: period.label, generation: snapshot.generation, body: body)
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
        }
    }
}
