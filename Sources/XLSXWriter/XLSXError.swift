import CXlsxWriter

/// A failure of the workbook layer: libxlsxwriter's own error, or an input
/// the wrapper refuses before libxlsxwriter 1.1.4 could mishandle it.
public struct XLSXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a case callers can `catch`.
    public enum Code: Sendable, Equatable {
        /// libxlsxwriter returned this `lxw_error` value.
        case library(Int32)
        /// A sheet name is empty, too long, repeated or has a forbidden character.
        case invalidSheetName
        /// A defined name is not a valid Excel name.
        case invalidDefinedName
        /// A formula is empty.
        case emptyFormula
        /// A row or column is outside Excel's grid (1,048,576 rows, 16,384 columns).
        case outOfRange
        /// In constant-memory mode rows must be written in order.
        case rowOutOfOrder
        /// Not possible in constant-memory mode (tables, merged cells).
        case notInConstantMemoryMode
        /// The workbook was already closed.
        case closed
    }

    /// The kind of failure.
    public var code: Code
    /// libxlsxwriter's message (`lxw_strerror`) or the wrapper's.
    public var message: String
    /// What was being done: the sheet and cell, or the file.
    public var context: String

    /// Creates an error; other layers use it to report a failure of their own
    /// in the same terms.
    public init(code: Code, message: String, context: String) {
        self.init(code, message, context: context)
    }

    init(_ code: Code, _ message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// Wraps an `lxw_error` result; nil for `LXW_NO_ERROR`.
    static func check(_ result: lxw_error, _ context: @autoclosure () -> String) throws(XLSXError) {
        guard result != LXW_NO_ERROR else { return }
        let message = lxw_strerror(result).map { String(cString: $0) } ?? "error \(result.rawValue)"
        throw XLSXError(.library(Int32(result.rawValue)), message, context: context())
    }

    /// The message as people read it.
    public var description: String { "\(context): \(message)" }
}
