import Foundation
import Testing
import XLSXWriter

@Suite("The libxlsxwriter wrapper")
final class XLSXWriterLibraryTests {
    /// This test's own folder, removed with the test.
    let folder = NSTemporaryDirectory() + "xlsx-test-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }  // best effort: a temporary folder

    /// A path in the test's folder.
    func temporaryPath(_ name: String) -> String { folder + "/" + name }

    @Test("the library is Debian's 1.1.x or later")
    func version() {
        let parts = Workbook.libraryVersion.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count >= 2 && parts.first == 1 && (parts.dropFirst().first ?? 0) >= 1)
    }

    @Test("sheet names that libxlsxwriter 1.1.4 mishandles are refused before they reach it")
    func sheetNames() throws {
        let workbook = try Workbook(path: temporaryPath("names.xlsx"))
        _ = try workbook.addWorksheet(named: "Summary")
        for bad in ["", String(repeating: "x", count: 32), "a/b", "a[1]", "Q?", "'quoted'", "summary"] {
            #expect(throws: XLSXError.self) { try workbook.addWorksheet(named: bad) }
            do {
                _ = try workbook.addWorksheet(named: bad)
            } catch {
                #expect(error.code == .invalidSheetName)
            }
        }
        _ = try workbook.addWorksheet(named: String(repeating: "y", count: 31))
    }

    @Test("defined names and formulas are checked")
    func names() throws {
        let workbook = try Workbook(path: temporaryPath("defined.xlsx"))
        let sheet = try workbook.addWorksheet(named: "Data")
        try workbook.defineName("Goal", formula: "=Data!$A$1")
        for bad in ["", "1st", "A1", "XFD100", "R1C1", "has space", "Goal"] {
            #expect(throws: XLSXError.self) { try workbook.defineName(bad, formula: "=Data!$A$1") }
        }
        #expect(throws: XLSXError.self) { try workbook.defineName("Empty", formula: "=") }
        #expect(throws: XLSXError.self) { try sheet.write(formula: "= ", cached: 0, row: 0, column: 0) }
    }

    @Test("cells outside the grid, and text over 32,767 characters")
    func limits() throws {
        let path = temporaryPath("limits.xlsx")
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet(named: "Data")
        #expect(throws: XLSXError.self) { try sheet.write("x", row: 1_048_576, column: 0) }
        #expect(throws: XLSXError.self) { try sheet.write("x", row: 0, column: 16_384) }
        #expect(try sheet.write(String(repeating: "é", count: 20_000), row: 0, column: 0))
        #expect(try sheet.write("short", row: 1, column: 0) == false)
        try workbook.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("constant-memory mode: rows in order, no tables or merged cells")
    func constantMemory() throws {
        let workbook = try Workbook(path: temporaryPath("stream.xlsx"), constantMemory: true)
        let sheet = try workbook.addWorksheet(named: "Rows")
        try sheet.write("a", row: 0, column: 0)
        try sheet.write(number: 1, row: 1, column: 0)
        do {
            try sheet.write("late", row: 0, column: 1)
            Issue.record("an earlier row was accepted")
        } catch {
            #expect(error.code == .rowOutOfOrder)
        }
        #expect(throws: XLSXError.self) {
            try sheet.addTable(name: "T", firstRow: 2, firstColumn: 0, lastRow: 3, lastColumn: 1, columns: ["a", "b"])
        }
        #expect(throws: XLSXError.self) { try sheet.merge("m", firstRow: 5, firstColumn: 0, lastRow: 5, lastColumn: 2) }
        try workbook.close()
    }

    @Test("close runs once; a closed workbook refuses writes; a bad folder is libxlsxwriter's error")
    func closing() throws {
        let workbook = try Workbook(path: temporaryPath("close.xlsx"))
        let sheet = try workbook.addWorksheet(named: "S")
        try workbook.close()
        #expect(throws: XLSXError.self) { try workbook.close() }
        #expect(throws: XLSXError.self) { try sheet.write("x", row: 0, column: 0) }
        let nowhere = try Workbook(path: "/nonexistent-folder/x.xlsx")
        _ = try nowhere.addWorksheet(named: "S")
        do {
            try nowhere.close()
            Issue.record("writing into a missing folder succeeded")
        } catch {
            if case .library = error.code {} else { Issue.record("unexpected code \(error.code)") }
            #expect(error.context == "/nonexistent-folder/x.xlsx")
            #expect(!error.message.isEmpty)
        }
    }

    @Test("a workbook never closed is freed without writing a file")
    func abandoned() throws {
        let path = temporaryPath("abandoned.xlsx")
        do {
            let workbook = try Workbook(path: path)
            try workbook.addWorksheet(named: "S").write("x", row: 0, column: 0)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("same content, same bytes: the created date comes from the caller, not the clock")
    func deterministic() throws {
        func build(_ path: String) throws -> Data {
            let workbook = try Workbook(path: path)
            try workbook.setProperties(
                .init(title: "T", author: "A", created: Date(timeIntervalSince1970: 1_583_020_800)))
            let sheet = try workbook.addWorksheet(named: "S")
            try sheet.write("=1+1", row: 0, column: 0)
            try sheet.write(formula: "=SUM(B1:B2)", cached: 3, row: 0, column: 1)
            let chart = try workbook.addChart(.line)
            try chart.addSeries(name: "n", categories: "=S!$A$1:$A$2", values: "=S!$B$1:$B$2")
            try sheet.insert(chart, row: 3, column: 0)
            try workbook.close()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let first = try build(temporaryPath("a.xlsx"))
        Thread.sleep(forTimeInterval: 2.1)  // a zip timestamp from the clock would now differ
        let second = try build(temporaryPath("b.xlsx"))
        #expect(first == second)
    }
}
