import CXlsxWriter
import Foundation

/// An Excel workbook being written with libxlsxwriter.
///
/// Add worksheets, formats and charts, write cells, then ``close()`` once:
/// that is when the file is written. A workbook that is never closed frees
/// its memory without writing anything.
///
/// ```swift
/// let workbook = try Workbook(path: "report.xlsx")
/// let sheet = try workbook.addWorksheet(named: "Summary")
/// try sheet.write("Signatures", row: 0, column: 0)
/// try workbook.close()
/// ```
public final class Workbook {
    // A workbook is built by one thread from start to close.
    let handle: UnsafeMutablePointer<lxw_workbook>
    /// Where the file is written on ``close()``.
    public let path: String
    /// Whether rows are streamed to disk as they are written (see ``init(path:constantMemory:temporaryDirectory:)``).
    public let constantMemory: Bool
    /// True once ``close()`` has run, whatever its outcome.
    public private(set) var isClosed = false
    private var sheetNames: Set<String> = []
    private var definedNames: Set<String> = []

    /// Starts a workbook.
    ///
    /// - Parameters:
    ///   - constantMemory: write each row to a temporary file as soon as the
    ///     next row starts, keeping memory flat for huge sheets. Rows must
    ///     then be written in order, and tables and merged cells are refused.
    ///   - temporaryDirectory: where libxlsxwriter keeps its temporary files.
    /// - Throws: ``XLSXError`` when libxlsxwriter cannot start the workbook.
    public init(path: String, constantMemory: Bool = false, temporaryDirectory: String? = nil) throws(XLSXError) {
        var made: UnsafeMutablePointer<lxw_workbook>?
        LXW.withCString(temporaryDirectory) { tmpdir in
            var options = lxw_workbook_options(constant_memory: constantMemory ? 1 : 0, tmpdir: tmpdir, use_zip64: 0)
            made = workbook_new_opt(path, &options)
        }
        guard let made else {
            throw XLSXError(.library(-1), "libxlsxwriter could not start the workbook", context: path)
        }
        self.handle = made
        self.path = path
        self.constantMemory = constantMemory
    }

    /// libxlsxwriter's version string, such as `"1.1.4"`.
    public static var libraryVersion: String { LXW.version() }

    deinit {
        // Never closed: free libxlsxwriter's memory without writing a file.
        if !isClosed { lxw_workbook_free(handle) }
    }

    func checkOpen(_ context: @autoclosure () -> String) throws(XLSXError) {
        if isClosed { throw XLSXError(.closed, "the workbook is already closed", context: context()) }
    }

    /// Adds a worksheet.
    ///
    /// - Throws: ``XLSXError/Code/invalidSheetName`` for a name that is
    ///   empty, over 31 characters, contains `[ ] : * ? / \`, starts or ends
    ///   with an apostrophe, or repeats another sheet's (ignoring case).
    ///   libxlsxwriter 1.1.4 mishandles some of these, so they never reach it.
    public func addWorksheet(named name: String) throws(XLSXError) -> Worksheet {
        try checkOpen("sheet \"\(name)\"")
        if let problem = Self.sheetNameProblem(name, existing: sheetNames) {
            throw XLSXError(.invalidSheetName, problem, context: "sheet \"\(name)\"")
        }
        guard let sheet = workbook_add_worksheet(handle, name) else {
            throw XLSXError(.library(-1), "libxlsxwriter could not add the sheet", context: "sheet \"\(name)\"")
        }
        sheetNames.insert(name.lowercased())
        return Worksheet(handle: sheet, workbook: self, name: name)
    }

    /// Why `name` cannot name a sheet, or nil.
    public static func sheetNameProblem(_ name: String, existing: Set<String> = []) -> String? {
        if name.isEmpty { return "a sheet name cannot be empty" }
        if name.count > 31 { return "a sheet name has at most 31 characters (this one has \(name.count))" }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            return "a sheet name cannot contain \(bad)"
        }
        if name.hasPrefix("'") || name.hasSuffix("'") { return "a sheet name cannot start or end with an apostrophe" }
        if existing.contains(name.lowercased()) { return "there is already a sheet called \"\(name)\"" }
        return nil
    }

    /// A new format to set up and use in cells.
    public func addFormat() -> Format {
        Format(handle: workbook_add_format(handle))
    }

    /// A new chart, to fill with series and insert into a sheet.
    public func addChart(_ kind: Chart.Kind) throws(XLSXError) -> Chart {
        try checkOpen("chart")
        guard let chart = workbook_add_chart(handle, kind.raw) else {
            throw XLSXError(.library(-1), "libxlsxwriter could not add the chart", context: "chart")
        }
        return Chart(handle: chart, workbook: self, kind: kind)
    }

    /// Document properties shown in File › Properties.
    public struct Properties: Sendable {
        /// The document title.
        public var title: String?
        /// The subject.
        public var subject: String?
        /// Who wrote it.
        public var author: String?
        /// The organisation.
        public var company: String?
        /// Search keywords.
        public var keywords: String?
        /// A note about the document.
        public var comments: String?
        /// The creation date recorded in the file. Give it from the data:
        /// without it libxlsxwriter stamps the clock, and two runs differ.
        public var created: Date

        /// Creates properties.
        public init(
            title: String? = nil, subject: String? = nil, author: String? = nil, company: String? = nil,
            keywords: String? = nil, comments: String? = nil, created: Date
        ) {
            self.title = title
            self.subject = subject
            self.author = author
            self.company = company
            self.keywords = keywords
            self.comments = comments
            self.created = created
        }
    }

    /// Sets the document properties.
    public func setProperties(_ properties: Properties) throws(XLSXError) {
        try checkOpen("document properties")
        let texts = [
            properties.title, properties.subject, properties.author, properties.company, properties.keywords,
            properties.comments,
        ]
        let result = LXW.withCStrings(texts) { c in
            var raw = lxw_doc_properties()
            raw.title = c[0]
            raw.subject = c[1]
            raw.author = c[2]
            raw.company = c[3]
            raw.keywords = c[4]
            raw.comments = c[5]
            raw.created = time_t(properties.created.timeIntervalSince1970)
            return workbook_set_properties(handle, &raw)
        }
        try XLSXError.check(result, "document properties")
    }

    /// Defines a workbook-wide name, such as `Goal` for `=Summary!$B$9`.
    ///
    /// - Throws: ``XLSXError/Code/invalidDefinedName`` for names that are
    ///   not valid in Excel (checked here; 1.1.4 overflows on some),
    ///   ``XLSXError/Code/emptyFormula`` for an empty formula.
    public func defineName(_ name: String, formula: String) throws(XLSXError) {
        try checkOpen("name \(name)")
        if let problem = Self.definedNameProblem(name) {
            throw XLSXError(.invalidDefinedName, problem, context: "name \(name)")
        }
        if definedNames.contains(name.lowercased()) {
            throw XLSXError(.invalidDefinedName, "the name is already defined", context: "name \(name)")
        }
        let body = formula.hasPrefix("=") ? String(formula.dropFirst()) : formula
        guard !body.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw XLSXError(.emptyFormula, "a defined name needs a formula", context: "name \(name)")
        }
        try XLSXError.check(workbook_define_name(handle, name, formula), "name \(name)")
        definedNames.insert(name.lowercased())
    }

    /// Why `name` is not a valid Excel defined name, or nil.
    public static func definedNameProblem(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "a name cannot be empty" }
        if name.count > 255 { return "a name has at most 255 characters" }
        guard first.properties.isAlphabetic || first == "_" || first == "\\" else {
            return "a name starts with a letter, _ or \\"
        }
        for scalar in name.unicodeScalars
        where
            !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "."
            || scalar == "\\")
        {
            return "a name has only letters, digits, _ and . (not \"\(scalar)\")"
        }
        // Names that look like cell references (A1, XFD100, R1C1) are refused by Excel.
        let upper = name.uppercased()
        let letters = upper.prefix { $0.isLetter }
        let digits = upper.dropFirst(letters.count)
        if (1...3).contains(letters.count), !digits.isEmpty, digits.allSatisfy(\.isNumber) {
            return "a name cannot look like a cell reference"
        }
        if upper == "R" || upper == "C" || upper.hasPrefix("R") && upper.dropFirst().first?.isNumber == true {
            return "a name cannot look like an R1C1 reference"
        }
        return nil
    }

    /// Writes the file and frees the workbook. Runs once: a second call
    /// throws ``XLSXError/Code/closed``.
    ///
    /// - Throws: ``XLSXError`` with libxlsxwriter's message, such as a
    ///   folder that does not exist or cannot be written.
    public func close() throws(XLSXError) {
        try checkOpen(path)
        isClosed = true
        // workbook_close frees the workbook whatever its result.
        try XLSXError.check(workbook_close(handle), path)
    }
}
