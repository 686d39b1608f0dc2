/// Text and attribute values for the feed and the sitemap (XML 1.0).
enum XMLText {
    /// `&`, `<`, `>`, `"` and `'` escaped; control characters XML 1.0
    /// cannot hold (all but tab and line ends, which the loaders already
    /// refuse in the data) dropped. Works on UTF-8 bytes: every byte it
    /// changes is ASCII, so multi-byte characters pass through whole.
    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes += Self.amp
            case UInt8(ascii: "<"): bytes += Self.lt
            case UInt8(ascii: ">"): bytes += Self.gt
            case UInt8(ascii: "\""): bytes += Self.quot
            case UInt8(ascii: "'"): bytes += Self.apos
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case 0..<0x20: continue
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let amp = Array("&amp;".utf8)
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8)
    private static let apos = Array("&apos;".utf8)
}
