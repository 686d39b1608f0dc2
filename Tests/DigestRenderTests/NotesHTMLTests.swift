import CoalitionData
import DigestModel
import DigestTestSupport
import Foundation
import MarkdownTree
import Testing

@testable import DigestRender

@Suite("Call notes as HTML")
struct NotesHTMLTests {
    func html(_ markdown: String) -> String {
        NotesHTML.html(MarkdownParser.parse(markdown)) ?? ""
    }

    @Test("structure with inline styles on every element")
    func structure() {
        let output = html("## Updates\n\n- **One** and *two*\n  - nested\n\nDone.")
        #expect(output.hasPrefix("<h3 style=\"font-family:Helvetica"))
        #expect(output.contains("<ul style="))
        #expect(output.contains("<li style=\"margin:0 0 6px;\"><strong>One</strong> and <em>two</em><ul style="))
        #expect(output.contains("<p style=\"font-family:Helvetica,Arial,sans-serif;margin:0 0 12px;"))
        for tag in ["<h3", "<ul", "<li", "<p"] {
            #expect(output.components(separatedBy: tag).dropFirst().allSatisfy { $0.hasPrefix(" style=\"") })
        }
    }

    @Test("text and attributes are escaped; only http, https and mailto links are kept")
    func escaping() {
        let output = html(
            "[a \"b\" & c](https://x.org/?a=1&b=\"2\") [bad](javascript:alert(1)) [mail](mailto:a@b.org) <script>x</script>"
        )
        #expect(output.contains("<a class=\"link\" href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\""))
        #expect(output.contains(">a &quot;b&quot; &amp; c</a>"))
        #expect(output.contains(" bad <a class=\"link\" href=\"mailto:a@b.org\""))
        #expect(!output.contains("javascript"))
        #expect(!output.contains("<script"))
    }

    @Test("a mention reads as text (never coloured like a link) and does not break; images become their alt text")
    func mentionsAndImages() {
        let output = html("@staceycram ![logo & x](https://tracker.example/p.png)")
        #expect(output.contains("<span class=\"mention\" style=\"white-space:nowrap;\">@staceycram</span>"))
        #expect(output.contains("logo &amp; x"))
        #expect(!output.contains("tracker.example"))
    }

    @Test("a bare address is shown shortened; its link keeps it whole")
    func longAddresses() {
        let output = html("Register at https://register.gotowebinar.com/register/3686691472362751500 now.")
        #expect(
            output.contains(
                "<a class=\"link\" href=\"https://register.gotowebinar.com/register/3686691472362751500\" style=\"color:#0f5fa6;text-decoration:underline;overflow-wrap:anywhere;\">register.gotowebinar.com/register/36…</a>"
            ))
        #expect(WebAddress.display("https://www.example.org/") == "example.org")
        #expect(WebAddress.display("mailto:team@example.org") == "team@example.org")
        // A label that is not the address stays as written.
        #expect(html("[the form](https://example.org/a/very/long/path/to/a/form/somewhere)").contains(">the form</a>"))
    }

    @Test("the escaper handles every special character and leaves the rest")
    func escaper() {
        #expect(
            HTMLEscaping.escape("<a href=\"x\">Tom & Jerry's</a>")
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTMLEscaping.escape("plain — Ελλάδα") == "plain — Ελλάδα")
    }
}

@Suite("Call notes beside the Get involved section")
struct NotesActionsTests {
    static let dataset: CoalitionDataset? = DataFolder.load(
        path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data").path
    ).dataset

    func notes(_ month: String) throws -> String {
        let digest = Digest(dataset: try #require(Self.dataset), period: try Period(parsing: month))
        let call = try #require(digest.calls.first)
        return NotesText.markup(NotesActions.trimmed(call.notes, offering: digest.actions, words: english)) ?? ""
    }

    @Test("February 2020: both of the notes' ways to get involved are in Get involved, so the notes point there")
    func allOffered() throws {
        let text = try notes("2020-02")
        #expect(!text.contains("annual survey before it closes"))
        #expect(!text.contains("questionnaire on gender justice"))
        #expect(text.contains("## Ways to get involved\n\n_All of these are under Get involved, below._"))
    }

    @Test("June 2018: the walk is offered below; registering for the OGP summit is not, and stays")
    func someOffered() throws {
        let text = try notes("2018-06")
        #expect(!text.contains("Host a Walk Together"))
        #expect(text.contains("Register for the OGP Global Summit."))
        #expect(text.contains("_More under Get involved, below._"))
        // Elsewhere in the notes nothing is touched.
        #expect(try notes("2019-06").contains("More than 60 organisations have signed so far."))
    }

    @Test("a paragraph after a nested list is not pushed down by an empty line")
    func paragraphAfterList() throws {
        let blocks = MarkdownParser.parse("- It calls for:\n  - one;\n  - two.\n\n  More have signed.\n")
        let html = try #require(NotesHTML.html(blocks))
        #expect(html.contains("</ul>\n<div style=\"margin:0;\">More have signed.</div></li>"))
        #expect(!html.contains("<br>More"))
    }
}
