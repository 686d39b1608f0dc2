/// Finds the bytes that must not reach an output: text that is not UTF-8,
/// invisible control characters, and the Unicode controls that reorder
/// text on screen.
///
/// One pass over a file's bytes covers every value in it, whatever its
/// format, with line and column, before any parser sees the text.
public enum TextScan {
    /// Line and column (in characters) of the first byte that is not valid
    /// UTF-8, or nil when the whole text is valid.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int)? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var line = 1
        var column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput: return nil
            case .error: return (line, column)
            }
        }
    }

    /// Reports control characters (an error: they corrupt terminals, cells
    /// and mail) and bidirectional overrides and isolates (a warning: they
    /// can make text read in a misleading order; outputs isolate them).
    /// Tab, line feed and carriage return are ordinary text.
    ///
    /// `bytes` must be valid UTF-8.
    public static func controls(_ bytes: [UInt8], file: String, log: inout DiagnosticLog) {
        var line = 1
        var lineStart = 0
        var continuations = 0
        var index = 0
        let count = bytes.count
        bytes.withUnsafeBufferPointer { buffer in
            while index < count {
                let byte = buffer[index]
                if byte >= 0x20 && byte < 0x7F {
                    index += 1
                    continue
                }
                let column = index - lineStart - continuations + 1
                switch byte {
                case 0x0A:
                    line += 1
                    lineStart = index + 1
                    continuations = 0
                case 0x0D:
                    // A lone CR ends a line too; CRLF counts once.
                    if index + 1 < count, buffer[index + 1] == 0x0A { break }
                    line += 1
                    lineStart = index + 1
                    continuations = 0
                case 0x09:
                    break
                case 0x00..<0x20, 0x7F:
                    log.error(file, line, column, controlMessage(UInt32(byte)))
                case 0xC2 where index + 1 < count && (0x80...0x9F).contains(buffer[index + 1]):
                    log.error(file, line, column, controlMessage(UInt32(buffer[index + 1])))
                    continuations += 1
                    index += 1
                case 0xE2 where index + 2 < count:
                    let scalar =
                        (UInt32(byte & 0x0F) << 12) | (UInt32(buffer[index + 1] & 0x3F) << 6)
                        | UInt32(buffer[index + 2] & 0x3F)
                    if let name = bidiName(scalar) {
                        log.warning(
                            file, line, column,
                            "this value holds an invisible \(name) (U+\(hex(scalar))), which can make text read in a misleading order; it is isolated in the newsletter and dropped from mail headers, but delete it unless the text needs it"
                        )
                    }
                default:
                    if byte & 0xC0 == 0x80 { continuations += 1 }
                }
                index += 1
            }
        }
    }

    /// Whether `scalar` is a bidirectional embedding, override or isolate
    /// (U+202A–U+202E, U+2066–U+2069).
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        bidiName(scalar.value) != nil
    }

    private static func bidiName(_ scalar: UInt32) -> String? {
        switch scalar {
        case 0x202A: return "left-to-right embedding"
        case 0x202B: return "right-to-left embedding"
        case 0x202C: return "pop directional formatting"
        case 0x202D: return "left-to-right override"
        case 0x202E: return "right-to-left override"
        case 0x2066: return "left-to-right isolate"
        case 0x2067: return "right-to-left isolate"
        case 0x2068: return "first strong isolate"
        case 0x2069: return "pop directional isolate"
        default: return nil
        }
    }

    private static func controlMessage(_ code: UInt32) -> String {
        let names: [UInt32: String] = [
            0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "ESC",
            0x7F: "DEL",
        ]
        let name = names[code].map { "\($0), " } ?? ""
        return
            "this value holds an invisible control character (\(name)U+\(hex(code))), which is not allowed in the data; delete it (such characters come from copying out of another program)"
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
