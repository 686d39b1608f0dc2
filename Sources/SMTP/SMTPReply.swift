/// A server's reply (RFC 5321 section 4.2): a three-digit code and one or
/// more lines of text.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The code, such as 250.
    public var code: Int
    /// The text of each line, without the code and separator, as the
    /// server sent it.
    public var lines: [String]

    /// A reply (tests make their own).
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx: done.
    public var isPositive: Bool { (200..<300).contains(code) }
    /// 3xx: go on (354 after DATA, 334 during AUTH).
    public var isIntermediate: Bool { (300..<400).contains(code) }
    /// 4xx: refused for now; try again later.
    public var isTransient: Bool { (400..<500).contains(code) }
    /// 5xx: refused for good.
    public var isPermanent: Bool { code >= 500 }

    /// The enhanced status code (RFC 3463) at the start of the first line,
    /// such as `5.1.1`; nil when the server gave none.
    public var enhancedStatus: String? {
        guard let first = lines.first?.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let klass = parts[0].first, "245".contains(klass), parts[0].count == 1,
            parts[1...].allSatisfy({
                (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber)
            })
        else { return nil }
        return String(first)
    }

    /// `250 2.0.0 Ok: queued as 4F2A`: the code and the first line, as the
    /// server sent it (control characters included: quote them to print).
    public var description: String {
        lines.isEmpty ? "\(code)" : "\(code) \(lines[0])"
    }
}
