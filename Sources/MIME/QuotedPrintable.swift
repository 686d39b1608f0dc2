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
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(bytes.count + bytes.count / 8)
            encode(bytes, into: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` (UTF-8 text) to `output`: the same
    /// bytes as ``encode(_:)``, without making a string.
    public static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var column = 0
        encode(bytes, into: &output, column: &column, next: nil)
    }

    /// Appends the encoding of `bytes` as if the encoded line already held
    /// `column` characters, and leaves `column` where the line stands after
    /// them: a line encoded in pieces gives the same bytes as encoded whole.
    /// `next` is the byte that follows `bytes` in the text (nil at its end):
    /// a space before a line break is encoded, before anything else not.
    public static func encode(
        _ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], column: inout Int, next following: UInt8?
    ) {
        let hex: StaticString = "0123456789ABCDEF"
        var lineLength = column
        defer { column = lineLength }
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 10 || (byte == 13 && index + 1 < count && bytes[index + 1] == 10) {
                output.append(13)
                output.append(10)
                lineLength = 0
                index += byte == 13 ? 2 : 1
                continue
            }
            let next = index + 1 < count ? bytes[index + 1] : (following ?? 10)
            let atLineEnd = next == 10 || next == 13
            var literal: Bool
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): literal = !atLineEnd
            case UInt8(ascii: "="): literal = false
            case UInt8(ascii: "."): literal = lineLength != 0
            case 33...126: literal = true
            default: literal = false
            }
            var width = literal ? 1 : 3
            // Keep one column for the soft break's "=".
            if lineLength + width > 75 {
                output.append(UInt8(ascii: "="))
                output.append(13)
                output.append(10)
                lineLength = 0
                // A "." that a soft break puts at the start of a line is
                // encoded too.
                if byte == UInt8(ascii: ".") {
                    literal = false
                    width = 3
                }
            }
            if literal {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "="))
                output.append(hex.utf8Start[Int(byte >> 4)])
                output.append(hex.utf8Start[Int(byte & 0xF)])
            }
            lineLength += width
            index += 1
        }
    }
}
