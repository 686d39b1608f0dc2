/// Checks the web addresses staff put in data files.
public enum WebAddress {
    /// Why `value` is not an acceptable link, or nil when it is. Accepted are
    /// `https://`, `http://` and `mailto:` addresses without spaces.
    public static func problem(_ value: String) -> String? {
        let lower = value.lowercased()
        let schemes = ["https://", "http://", "mailto:"]
        guard let scheme = schemes.first(where: lower.hasPrefix) else {
            if lower.hasPrefix("www.") {
                return "the address \"\(value)\" needs https:// in front (https://\(value))"
            }
            return "the address \"\(value)\" must start with https:// (or http://, or mailto: for an email address)"
        }
        if value.count <= scheme.count {
            return "the address \"\(value)\" has nothing after \(scheme)"
        }
        if value.contains(where: { $0.isWhitespace || $0.isNewline }) {
            return "the address \"\(value)\" contains a space; copy it again from the browser's address bar"
        }
        return nil
    }
}
