import Foundation
import Testing

@testable import DigestRender

@Suite("Templates")
struct TemplateSetTests {
    @Test("a job loads only its templates and the partials they use, at any depth")
    func roots() throws {
        let set = try TemplateSet(
            folder: repository.appendingPathComponent("templates").path, roots: ["digest.txt", "digest.html"])
        #expect(set.contains("digest.html") && set.contains("html/footer.html") && set.contains("html/style.html"))
        #expect(!set.contains("web/page.html") && !set.contains("serve/page.html"))
        let sources = ["a": "{{> b}} {{>c }}", "b": "{{> d}}", "c": "", "d": "", "e": ""]
        #expect(Set(TemplateSet.closure(of: ["a"], in: sources).keys) == ["a", "b", "c", "d"])
        // Changed delimiters could hide a partial: everything is kept.
        let changed = ["a": "{{=<% %>=}}<%> b%>", "b": "", "e": ""]
        #expect(Set(TemplateSet.closure(of: ["a"], in: changed).keys) == ["a", "b", "e"])
    }

    @Test("text templates do not escape HTML; HTML templates do")
    func contentTypes() throws {
        let set = try TemplateSet(sources: ["digest.txt": "{{name}}", "digest.html": "{{name}}"])
        let text = try #require(set.render("digest.txt", context: ["name": "<A & B>"]))
        #expect(PlainTextLayout(linksHeading: "Links").layout(text) == "<A & B>\n")
        #expect(set.render("digest.html", context: ["name": "<A & B>"]) == "&lt;A &amp; B&gt;")
    }

    @Test("a <https://…> in a text value stays text; the template's own becomes a numbered link")
    func textValuesAreNotLinks() throws {
        let set = try TemplateSet(sources: ["digest.txt": "{{title}} <{{url}}>"])
        let markup = try #require(
            set.render(
                "digest.txt",
                context: ["title": "Read <https://evil.example/x> now", "url": "https://example.org/ok"]))
        #expect(
            PlainTextLayout(linksHeading: "Links").layout(markup)
                == "Read <https://evil.example/x> now [1]\n\nLinks\n-----\n[1] https://example.org/ok\n")
    }

    @Test("a value with a bidirectional override is isolated: <bdi> in HTML, U+2068…U+2069 in text")
    func bidiIsolation() throws {
        let set = try TemplateSet(sources: ["digest.txt": "{{t}}!", "digest.html": "<p>{{t}}!</p>"])
        let value = "abc\u{202E}fed"
        #expect(set.render("digest.html", context: ["t": value]) == "<p><bdi>abc\u{202E}fed</bdi>!</p>")
        #expect(set.render("digest.txt", context: ["t": value]) == "\u{2068}abc\u{202E}fed\u{2069}!")
        #expect(set.render("digest.html", context: ["t": "plain"]) == "<p>plain!</p>")
    }

    @Test("partials by path")
    func partials() throws {
        let set = try TemplateSet(sources: ["digest.txt": "[{{> parts/x.txt}}]", "parts/x.txt": "{{v}}"])
        #expect(set.render("digest.txt", context: ["v": "ok"]) == "[ok]")
    }

    @Test("a parse error names file, line and column")
    func errors() {
        #expect(throws: TemplateError.self) { try TemplateSet(sources: ["digest.txt": "Hello\n{{#call}}\nno end\n"]) }
        do {
            _ = try TemplateSet(sources: ["digest.txt": "Hello\nthere {{#a}}x{{/b}}\n"], folder: "templates")
        } catch {
            #expect(error.file == "templates/digest.txt.mustache")
            #expect(error.line == 2)
            #expect(error.message.contains("closed with a different name"))
            #expect(error.description.hasPrefix("templates/digest.txt.mustache:2:"))
        }
        do {
            _ = try TemplateSet(sources: ["digest.txt": "ab {{x"], folder: "t")
        } catch {
            #expect(error.line == 1)
            #expect(error.column <= 7)  // the pragma added in front is not counted
        }
    }

    @Test("a missing folder or an empty one is a clear error")
    func folders() {
        #expect(throws: TemplateError.self) { try TemplateSet(folder: "/nonexistent/templates") }
    }
}
