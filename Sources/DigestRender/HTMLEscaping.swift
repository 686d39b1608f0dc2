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
        let escaped = escapeCharacters(text)
        return containsBidiControl(text) ? "<bdi>" + escaped + "</bdi>" : escaped
    }

    /// Whether `text` holds a bidirectional embedding, override or isolate
    /// (U+202A–U+202E, U+2066–U+2069), all encoded as E2 80 AA–AE or
    /// E2 81 A6–A9.
    ///
    /// Element text holding one is wrapped in `<bdi>`, which isolates it: an
    /// override left open in a commitment's title cannot reverse the rest of
    /// the newsletter. Templates put only checked addresses and numbers in
    /// attributes, and no data in `<title>` but the subject, which the view
    /// model keeps free of these controls.
    static func containsBidiControl(_ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == 0xE2 else { continue }
            guard let second = utf8.next(), let third = utf8.next() else { return false }
            if (second == 0x80 && (0xAA...0xAE).contains(third)) || (second == 0x81 && (0xA6...0xA9).contains(third)) {
                return true
            }
        }
        return false
    }

    private static func escapeCharacters(_ text: String) -> String {
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

/// The content type of the plain-text templates, registered with
/// swift-mustache under ``name``.
///
/// A value from the data is text, never layout markup: its `<` is replaced
/// by ``lessThan`` so that `<https://…>` in a commitment's title stays text
/// instead of becoming a numbered link, and ``PlainTextLayout`` turns it
/// back into `<` after numbering. A value holding a bidirectional control
/// is isolated between U+2068 and U+2069 (first-strong isolate), the plain
/// text form of `<bdi>`.
struct DigestTextContentType: MustacheContentType {
    static let name = "DIGEST_TEXT"

    /// A private-use character standing for a `<` that came from the data.
    static let lessThan: Character = "\u{E000}"

    func escapeText(_ text: String) -> String {
        var text = text
        if text.utf8.contains(UInt8(ascii: "<")) {
            text = String(text.map { $0 == "<" ? Self.lessThan : $0 })
        }
        if HTMLEscaping.containsBidiControl(text) { text = "\u{2068}" + text + "\u{2069}" }
        return text
    }
}
