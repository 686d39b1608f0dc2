/// Which link addresses may reach a reader.
public enum LinkPolicy {
    /// The address when its scheme is `http`, `https` or `mailto`; nil for
    /// anything else (`javascript:`, `data:`, relative paths…), whose link
    /// text is then shown as plain text.
    public static func allowed(_ destination: String) -> String? {
        let trimmed = destination.trimmingSpacesAndControls
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") else {
            return nil
        }
        return trimmed
    }

    /// `register.gotowebinar.com` for `https://register.gotowebinar.com/x`.
    public static func host(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return host.isEmpty ? url : String(host)
    }
}

extension String {
    fileprivate var trimmingSpacesAndControls: String {
        var text = Substring(self)
        while let first = text.unicodeScalars.first, first.value <= 0x20 { text.removeFirst() }
        while let last = text.unicodeScalars.last, last.value <= 0x20 { text.removeLast() }
        return String(text)
    }
}
