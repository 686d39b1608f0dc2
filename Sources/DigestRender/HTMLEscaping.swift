import Mustache

/// Escapes text for HTML element content and double- or single-quoted
/// attribute values: `&`, `<`, `>`, `"` and `'`.
///
/// Works on UTF-8 bytes and returns the string untouched when nothing needs
/// escaping, the common case; swift-mustache's own escaper looks each
/// character up in a dictionary, which was 43% of a render.
public enum HTMLEscaping {
    /// The escaped text.
    public static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
            needs = true
            break
        }
        guard needs else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: output.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: output.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: output.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: output.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: output.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// The content type of the digest's HTML templates, registered with
/// swift-mustache under ``name``.
struct DigestHTMLContentType: MustacheContentType {
    static let name = "DIGEST_HTML"

    func escapeText(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }
}
