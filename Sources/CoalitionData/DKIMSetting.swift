/// One DKIM key `digest send` signs with (`mail.dkim`): the domain that
/// signs (`d=`), the selector its public key is published under
/// (`s=`, at `selector._domainkey.domain`) and the private key's file.
public struct DKIMSetting: Sendable, Equatable {
    /// `d=`: the signing domain, lower case.
    public var domain: String
    /// `s=`: the selector, lower case.
    public var selector: String
    /// The private key's file, as written (relative to the data folder, or absolute).
    public var keyFile: String
    /// Where `key_file` is written in `coalition.yaml`, for problems with the key.
    public var file: String
    /// Its line.
    public var line: Int
    /// Its column.
    public var column: Int

    /// A key setting (tests make their own).
    public init(
        domain: String, selector: String, keyFile: String, file: String = "coalition.yaml", line: Int = 1,
        column: Int = 1
    ) {
        self.domain = domain
        self.selector = selector
        self.keyFile = keyFile
        self.file = file
        self.line = line
        self.column = column
    }

    /// Where the public key is published: `selector._domainkey.domain`.
    public var recordName: String { "\(selector)._domainkey.\(domain)" }

    /// Whether `name` is a domain name: dot-separated labels of letters,
    /// digits and inner hyphens, each 1 to 63 characters, 253 in all.
    public static func isDomainName(_ name: String, labels minimum: Int = 1) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 253, labels.count >= minimum else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    /// Whether the signing domain aligns with `fromDomain` under DMARC's
    /// relaxed rule: the same, or one a parent of the other (a simplified
    /// organisational domain; `digest mail check` reads the DMARC record).
    public func aligns(with fromDomain: String) -> Bool {
        let from = fromDomain.lowercased()
        return from == domain || from.hasSuffix("." + domain) || domain.hasSuffix("." + from)
    }
}
