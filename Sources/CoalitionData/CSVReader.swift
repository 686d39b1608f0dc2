/// A field of a CSV record, with where it started in the file.
public struct CSVField: Sendable {
    /// The value, unquoted, with doubled quotes undone. Unquoted values are
    /// trimmed of surrounding spaces and tabs.
    public var value: String
    /// Line of the field's first character, counting from 1.
    public var line: Int
    /// Column of the field's first character, in characters, counting from 1.
    public var column: Int
    /// Where the field's bytes start in the file (its opening quote, if
    /// quoted), counting from 0: to change one cell and keep every other
    /// byte, whatever the file's line ends.
    public var offset: Int = 0
    /// Where the field's bytes end (after its closing quote), counting from 0.
    public var end: Int = 0
    /// True when the quoted value holds a CR without an LF after it (an
    /// old Mac line end), noticed while reading.
    public var loneCarriageReturn = false
    /// The line the field ends on: after ``line`` when a quoted value
    /// holds line breaks (or a quote left open ran on to a later line).
    public var endLine: Int = 0
}

/// A problem in the CSV syntax itself.
public struct CSVSyntaxError: Sendable, Equatable {
    /// Line of the problem, counting from 1.
    public var line: Int
    /// Column of the problem, counting from 1.
    public var column: Int
    /// What is wrong and how to fix it.
    public var message: String
}

/// Reads CSV as RFC 4180 describes it, and tells where every field started.
///
/// Handles quoted commas, doubled quotes, line breaks inside quotes, a UTF-8
/// byte-order mark, and CRLF, LF or CR line endings. Blank lines are skipped.
///
/// We do not use SwiftCSV or CSV.swift: both accept an unterminated quote
/// silently (the rest of the file becomes one field, and rows vanish), and
/// neither reports line and column, which staff need to find a mistake.
public struct CSVReader {
    private let bytes: [UInt8]
    /// The most values a record may have; past it the file is not read on.
    public let maxFields: Int

    /// The default limit on values a record: far above any data file's
    /// width, far below what a runaway paste makes (25 million columns took
    /// minutes and gigabytes before this limit).
    public static let defaultMaxFields = 1000

    /// Creates a reader over a file's bytes.
    public init(bytes: [UInt8], maxFields: Int = CSVReader.defaultMaxFields) {
        self.bytes = bytes
        self.maxFields = maxFields
    }

    /// Calls `body` for every record, in order, with its fields and the line
    /// on which it starts. Syntax problems are collected and returned; a
    /// record with one still reaches `body` as well as it could be read.
    ///
    /// - Returns: the syntax errors, in file order.
    @discardableResult
    public func forEachRecord(_ body: (_ fields: [CSVField], _ line: Int) -> Void) -> [CSVSyntaxError] {
        var errors: [CSVSyntaxError] = []
        var fields: [CSVField] = []
        fields.reserveCapacity(16)
        let count = bytes.count
        var index = 0
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        var line = 1
        var lineStart = index
        // UTF-8 continuation bytes seen since `lineStart`, to turn byte offsets into columns.
        var continuations = 0
        var recordLine = 1
        var field: [UInt8] = []
        field.reserveCapacity(64)

        @inline(__always) func column(at offset: Int) -> Int { offset - lineStart - continuations + 1 }

        bytes.withUnsafeBufferPointer { buffer in
            while index < count {
                // Start of a field.
                let fieldLine = line
                let fieldColumn = column(at: index)
                let fieldOffset = index
                if fields.isEmpty { recordLine = line }
                field.removeAll(keepingCapacity: true)
                var quoted = false
                var loneCR = false
                if buffer[index] == UInt8(ascii: "\"") {
                    quoted = true
                    index += 1
                    var closed = false
                    while index < count {
                        let byte = buffer[index]
                        if byte == UInt8(ascii: "\"") {
                            if index + 1 < count, buffer[index + 1] == UInt8(ascii: "\"") {
                                field.append(byte)
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                            if byte == UInt8(ascii: "\r"), index + 1 < count, buffer[index + 1] == UInt8(ascii: "\n") {
                                field.append(byte)
                                index += 1
                            } else if byte == UInt8(ascii: "\r") {
                                loneCR = true
                            }
                            field.append(buffer[index])
                            index += 1
                            line += 1
                            lineStart = index
                            continuations = 0
                            continue
                        }
                        if byte & 0xC0 == 0x80 { continuations += 1 }
                        field.append(byte)
                        index += 1
                    }
                    if !closed {
                        errors.append(
                            CSVSyntaxError(
                                line: fieldLine, column: fieldColumn,
                                message:
                                    "this quoted value is never closed, so the rest of the file would be read into it; add the closing \" at the end of the value"
                            ))
                        // Give up on the rest: everything after belongs to the broken
                        // field, and the broken record is not passed on half-read.
                        fields.removeAll(keepingCapacity: true)
                        return
                    }
                    // After the closing quote only spaces may come before the separator.
                    var reported = false
                    while index < count, buffer[index] != UInt8(ascii: ","), buffer[index] != UInt8(ascii: "\n"),
                        buffer[index] != UInt8(ascii: "\r")
                    {
                        let byte = buffer[index]
                        if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && !reported {
                            errors.append(
                                CSVSyntaxError(
                                    line: line, column: column(at: index),
                                    message:
                                        "text after the closing quote of a quoted value; put the whole value inside the quotes and double any quote inside it (\"\")"
                                ))
                            reported = true
                        }
                        if byte & 0xC0 == 0x80 { continuations += 1 }
                        if reported { field.append(byte) }
                        index += 1
                    }
                } else {
                    while index < count {
                        let byte = buffer[index]
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                            break
                        }
                        if byte & 0xC0 == 0x80 { continuations += 1 }
                        field.append(byte)
                        index += 1
                    }
                }
                var value = String(decoding: field, as: UTF8.self)
                if !quoted { value = Self.trimmed(value) }
                fields.append(
                    CSVField(
                        value: value, line: fieldLine, column: fieldColumn, offset: fieldOffset, end: index,
                        loneCarriageReturn: loneCR, endLine: line))
                if fields.count > maxFields {
                    errors.append(
                        CSVSyntaxError(
                            line: fieldLine, column: fieldColumn,
                            message:
                                "this line has more than \(maxFields) values, far more than any data file has columns, so the rest of the file is not read; check that the file is the right one and that its lines end where they should"
                        ))
                    fields.removeAll(keepingCapacity: true)
                    return
                }

                // End of field: separator, end of line or end of file.
                if index < count, buffer[index] == UInt8(ascii: ",") {
                    index += 1
                    if index == count {  // a trailing comma ends with an empty field
                        fields.append(
                            CSVField(value: "", line: line, column: column(at: index), offset: index, end: index))
                    } else if buffer[index] == UInt8(ascii: "\n") || buffer[index] == UInt8(ascii: "\r") {
                        fields.append(
                            CSVField(value: "", line: line, column: column(at: index), offset: index, end: index))
                    } else {
                        continue
                    }
                }
                // End of record.
                if !(fields.count == 1 && fields[0].value.isEmpty && !quoted) {
                    body(fields, recordLine)
                }
                fields.removeAll(keepingCapacity: true)
                if index < count {
                    if buffer[index] == UInt8(ascii: "\r"), index + 1 < count, buffer[index + 1] == UInt8(ascii: "\n") {
                        index += 1
                    }
                    index += 1
                    line += 1
                    lineStart = index
                    continuations = 0
                }
            }
        }
        return errors
    }

    private static func trimmed(_ value: String) -> String {
        guard let first = value.utf8.first, let last = value.utf8.last else { return value }
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard blank(first) || blank(last) else { return value }
        let utf8 = value.utf8
        guard let start = utf8.firstIndex(where: { !blank($0) }), let end = utf8.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(value[start...end])
    }
}
