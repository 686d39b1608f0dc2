/// A mailbox: an optional display name and an address, as in
/// `Justice For All <campaign@example.org>`.
public struct MailAddress: Sendable, Equatable {
    /// The display name, if any.
    public var name: String?
    /// The address, `local@domain`.
    public var address: String

    /// Parses `Name <local@domain>` or `local@domain`.
    ///
    /// - Throws: ``MIMEError/invalidAddress(_:)`` for anything else,
    ///   including line breaks (which would start a new header).
    public init(parsing text: String) throws(MIMEError) {
        if text.contains(where: { $0.isNewline }) { throw .lineBreak(field: "address", value: text) }
        let trimmed = text.trimmingSpaces
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            var name = trimmed[..<open].trimmingSpaces
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            self.name = name.isEmpty ? nil : name
            self.address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        } else {
            self.name = nil
            self.address = trimmed
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            address.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else { throw .invalidAddress(text) }
    }

    /// The part after `@`.
    public var domain: String { String(address.split(separator: "@").last ?? "") }
    /// The part before `@`.
    public var localPart: String { String(address.split(separator: "@").first ?? "") }

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
