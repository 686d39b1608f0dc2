/// One thing `digest mail check` found: what, how it stands, why, and
/// the record to publish when one is missing or wrong.
public struct DomainFinding: Sendable, Equatable {
    /// How it stands.
    public enum Status: String, Sendable, Equatable {
        /// As the big mailbox providers require.
        case ok
        /// Nothing is published.
        case missing
        /// Something is published, but not what is needed.
        case wrong
        /// DNS could not be asked, or the answer cannot be judged here.
        case unknown
    }

    /// How it stands.
    public var status: Status
    /// What was checked: `DMARC`, `SPF`, `DKIM`, `alignment`, `MX`, `https`.
    public var topic: String
    /// What was found, in staff's words.
    public var text: String
    /// The record to publish (a zone-file line), when that is the fix.
    public var publish: String?
    /// Whether bulk mail to Gmail, Yahoo and Microsoft needs it to be ok.
    public var required: Bool

    /// A finding.
    public init(_ status: Status, _ topic: String, _ text: String, publish: String? = nil, required: Bool = true) {
        self.status = status
        self.topic = topic
        self.text = text
        self.publish = publish
        self.required = required
    }
}

/// Everything `digest mail check` found.
public struct DomainReport: Sendable, Equatable {
    /// The findings, in the order checked.
    public var findings: [DomainFinding]

    /// True when every required finding is ok.
    public var ready: Bool { !findings.contains { $0.required && $0.status != .ok } }
    /// True when some question could not be asked at all.
    public var dnsFailed: Bool { findings.contains { $0.status == .unknown && $0.required } }
}
