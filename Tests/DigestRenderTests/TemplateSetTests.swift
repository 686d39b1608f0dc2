import Testing

@testable import DigestRender

@Suite("Templates")
struct TemplateSetTests {
    @Test("text templates do not escape HTML; HTML templates do")
    func contentTypes() throws {
        let set = try TemplateSet(sources: ["digest.txt": "{{name}}", "digest.html": "{{name}}"])
        #expect(set.render("digest.txt", context: ["name": "<A & B>"]) == "<A & B>")
        #expect(set.render("digest.html", context: ["name": "<A & B>"]) == "&lt;A &amp; B&gt;")
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
