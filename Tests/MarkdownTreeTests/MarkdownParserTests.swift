import MarkdownTree
import Testing

@Suite("Markdown parsing with cmark-gfm")
struct MarkdownParserTests {
    @Test("headings, paragraphs, emphasis and nested lists")
    func structure() {
        let blocks = MarkdownParser.parse(
            """
            ## Global updates

            Some *text* and **bold**.

            - one
              - nested [link](https://example.org)
            1. first
            """)
        #expect(
            blocks == [
                .heading(level: 2, [.text("Global updates")]),
                .paragraph([
                    .text("Some "), .emphasis([.text("text")]), .text(" and "), .strong([.text("bold")]), .text("."),
                ]),
                .list(
                    MarkdownList(
                        ordered: false,
                        items: [
                            [
                                .paragraph([.text("one")]),
                                .list(
                                    MarkdownList(
                                        ordered: false,
                                        items: [
                                            [
                                                .paragraph([
                                                    .text("nested "),
                                                    .link(
                                                        MarkdownLink(
                                                            destination: "https://example.org",
                                                            children: [.text("link")], line: 6)),
                                                ])
                                            ]
                                        ])),
                            ]
                        ])),
                .list(MarkdownList(ordered: true, start: 1, items: [[.paragraph([.text("first")])]])),
            ])
    }

    @Test("raw HTML blocks and inline HTML are dropped")
    func html() {
        let blocks = MarkdownParser.parse("<script>alert(1)</script>\n\nHello <b onclick=\"x\">world</b>!\n")
        #expect(blocks == [.paragraph([.text("Hello world!")])])
    }

    @Test("@handles become mentions, email addresses do not (autolinks carry no line)")
    func mentions() {
        let blocks = MarkdownParser.parse("@staceycram and (@Marlon_Manuel), mail a@b.org")
        #expect(
            blocks == [
                .paragraph([
                    .mention("staceycram"), .text(" and ("), .mention("Marlon_Manuel"), .text("), mail "),
                    .link(MarkdownLink(destination: "mailto:a@b.org", children: [.text("a@b.org")], isAutolink: true)),
                ])
            ])
    }

    @Test("bare URLs and www. addresses are links (GFM autolink)")
    func autolinks() {
        guard case .paragraph(let inlines) = MarkdownParser.parse("Register at https://example.org/x now").first,
            case .link(let link) = inlines.dropFirst().first
        else {
            Issue.record("no link")
            return
        }
        #expect(link.destination == "https://example.org/x")
        #expect(link.isAutolink)
    }

    @Test("GFM tables and strikethrough")
    func tables() {
        let blocks = MarkdownParser.parse("| a | b |\n|---|---|\n| 1 | ~~2~~ |\n")
        #expect(
            blocks == [
                .table(header: [[.text("a")], [.text("b")]], rows: [[[.text("1")], [.strikethrough([.text("2")])]]])
            ])
    }

    @Test("any bytes parse without crashing, and what is no Markdown is kept as text")
    func arbitrary() {
        /// The text of a single paragraph, or nil when the input was not one paragraph.
        func paragraph(_ text: String) -> String? {
            guard case .paragraph(let inlines) = MarkdownParser.parse(text).first, MarkdownParser.parse(text).count == 1
            else { return nil }
            return inlines.map(\.plainText).joined()
        }
        #expect(MarkdownParser.parse("").isEmpty)
        #expect(paragraph("\0") == "\u{FFFD}")  // CommonMark: NUL is replaced, never cut the text short
        #expect(paragraph("[") == "[")
        #expect(paragraph("<") == "<")
        #expect(MarkdownParser.parse("* * *") == [.thematicBreak])
        #expect(MarkdownParser.parse("```\ncode") == [.codeBlock("code")])
        let brackets = String(repeating: "[", count: 5000)
        #expect(paragraph(brackets) == brackets)
        #expect(paragraph("\u{FFFD}\u{202E}") == "\u{FFFD}\u{202E}")
    }

    @Test("parsers running at once all find their autolinks")
    func concurrent() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<400 {
                group.addTask {
                    let text = index % 2 == 0 ? "see https://www.x.org/\(index) now" : "*plain* text \(index)"
                    let blocks = MarkdownParser.parse(text)
                    guard index % 2 == 0 else { return blocks.count == 1 }
                    guard case .paragraph(let inlines)? = blocks.first else { return false }
                    return inlines.contains { if case .link = $0 { return true } else { return false } }
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 400)
        #expect(results.allSatisfy { $0 })
    }
}
