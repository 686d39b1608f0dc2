import Testing

@testable import CoalitionData

/// Reads `text` and returns its records as arrays of values, with the syntax errors.
private func read(_ text: String) -> (records: [[String]], lines: [Int], errors: [CSVSyntaxError]) {
    var records: [[String]] = []
    var lines: [Int] = []
    let errors = CSVReader(bytes: Array(text.utf8)).forEachRecord { fields, line in
        records.append(fields.map(\.value))
        lines.append(line)
    }
    return (records, lines, errors)
}

@Suite("CSV reading (RFC 4180)")
struct CSVReaderTests {
    @Test("plain fields, trimmed")
    func plain() {
        let result = read("a,b,c\n1, 2 ,3\n")
        #expect(result.records == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(result.errors.isEmpty)
    }

    @Test("quoted commas, doubled quotes and line breaks inside quotes")
    func quoted() {
        let result = read("title,notes\n\"Hague, The\",\"she said \"\"yes\"\"\"\n\"two\nlines\",x\nlast,row\n")
        #expect(
            result.records == [
                ["title", "notes"], ["Hague, The", "she said \"yes\""], ["two\nlines", "x"], ["last", "row"],
            ])
        #expect(result.lines == [1, 2, 3, 5])
        #expect(result.errors.isEmpty)
    }

    @Test("a quoted value keeps its spaces")
    func quotedSpaces() {
        #expect(read("\"  padded  \"\n").records == [["  padded  "]])
    }

    @Test("byte-order mark and CRLF line ends")
    func bomAndCRLF() {
        let result = read("\u{FEFF}date,count\r\n2019-01-01,5\r\n2019-02-01,6\r\n")
        #expect(result.records == [["date", "count"], ["2019-01-01", "5"], ["2019-02-01", "6"]])
        #expect(result.lines == [1, 2, 3])
    }

    @Test("a lone CR ends a line too, and blank lines are skipped")
    func crAndBlank() {
        let result = read("a\rb\n\n\nc")
        #expect(result.records == [["a"], ["b"], ["c"]])
        #expect(result.lines == [1, 2, 5])
    }

    @Test("empty fields, a trailing comma and no final newline")
    func emptyFields() {
        #expect(read("a,,c\nx,y,").records == [["a", "", "c"], ["x", "y", ""]])
        #expect(read("a,\nb").records == [["a", ""], ["b"]])
    }

    @Test("an unterminated quote is an error where the field began")
    func unterminated() {
        let result = read("title,url\nok,https://x\n\"never closed,https://y\nmore,rows\n")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.line == 3)
        #expect(result.errors.first?.column == 1)
        #expect(result.errors.first?.message.contains("never closed") == true)
        // Rows before the broken one are still read.
        #expect(result.records.prefix(2) == [["title", "url"], ["ok", "https://x"]])
    }

    @Test("text after a closing quote is an error at that character")
    func textAfterQuote() {
        let result = read("a,\"quoted\"tail,b\n")
        #expect(result.errors.map(\.line) == [1])
        #expect(result.errors.map(\.column) == [11])
        #expect(result.records == [["a", "quotedtail", "b"]])
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() {
        var columns: [Int] = []
        CSVReader(bytes: Array("Côte d’Ivoire,Ελλάδα,x\n".utf8)).forEachRecord { fields, _ in
            columns = fields.map(\.column)
        }
        #expect(columns == [1, 15, 22])
    }

    @Test("line numbers count line breaks inside quoted values")
    func linesAfterMultilineField() {
        var positions: [(Int, Int)] = []
        CSVReader(bytes: Array("\"a\nb\nc\",d\ne,f\n".utf8)).forEachRecord { fields, _ in
            positions.append(contentsOf: fields.map { ($0.line, $0.column) })
        }
        #expect(positions.map(\.0) == [1, 3, 4, 4])
        #expect(positions.map(\.1) == [1, 4, 1, 3])
    }
}
