import MarkdownTree
import Testing

@testable import DigestRender

@Suite("Call notes as plain text")
struct NotesTextTests {
    func render(_ markdown: String) -> String {
        PlainTextLayout(linksHeading: "Links").layout(NotesText.markup(MarkdownParser.parse(markdown)) ?? "")
    }

    @Test("a ### heading in the notes is set apart from a ## one, so the outline reads")
    func headingLevels() {
        #expect(
            render("## Regional updates\n\n### Africa\n\nNews.\n\n#### Kenya\n\nMore.")
                == "Regional updates\n~~~~~~~~~~~~~~~~\n\nAfrica\n......\n\nNews.\n\nKenya\n.....\n\nMore.\n")
    }

    @Test("headings, nested lists, numbered lists; bold as *…* and italics as _…_, neither lost")
    func structure() {
        #expect(
            render(
                """
                ## Global updates

                - **OGP Summit** in *Ottawa*
                  - with @staceycram
                1. first
                2. second
                """)
                    == """
                    Global updates
                    ~~~~~~~~~~~~~~

                    - *OGP Summit* in _Ottawa_
                      - with @staceycram

                    1. first
                    2. second

                    """)
    }

    @Test("links are references, bare addresses show their host, mailto stays readable")
    func links() {
        #expect(
            render("[Register](https://example.org/r), see https://www.x.org/y or write to team@x.org.")
                == """
                Register [1], see www.x.org [2] or write to team@x.org.

                Links
                -----
                [1] https://example.org/r
                [2] https://www.x.org/y

                """)
    }

    @Test("javascript: and other schemes become plain text; raw HTML is dropped")
    func unsafe() {
        #expect(
            render("[click](javascript:alert(1)) <img src=x onerror=alert(1)> and [rel](/x)\n\n<div>gone</div>")
                == "click and rel\n")
    }

    @Test("text that looks like layout markup stays text")
    func escaping() {
        #expect(
            render("\\# 5 priorities\n\n\\- not a bullet\n\n| pipe") == "# 5 priorities\n\n- not a bullet\n\n| pipe\n")
    }

    @Test("no notes, no markup")
    func empty() {
        #expect(NotesText.markup([]) == nil)
    }
}
