/// Checks the web addresses staff put in data files, as RFC 3986 URIs.
///
/// An address goes into `href` attributes, mail headers and numbered
/// references of the text digest, so what passes here must be a URI and
/// nothing more: quotes, angle brackets, spaces and control characters are
/// refused. What a person pastes from a browser's address bar is accepted
/// and percent-encoded: letters outside ASCII (`é` becomes `%C3%A9`) and the
/// few ASCII characters RFC 3986 leaves out (`{ } | \ ^` and the backquote).
public enum WebAddress {
    /// The outcome of checking an address.
    public enum Check: Sendable, Equatable {
        /// The address, percent-encoded where needed.
        case valid(String)
        /// Why it is not acceptable, in words staff can act on.
        case invalid(String)
    }

    /// Why `value` is not an acceptable link, or nil when it is.
    public static func problem(_ value: String) -> String? {
        if case .invalid(let problem) = check(value) { return problem }
        return nil
    }

    /// An address as a reader needs to see it: without the scheme and
    /// `www.`, and with the path cut to fit a phone's line
    /// (`register.gotowebinar.com/register/36866…`): in
    /// the newsletter's notes and on the printed workbook.
    public static func display(_ address: String, limit: Int = 36) -> String {
        var text = Substring(address)
        for prefix in ["https://", "http://", "mailto:"] where text.lowercased().hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
        }
        if text.lowercased().hasPrefix("www.") { text = text.dropFirst(4) }
        while text.hasSuffix("/") { text = text.dropLast() }
        guard text.count > limit else { return String(text) }
        let host = text.prefix { $0 != "/" }
        let room = max(limit, host.count + 8)
        return String(text.prefix(room)) + "…"
    }

    /// The site an address is on, as a reader names it: `opengovpartnership.org`
    /// for `https://www.opengovpartnership.org/…` (the address of a
    /// `mailto:`), for a link's label that stays whole in a narrow cell.
    public static func site(_ address: String) -> String {
        var text = Substring(address)
        for prefix in ["https://", "http://", "mailto:"] where text.lowercased().hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
        }
        if text.lowercased().hasPrefix("www.") { text = text.dropFirst(4) }
        let host = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return host.isEmpty ? String(text) : String(host)
    }

    /// Checks `value`: an `https://`, `http://` or `mailto:` URI.
    public static func check(_ value: String) -> Check {
        let lower = value.lowercased()
        let schemes = ["https://", "http://", "mailto:"]
        guard let scheme = schemes.first(where: lower.hasPrefix) else {
            if lower.hasPrefix("www.") {
                return .invalid("the address \"\(value)\" needs https:// in front (https://\(value))")
            }
            return .invalid(
                "the address \"\(value)\" must start with https:// (or http://, or mailto: for an email address)")
        }
        let rest = value.unicodeScalars.dropFirst(scheme.count)
        if rest.isEmpty { return .invalid("the address \"\(value)\" has nothing after \(scheme)") }

        var output = String(value.prefix(scheme.count))
        let scalars = Array(rest)
        var index = 0
        var sawFragment = false
        // For http(s): the authority runs to the first /, ? or #.
        var inAuthority = scheme != "mailto:"
        var host = ""
        var hostDone = false
        var authorityHasAt = scalars.prefix { !"/?#".unicodeScalars.contains($0) }.contains("@")
        while index < scalars.count {
            let scalar = scalars[index]
            let v = scalar.value
            if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D {
                return .invalid(
                    "the address \"\(value)\" contains a space or a line break; copy it again from the browser's address bar"
                )
            }
            if v < 0x20 || (0x7F...0x9F).contains(v) || TextScan.isBidiControl(scalar) {
                return .invalid(
                    "the address contains an invisible control character (U+\(String(v, radix: 16, uppercase: true))); copy it again from the browser's address bar"
                )
            }
            if scalar == "\"" || scalar == "<" || scalar == ">" {
                return .invalid(
                    "the address \"\(value)\" contains \(scalar == "\"" ? "a quotation mark" : "an angle bracket"), which cannot be part of a web address; copy it again from the browser's address bar"
                )
            }
            if scalar == "%" {
                guard index + 2 < scalars.count, isHex(scalars[index + 1]), isHex(scalars[index + 2]) else {
                    return .invalid(
                        "the address \"\(value)\" has a % that is not followed by two hexadecimal digits; write a percent sign in an address as %25"
                    )
                }
                output.unicodeScalars.append(contentsOf: scalars[index...index + 2])
                if inAuthority && !hostDone && !authorityHasAt { host += "x" }
                index += 3
                continue
            }
            if inAuthority && (scalar == "/" || scalar == "?" || scalar == "#") {
                inAuthority = false
                hostDone = true
            }
            if inAuthority {
                if scalar == "@" && authorityHasAt {
                    authorityHasAt = false
                    host = ""
                    output.unicodeScalars.append(scalar)
                    index += 1
                    continue
                }
                if !authorityHasAt && !hostDone {
                    if scalar == "[" {
                        // An IP literal: [2001:db8::1].
                        guard let close = scalars[index...].firstIndex(of: "]") else {
                            return .invalid("the address \"\(value)\" opens a [ in its host name but never closes it")
                        }
                        let literal = scalars[(index + 1)..<close]
                        guard !literal.isEmpty,
                            literal.allSatisfy({ isHex($0) || $0 == ":" || $0 == "." || $0 == "v" || $0 == "V" })
                        else { return .invalid("the address \"\(value)\" has an invalid IP address in [ ]") }
                        output.unicodeScalars.append(contentsOf: scalars[index...close])
                        host = "ip"
                        hostDone = true
                        index = close + 1
                        continue
                    }
                    if scalar == ":" {
                        hostDone = true
                        let port = scalars[(index + 1)...].prefix { !"/?#".unicodeScalars.contains($0) }
                        guard port.allSatisfy({ ("0"..."9").contains($0) }), port.count <= 5 else {
                            return .invalid(
                                "the address \"\(value)\" has something other than a port number after the : in its host name"
                            )
                        }
                        output.unicodeScalars.append(scalar)
                        index += 1
                        continue
                    }
                    if !isHostCharacter(scalar) {
                        return .invalid(
                            "the address \"\(value)\" has a character that cannot be in a host name (\(scalar)); check the part after \(scheme)"
                        )
                    }
                    host.unicodeScalars.append(scalar)
                }
            }
            if scalar == "#" {
                if sawFragment {
                    append(encoded: scalar, to: &output)
                    index += 1
                    continue
                }
                sawFragment = true
            }
            if isURICharacter(scalar) && !(scalar == "[" || scalar == "]") {
                output.unicodeScalars.append(scalar)
            } else {
                append(encoded: scalar, to: &output)
            }
            index += 1
        }
        if scheme != "mailto:" {
            if host.isEmpty {
                return .invalid("the address \"\(value)\" has no host name after \(scheme)")
            }
            if host.hasPrefix(".") || host.hasSuffix("..") || host.contains("..") {
                return .invalid("the address \"\(value)\" has an empty part in its host name (two dots in a row)")
            }
        }
        return .valid(output)
    }

    private static func isHex(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    /// Unreserved and sub-delimiter characters, and letters beyond ASCII
    /// (which are percent-encoded): what a registered name may hold.
    private static func isHostCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if !scalar.isASCII { return true }
        return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || "-._~!$&'()*+,;=".unicodeScalars.contains(scalar)
    }

    /// The ASCII characters RFC 3986 allows in a URI, `%` aside.
    private static func isURICharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) {
            return true
        }
        return "-._~:/?#[]@!$&'()*+,;=".unicodeScalars.contains(scalar)
    }

    private static func append(encoded scalar: Unicode.Scalar, to output: inout String) {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        for byte in String(scalar).utf8 {
            output.unicodeScalars.append("%")
            output.unicodeScalars.append(hex[Int(byte >> 4)])
            output.unicodeScalars.append(hex[Int(byte & 0xF)])
        }
    }
}
