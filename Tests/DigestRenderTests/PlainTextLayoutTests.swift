import Testing

@testable import DigestRender

@Suite("Plain-text layout")
struct PlainTextLayoutTests {
    let layout = PlainTextLayout(linksHeading: "Links")

    @Test("paragraphs wrap at 72 columns")
    func wrap() {
        let text = layout.layout(String(repeating: "word ", count: 40))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.count <= 72 })
        #expect(lines[0].count == 69)  // 14 words of 4 letters and 13 spaces
    }

    @Test("headings are underlined to their width")
    func headings() {
        #expect(layout.layout("# Title\n\n## Section\n### Sub") == "Title\n=====\n\nSection\n-------\nSub\n~~~\n")
        #expect(layout.layout("#### Part\n###### Deep") == "Part\n....\nDeep\n....\n")
    }

    @Test("list items keep a hanging indent, nested or numbered")
    func lists() {
        let item = String(repeating: "justice ", count: 12)
        let text = layout.layout("- \(item)\n  - \(item)\n10. \(item)")
        #expect(
            text == """
                - justice justice justice justice justice justice justice justice
                  justice justice justice justice
                  - justice justice justice justice justice justice justice justice
                    justice justice justice justice
                10. justice justice justice justice justice justice justice justice
                    justice justice justice justice

                """)
    }

    @Test("links become numbered references listed at the end, each address once")
    func references() {
        let text = layout.layout(
            "Read it <https://a.org/x>.\n- Again <https://a.org/x> and <https://b.org>\n<mailto:x@y.org>")
        #expect(
            text == """
                Read it [1].
                - Again [1] and [2]
                [3]

                Links
                -----
                [1] https://a.org/x
                [2] https://b.org
                [3] mailto:x@y.org

                """)
    }

    @Test("angle brackets that are not addresses stay as they are")
    func notLinks() {
        #expect(layout.layout("a <b> c <https://x y>") == "a <b> c <https://x y>\n")
    }

    @Test("verbatim lines and escaped markup")
    func verbatim() {
        #expect(
            layout.layout("|   New York   10:00\n\\# not a heading\n\\- not a list")
                == "  New York   10:00\n# not a heading\n- not a list\n")
    }

    @Test("a long address gets its own line; a long word is broken")
    func longWords() {
        let url = "https://example.org/" + String(repeating: "a", count: 80)
        let text = layout.layout("See \(url) now")
        #expect(text == "See\n\(url)\nnow\n")
        let word = String(repeating: "x", count: 100)
        let lines = layout.layout(word).split(separator: "\n")
        #expect(lines.map(\.count) == [72, 28])
    }

    @Test("wide characters count two columns")
    func wide() {
        let text = layout.layout(String(repeating: "正義 ", count: 30))
        for line in text.split(separator: "\n") {
            #expect(DisplayWidth.of(line) <= 72)
        }
        #expect(DisplayWidth.of("正義") == 4)
        #expect(DisplayWidth.of("Côte") == 4)
    }

    @Test("blank lines collapse and trailing spaces go")
    func blanks() {
        #expect(layout.layout("\n\na  \n\n\n\nb\n\n") == "a\n\nb\n")
    }

    @Test("templates saved with CRLF line ends lay out the same")
    func crlf() {
        #expect(layout.layout("# T\r\n\r\n- a\r\n- b\r\n") == layout.layout("# T\n\n- a\n- b\n"))
    }

    @Test("a line of two dashes becomes the signature separator, with its space (RFC 3676)")
    func signature() {
        #expect(PlainTextLayout(linksHeading: "Links").layout("Body\n\n--\nThe team\n") == "Body\n\n-- \nThe team\n")
    }
}
