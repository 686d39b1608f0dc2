import CoalitionData
import DigestApplication
import DigestModel
import Foundation

extension PreviewPage {
    /// A member's own copy on the month's page: the copy, or why not.
    enum Personal {
        case copy(line: Int, PersonalCopy)
        case problem(line: Int, PreviewProblem)
    }

    /// A month as staff check it: the message as an inbox lists it, the
    /// newsletter at two widths, the plain text, the problems that touch
    /// the month, plain download links, and the view model folded away for
    /// template authors.
    static func month(
        _ month: YearMonth, preview: MonthPreview, snapshot: PreviewSnapshot, personal: Personal? = nil
    ) -> String {
        let base = "/month/\(month)"
        let main = snapshot.dataset?.coalition.language ?? preview.language
        // Files of another language than the coalition's carry ?lang=.
        let query = preview.language == main ? "" : "?lang=\(preview.language)"
        let also = query.isEmpty ? "?" : query + "&"
        let size = preview.encodedHTMLSize
        let percent = min(100, size * 100 / (102 * 1024))
        let sizeClass = size > PreviewSnapshot.htmlSizeWarning ? "bar over" : "bar"
        let text = preview.files["digest.txt"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        let json = preview.files["digest.json"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        var downloads: [String] = []
        for (file, label) in [
            ("digest.eml", "Email (.eml)"), ("report.xlsx", "Donor workbook (.xlsx)"),
            ("digest.html", "Newsletter (.html)"), ("digest.txt", "Plain text (.txt)"),
            ("next-call.ics", "Next call (.ics)"),
        ] where preview.files[file] != nil {
            downloads.append("<a href=\"\(base)/\(file)\(also)download=1\">\(label)</a>")
        }
        let notes = preview.notes.map { "<li><code>\(escape($0))</code></li>" }.joined()
        let months = snapshot.months  // newest first
        let index = months.firstIndex(of: month)
        let newer = index.flatMap { $0 > 0 ? months[$0 - 1] : nil }
        let older = index.flatMap { $0 + 1 < months.count ? months[$0 + 1] : nil }
        var steps: [String] = []
        if let older {
            steps.append("<a rel=\"prev\" href=\"/month/\(older)\">← \(escape(snapshot.monthText(older)))</a>")
        }
        steps.append("<a href=\"/\">All reports</a>")
        if let newer {
            steps.append("<a rel=\"next\" href=\"/month/\(newer)\">\(escape(snapshot.monthText(newer))) →</a>")
        }
        // The month in each of the coalition's languages, and what is left untranslated in this one.
        var switcher = ""
        if snapshot.languages.count > 1 {
            let items = snapshot.languages.map { tag -> String in
                let name = escape(PreviewSnapshot.nativeName(tag))
                if tag == preview.language { return "<strong lang=\"\(tag)\" aria-current=\"page\">\(name)</strong>" }
                let href = tag == main ? base : base + "?lang=" + tag
                return "<a href=\"\(href)\" hreflang=\"\(tag)\" lang=\"\(tag)\">\(name)</a>"
            }
            switcher =
                "<nav class=\"languages\" aria-label=\"Languages\">Language: \(items.joined(separator: " · "))</nav>"
        }
        let untranslated =
            preview.untranslated.map {
                "<p class=\"untranslated\">Not yet translated into \(escape(PreviewSnapshot.englishName(preview.language))): \(escape($0)).</p>"
            } ?? ""
        let body = """
            <nav class="steps">\(steps.joined(separator: " "))</nav>
            <h1>\(escape(snapshot.monthText(month)))</h1>
            \(switcher)
            \(untranslated)
            \(partialNote(snapshot))
            \(diagnostics(snapshot.problems(touching: month), templateError: nil))
            \(notes.isEmpty ? "" : "<section class=\"problems\"><ul>\(notes)</ul></section>")
            <section class="inbox" aria-label="As an inbox lists it">
            <p class="sender">\(escape(preview.sender))</p>
            <p class="subject">\(escape(preview.subject))</p>
            <p class="preheader">\(escape(preview.preheader))</p>
            </section>
            <p class="downloads">Download: \(downloads.joined(separator: " · "))</p>
            \(personal == nil ? "" : personalSection(personal, base: base, language: preview.language, main: main))
            <h2>Newsletter</h2>
            <div class="frames">
            <figure><figcaption>Desktop, 600 px</figcaption><iframe class="desktop" src="\(base)/digest.html\(query)" title="Newsletter at 600 pixels" sandbox="allow-same-origin"></iframe></figure>
            <figure><figcaption>Phone, 375 px</figcaption><iframe class="phone" src="\(base)/digest.html\(query)" title="Newsletter at 375 pixels" sandbox="allow-same-origin"></iframe></figure>
            <figure><figcaption>Phone, dark mode</figcaption><iframe class="phone" src="\(base)/digest.html\(also)scheme=dark" title="Newsletter at 375 pixels in dark mode" sandbox="allow-same-origin"></iframe></figure>
            </div>
            <p>The newsletter is <strong>\(size / 1024) KB</strong> once encoded for mail; Gmail clips messages near 102 KB.</p>
            <div class="\(sizeClass)"><span class="w\(percent)"></span></div>
            \(personal == nil ? personalSection(nil, base: base, language: preview.language, main: main) : "")
            <h2>Plain text</h2>
            <pre class="text">\(escape(text))</pre>
            <details class="authors"><summary>For template authors: the view model (digest.json)</summary>
            <pre class="json">\(escape(json))</pre>
            <p><a href="\(base)/digest.json\(also)download=1">Download digest.json</a></p>
            </details>
            """
        return page(title: snapshot.monthText(month), generation: snapshot.generation, body: body)
    }

    /// A member's own copy: a form asking for their line in `members.csv`,
    /// then the copy as the member receives it (greeting, "From your
    /// country", their language), the address masked.
    static func personalSection(_ personal: Personal?, base: String, language: String, main: String) -> String {
        var line = ""
        var shown = ""
        switch personal {
        case .copy(let number, let copy)?:
            line = String(number)
            let facts = [
                "line \(number)", copy.masked, copy.country, PreviewSnapshot.englishName(copy.language),
                copy.receivesDigest ? nil : "not subscribed: shown, never sent",
            ].compactMap { $0 }.joined(separator: " · ")
            shown = """
                <div class="frames">
                <figure><figcaption>\(escape(facts))</figcaption><iframe class="desktop" src="\(base)/personal.html?member=\(number)" title="The member's own copy at 600 pixels" sandbox="allow-same-origin"></iframe></figure>
                <figure><figcaption>Phone, dark mode</figcaption><iframe class="phone" src="\(base)/personal.html?member=\(number)&amp;scheme=dark" title="The member's own copy at 375 pixels in dark mode" sandbox="allow-same-origin"></iframe></figure>
                </div>
                """
        case .problem(let number, let problem)?:
            line = String(number)
            let why: String
            switch problem {
            case .failed(let error): why = error.description
            case .notFound: why = "no such month"
            case .outOfReach(let text): why = text
            case .broken: why = "the data or templates have errors (listed above)"
            }
            shown =
                "<section class=\"problems\"><p>No copy for line \(number): <code>\(escape(why))</code></p></section>"
        case nil:
            break
        }
        let keep = language == main ? "" : "<input type=\"hidden\" name=\"lang\" value=\"\(escape(language))\">"
        // The form's answer opens at the copy, not at the top of a long page.
        return """
            <h2 id="member-copy">A member's own copy</h2>
            <form class="member" method="get" action="\(base)#member-copy">
            <label for="member">What the member on line … of members.csv receives: their greeting, "From your country", their language. The address is never shown.</label>
            <input id="member" name="member" inputmode="numeric" pattern="[0-9]+" required value="\(escape(line))" placeholder="2">
            \(keep)<button type="submit">Show</button>
            </form>
            \(shown)
            """
    }

    /// While the data has errors: that this month previews from the rest.
    static func partialNote(_ snapshot: PreviewSnapshot) -> String {
        guard snapshot.isPartial else { return "" }
        let errors = snapshot.diagnostics.count { $0.severity == .error }
        return
            "<p class=\"partial\">The data has \(errors) error\(errors == 1 ? "" : "s") (<a href=\"/\">listed on All reports</a>) that do not touch this month: it previews from the rest of the data, the rows with errors left out. Nothing can be rendered or sent until they are fixed.</p>"
    }
}
