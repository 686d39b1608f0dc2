import NIOCore

/// Turns the bytes from the server into ``SMTPReply`` values, joining the
/// lines of a multi-line reply (`250-…` up to `250 …`).
///
/// A line longer than ``maximumLineLength`` or a reply of more than
/// ``maximumLines`` lines is an error, so a broken or hostile server cannot
/// make the client hold unbounded memory. So is anything RFC 5321 section
/// 4.2 does not allow: a code whose first digit is not 2 to 5, a code
/// followed by anything but a space, `-` or the line's end, and the lines
/// of one reply with different codes.
///
/// It is a plain value, not a channel handler, so that ``SMTPClientHandler``
/// can see exactly which bytes are still unread when TLS begins (RFC 3207
/// section 4.2) and start again from nothing.
struct SMTPReplyDecoder {
    static let maximumLineLength = 4096
    static let maximumLines = 200

    private var lines: [String] = []
    private var lineCode = 0

    /// Bytes that are no reply, as text that can be stored and printed:
    /// control characters (a NUL would cut a database's text short) as
    /// `\u{0}`.
    static func shown(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for scalar in String(decoding: Array(bytes), as: UTF8.self).unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                text += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    /// True while the lines of a multi-line reply are being collected.
    var isInsideReply: Bool { !lines.isEmpty }

    /// The next whole reply in `buffer`, consuming its bytes; nil when
    /// `buffer` holds no whole reply yet (the lines read so far are kept).
    ///
    /// - Throws: ``SMTPError/malformedReply(_:)``.
    mutating func decode(_ buffer: inout ByteBuffer) throws(SMTPError) -> SMTPReply? {
        while true {
            guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > Self.maximumLineLength { throw .malformedReply("a line too long") }
                return nil
            }
            let length = newline - buffer.readerIndex
            if length > Self.maximumLineLength { throw .malformedReply("a line too long") }
            guard var bytes = buffer.readBytes(length: length) else { return nil }
            buffer.moveReaderIndex(forwardBy: 1)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                (0x32...0x35).contains(bytes[0]),
                bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
            else {
                throw .malformedReply(Self.shown(bytes.prefix(80)))
            }
            let code = Int(bytes[0] - 0x30) * 100 + Int(bytes[1] - 0x30) * 10 + Int(bytes[2] - 0x30)
            if !lines.isEmpty, code != lineCode {
                throw .malformedReply("the lines of one reply have different codes (\(lineCode) and \(code))")
            }
            lineCode = code
            let more = bytes.count > 3 && bytes[3] == UInt8(ascii: "-")
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if lines.count > Self.maximumLines { throw .malformedReply("a reply of too many lines") }
            if more { continue }
            let reply = SMTPReply(code: code, lines: lines)
            lines = []
            return reply
        }
    }
}
