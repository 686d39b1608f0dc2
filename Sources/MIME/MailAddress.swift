#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A mailbox: an optional display name and an address, as in
/// `Justice For All <campaign@example.org>`.
public struct MailAddress: Sendable, Equatable {
    /// The display name, if any.
    public var name: String?
    /// The address, `local@domain`.
    public var address: String

    /// A mailbox of an address already checked (such as a member's from
    /// `members.csv`); runs of white space in the name, line breaks
    /// included, become one space, so the name cannot start a new header.
    public init(name: String?, address: String) {
        let oneLine = name?.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        self.name = oneLine?.isEmpty == false ? oneLine : nil
        self.address = address
    }

    /// Parses `Name <local@domain>` or `local@domain`.
    ///
    /// The address must be an RFC 5322 addr-spec in ASCII (a dot-atom or
    /// quoted local part, a domain of letters, digits and hyphens or an
    /// address literal); the name may be any text on one line.
    ///
    /// - Throws: ``MIMEError/invalidAddress(_:reason:)`` saying what is
    ///   wrong, or ``MIMEError/lineBreak(field:value:)`` for a line break
    ///   (which would start a new header).
    public init(parsing text: String) throws(MIMEError) {
        if text.contains(where: { $0.isNewline }) { throw .lineBreak(field: "address", value: text) }
        let trimmed = text.trimmingSpaces
        if let open = trimmed.lastIndex(of: "<") {
            guard let close = trimmed[open...].firstIndex(of: ">") else {
                throw .invalidAddress(text, reason: "it opens a < but never closes it with >")
            }
            let after = trimmed[trimmed.index(after: close)...]
            if !after.isEmpty {
                throw .invalidAddress(text, reason: "there is text after the closing > (\(after))")
            }
            var name = trimmed[..<open].trimmingSpaces
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            if name.contains("<") || name.contains(">") {
                throw .invalidAddress(text, reason: "the name holds a < or >; write the name without them")
            }
            if let problem = Self.controlProblem(name) { throw .invalidAddress(text, reason: problem) }
            self.name = name.isEmpty ? nil : name
            self.address = String(trimmed[trimmed.index(after: open)..<close])
        } else {
            if trimmed.contains(">") {
                throw .invalidAddress(text, reason: "it has a > without a matching <")
            }
            self.name = nil
            self.address = trimmed
        }
        if let problem = Self.addressProblem(address) { throw .invalidAddress(text, reason: problem) }
    }

    /// Why `address` is not an RFC 5322 addr-spec a mail server accepts
    /// (`local@domain` in ASCII), or nil when it is one.
    ///
    /// - Parameter quoting: false to keep every part of the address out of
    ///   the reason (a member's address is personal data, and diagnostics
    ///   name only the file and line).
    public static func addressProblem(_ address: String, quoting: Bool = true) -> String? {
        isPlainAddress(address) ? nil : fullAddressProblem(address, quoting: quoting)
    }

    /// ``addressProblem(_:quoting:)`` without its fast path (the tests hold
    /// the two to the same answers).
    static func fullAddressProblem(_ address: String, quoting: Bool) -> String? {
        if address.isEmpty { return "there is no address" }
        if let problem = controlProblem(address) { return problem }
        if let letter = address.unicodeScalars.first(where: { !$0.isASCII }) {
            return
                "it holds \(quoting ? "\"\(letter)\", a letter" : "a letter") outside ASCII, which most mail servers refuse; write the address in ASCII (a domain in its xn-- form)"
        }
        guard let at = address.lastIndex(of: "@") else {
            return "it has no @"
        }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        if local.isEmpty { return "nothing stands before the @" }
        if domain.isEmpty { return "nothing stands after the @" }
        if address.utf8.count > 254 { return "it is longer than the 254 characters an address may have" }
        if local.utf8.count > 64 { return "the part before the @ is longer than 64 characters" }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\""), isQuotedString(local.dropFirst().dropLast()) else {
                return "the quoted part before the @ is not closed properly"
            }
        } else {
            if local.contains(where: { $0 == "," || $0 == ";" }) || domain.contains(where: { $0 == "," || $0 == ";" }) {
                return "it holds more than one address, or a comma; give one address"
            }
            if local.contains(" ") || domain.contains(" ") { return "it contains a space" }
            guard isDotAtom(local) else {
                if local.contains("@") { return "it has more than one @" }
                return
                    "the part before the @\(quoting ? " (\(local))" : "") has a character an address cannot hold, or a dot at its start, its end or twice in a row"
            }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]"), domain.count > 2 else {
                return "the address literal after the @ is not closed"
            }
            guard isAddressLiteral(domain.dropFirst().dropLast()) else {
                return
                    "the address literal after the @ is not an IP address; write [192.0.2.1] or [IPv6:2001:db8::1], or better, the domain's name"
            }
            return nil
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            return "the domain after the @\(quoting ? " (\(domain))" : "") needs a dot, as in example.org"
        }
        for label in labels {
            if label.isEmpty {
                return "the domain after the @ has an empty part (a dot at its start, its end or twice)"
            }
            if label.utf8.count > 63 { return "a part of the domain is longer than 63 characters" }
            guard label.utf8.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }) else {
                return
                    "the domain after the @\(quoting ? " (\(domain))" : "") may hold only letters, digits, hyphens and dots"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return "a part of the domain starts or ends with a hyphen"
            }
        }
        return nil
    }

    /// The shape nearly every address has, checked in one pass over its
    /// bytes (a member list of 100,000 is read before each send): letters,
    /// digits and `._+-` before the one @, dot-separated labels of letters,
    /// digits and inner hyphens after it, within the lengths. Anything else
    /// goes through the full checks, which say what is wrong; everything
    /// this accepts, they accept too.
    static func isPlainAddress(_ address: String) -> Bool {
        var address = address
        let count = address.utf8.count
        guard count <= 254 else { return false }
        return address.withUTF8 { bytes -> Bool in
            guard let at = bytes.firstIndex(of: 64), at > 0, at <= 64, at < count - 1 else { return false }
            var previous: UInt8 = 46  // a dot: none may start the local part
            for byte in bytes[..<at] {
                switch byte {
                case 48...57, 65...90, 97...122, 43, 45, 95: break
                case 46: if previous == 46 { return false }
                default: return false
                }
                previous = byte
            }
            if previous == 46 { return false }
            var labels = 0
            var length = 0
            previous = 46
            for byte in bytes[(at + 1)...] {
                switch byte {
                case 48...57, 65...90, 97...122:
                    length += 1
                case 45:
                    if previous == 46 { return false }
                    length += 1
                case 46:
                    if previous == 46 || previous == 45 { return false }
                    labels += 1
                    length = 0
                default: return false
                }
                if length > 63 { return false }
                previous = byte
            }
            return previous != 46 && previous != 45 && labels >= 1
        }
    }

    /// The inside of an RFC 5321 address literal: an IPv4 address in dotted
    /// form, or `IPv6:` and an IPv6 address.
    static func isAddressLiteral(_ text: Substring) -> Bool {
        var address = in6_addr()
        if text.hasPrefix("IPv6:") || text.hasPrefix("ipv6:") {
            let inside = String(text.dropFirst(5))
            return !inside.isEmpty && inside.utf8.allSatisfy({ isHexDigit($0) || $0 == 58 || $0 == 46 })
                && inet_pton(AF_INET6, inside, &address) == 1
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                (1...3).contains(part.count) && part.utf8.allSatisfy { (0x30...0x39).contains($0) }
                    && (Int(part) ?? 256) <= 255
            }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    private static func controlProblem(_ text: some StringProtocol) -> String? {
        guard let scalar = text.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        else { return nil }
        return "it holds an invisible control character (U+\(String(scalar.value, radix: 16, uppercase: true)))"
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// RFC 5322 dot-atom: atext runs separated by single dots.
    private static let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    private static func isDotAtom(_ text: Substring) -> Bool {
        var previousDot = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
            } else if isLetterOrDigit(byte) || atext.contains(byte) {
                previousDot = false
            } else {
                return false
            }
        }
        return !previousDot
    }

    /// The inside of an RFC 5322 quoted string: printable ASCII, with `"`
    /// and `\` escaped by a backslash.
    private static func isQuotedString(_ text: Substring) -> Bool {
        var escaped = false
        for byte in text.utf8 {
            if escaped {
                escaped = false
                continue
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                continue
            }
            if byte == UInt8(ascii: "\"") || byte < 0x20 || byte > 0x7E { return false }
        }
        return !escaped
    }

    /// The part after `@`.
    public var domain: String { address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]) } ?? "" }
    /// The part before `@`.
    public var localPart: String { address.lastIndex(of: "@").map { String(address[..<$0]) } ?? address }

    /// The mailbox as a header writes it: the name quoted when it holds
    /// special characters, RFC 2047-encoded when it is not ASCII.
    public var headerValue: String { headerValue(firstWordLimit: 75) }

    /// The header form, with the first encoded word short enough to share
    /// the header's first line with its name.
    public func headerValue(firstWordLimit: Int) -> String {
        guard let name else { return address }
        return Self.phrase(name, firstWordLimit: firstWordLimit) + " <" + address + ">"
    }

    /// A display name as an RFC 5322 phrase: as it is when it is plain
    /// words, quoted when it holds special characters, RFC 2047-encoded when
    /// it is not ASCII.
    public static func phrase(_ name: String, firstWordLimit: Int = 75) -> String {
        let name = EncodedWord.withoutBidiControls(name)
        if !EncodedWord.isPlain(name) { return EncodedWord.encode(name, firstWordLimit: firstWordLimit) }
        let specials = Set("()<>[]:;@\\,.\"")
        if name.contains(where: { specials.contains($0) }) {
            return "\"" + name.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        }
        return name
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
