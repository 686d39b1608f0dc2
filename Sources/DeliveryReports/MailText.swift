import Foundation

/// A mail message as read back: its header fields, unfolded, and its body
/// as bytes, with what MIME needs to take it apart (the content type, the
/// transfer encoding, the parts of a multipart). Reading only: enough for
/// delivery reports, forgiving of the ways mail servers write them (LF or
/// CRLF line ends, missing closing boundaries, stray 8-bit bytes).
public struct MailText: Sendable {
    /// The header fields in order, names as written, values unfolded.
    public let fields: [(name: String, value: String)]
    /// The body, undecoded.
    public let body: ArraySlice<UInt8>

    /// Splits `bytes` into header fields and body at the first empty line.
    public init(_ bytes: ArraySlice<UInt8>) {
        var fields: [(name: String, value: String)] = []
        var index = bytes.startIndex
        var current: (name: String, value: [UInt8])?
        func finish() {
            if let field = current {
                fields.append((field.name, Self.text(Blanks.trim(field.value[...]))))
            }
            current = nil
        }
        while index < bytes.endIndex {
            var end = index
            while end < bytes.endIndex, bytes[end] != 10 { end += 1 }
            var lineEnd = end
            if lineEnd > index, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            let next = end < bytes.endIndex ? end + 1 : end
            if lineEnd == index {
                // The empty line: the body follows.
                index = next
                finish()
                self.fields = fields
                body = bytes[index...]
                return
            }
            let first = bytes[index]
            if first == 32 || first == 9 {
                // A folded line continues the field above.
                current?.value.append(32)
                current?.value.append(contentsOf: bytes[index..<lineEnd].drop { $0 == 32 || $0 == 9 })
            } else if let colon = bytes[index..<lineEnd].firstIndex(of: 58) {
                finish()
                let name = Self.text(Blanks.trim(bytes[index..<colon]))
                current = (name, Array(bytes[(colon + 1)..<lineEnd]))
            } else {
                // Not a field (an mbox "From " line, garbage): skipped.
                finish()
            }
            index = next
        }
        finish()
        self.fields = fields
        body = bytes[bytes.endIndex...]
    }

    /// The message in `bytes`.
    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// The first field named `name` (any case).
    public func field(_ name: String) -> String? {
        fields.first { Blanks.same($0.name, name) }?.value
    }

    /// Every field named `name` (any case), in order.
    public func fields(_ name: String) -> [String] {
        fields.filter { Blanks.same($0.name, name) }.map(\.value)
    }

    /// The content type, `text/plain` when none is given.
    public var contentType: ContentType {
        field("Content-Type").map(ContentType.init) ?? ContentType("text/plain")
    }

    /// The body with its transfer encoding (base64, quoted-printable) undone.
    public var decodedBody: [UInt8] {
        switch field("Content-Transfer-Encoding").map({ Blanks.lowercased(Blanks.trim($0)) }) {
        case "base64":
            let compact = body.filter { !($0 == 10 || $0 == 13 || $0 == 32 || $0 == 9) }
            return Data(base64Encoded: Data(compact), options: .ignoreUnknownCharacters).map { Array($0) }
                ?? Array(body)
        case "quoted-printable": return Self.unquote(body)
        default: return Array(body)
        }
    }

    /// The parts of a multipart body, each a message of its own; empty
    /// for anything else.
    public var parts: [MailText] {
        let type = contentType
        guard type.type == "multipart", let boundary = type.parameters["boundary"], !boundary.isEmpty else {
            return []
        }
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [MailText] = []
        var start: Int?
        var index = body.startIndex
        while index < body.endIndex {
            var end = index
            while end < body.endIndex, body[end] != 10 { end += 1 }
            let next = end < body.endIndex ? end + 1 : end
            let line = body[index..<end]
            if line.starts(with: delimiter) {
                if let start {
                    // The part ends before this line's line break.
                    var partEnd = index
                    if partEnd > start, body[partEnd - 1] == 10 { partEnd -= 1 }
                    if partEnd > start, body[partEnd - 1] == 13 { partEnd -= 1 }
                    parts.append(MailText(body[start..<partEnd]))
                }
                let rest = line.dropFirst(delimiter.count)
                if rest.starts(with: [45, 45]) { return parts }
                start = next
            }
            index = next
        }
        // No closing boundary: what was open is the last part.
        if let start, start < body.endIndex { parts.append(MailText(body[start...])) }
        return parts
    }

    /// Every part at any depth, this message first.
    public var allParts: [MailText] {
        [self] + parts.flatMap(\.allParts)
    }

    /// Bytes as text: UTF-8, or Latin-1 where they are not UTF-8.
    public static func text(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: Array(bytes), as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    /// Quoted-printable undone.
    static func unquote(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: return byte - 48
            case 65...70: return byte - 55
            case 97...102: return byte - 87
            default: return nil
            }
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 61 {
                let after = bytes.index(after: index)
                if after < bytes.endIndex, bytes[after] == 10 {
                    index = after + 1
                    continue
                }
                if after + 1 < bytes.endIndex, bytes[after] == 13, bytes[after + 1] == 10 {
                    index = after + 2
                    continue
                }
                if after + 1 < bytes.endIndex, let high = hex(bytes[after]), let low = hex(bytes[after + 1]) {
                    output.append(high << 4 | low)
                    index = after + 2
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return output
    }
}

/// A `Content-Type` value: `multipart/report; report-type=delivery-status; boundary="x"`.
public struct ContentType: Sendable, Equatable {
    /// `multipart`, in lower case.
    public let type: String
    /// `report`, in lower case.
    public let subtype: String
    /// The parameters, names in lower case, quotes removed.
    public let parameters: [String: String]

    /// Reads a value, forgiving of spaces and missing quotes.
    public init(_ value: String) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" {
                quoted.toggle()
            } else if character == ";", !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        let media = Blanks.lowercased(Blanks.trim(pieces[0]))
        let slash = media.split(separator: "/", maxSplits: 1)
        type = slash.first.map(String.init) ?? "text"
        subtype = slash.count > 1 ? String(slash[1]) : "plain"
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = Blanks.lowercased(Blanks.trim(piece[..<equals]))
            parameters[name] = Blanks.trim(piece[piece.index(after: equals)...])
        }
        self.parameters = parameters
    }

    /// `type/subtype`.
    public var media: String { type + "/" + subtype }
}
