/// Quoted-printable encoding (RFC 2045, section 6.7) for UTF-8 text bodies.
public enum QuotedPrintable {
    /// Encodes `text` for a `Content-Transfer-Encoding: quoted-printable` body.
    ///
    /// Line breaks (`\n` or `\r\n`) become CRLF hard breaks; longer lines get
    /// soft breaks (`=` CRLF) so that no encoded line exceeds 76 characters;
    /// an `=XX` escape is never split. Printable ASCII stays as it is except
    /// `=`; spaces and tabs before a line break are encoded (`=20`), and so is
    /// a `.` at the start of a line, which some transports would otherwise
    /// double or take as the end of the message.
    public static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var lineLength = 0
        let bytes = Array(text.utf8)
        let hex = Array("0123456789ABCDEF".utf8)

        func emit(_ token: [UInt8]) {
            // Keep one column for the soft break's "=".
            if lineLength + token.count > 75 {
                output.append(contentsOf: [UInt8(ascii: "="), 13, 10])
                lineLength = 0
            }
            output.append(contentsOf: token)
            lineLength += token.count
        }

        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 10 || (byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10) {
                output.append(contentsOf: [13, 10])
                lineLength = 0
                index += byte == 13 ? 2 : 1
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : 10
            let atLineEnd = next == 10 || next == 13
            let literal: Bool
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): literal = !atLineEnd
            case UInt8(ascii: "="): literal = false
            case UInt8(ascii: "."): literal = lineLength != 0
            case 33...126: literal = true
            default: literal = false
            }
            if literal {
                emit([byte])
            } else {
                emit([UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
