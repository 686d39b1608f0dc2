/// A message that came back undelivered, or a relay's refusal, to record
/// for a member (``ListStore/recordBounces(_:source:limits:sends:now:)``),
/// and the rules by which bounces suppress: the one place they are
/// written, whichever store keeps the counts.
public struct Bounce: Sendable, Equatable {
    /// What kind of failure a bounce reports.
    public enum Kind: String, Sendable, Codable {
        /// The mailbox or domain does not exist (a 5.1.x status, MIME's
        /// `EnhancedStatus.addressDoesNotExist`).
        case hard
        /// A failure for now, or one that may pass (full mailbox, a
        /// refusal for content or policy).
        case soft
    }

    /// When bounces suppress a member (`mail.bounce_limits`).
    public struct Limits: Sendable, Equatable {
        /// Hard bounces that suppress.
        public var hard: Int
        /// Soft bounces that suppress …
        public var soft: Int
        /// … among the member's last this many sends.
        public var ofLast: Int

        /// Limits.
        public init(hard: Int = 1, soft: Int = 3, ofLast: Int = 5) {
            self.hard = hard
            self.soft = soft
            self.ofLast = ofLast
        }

        /// What a member's bounces now suppress them for, or nil: `hard`
        /// hard bounces (counted on every list: the mailbox does not exist
        /// for any of them), or soft bounces in `soft` of the months of
        /// `sends` (the member's last sends on this list, newest first;
        /// only the first `ofLast` count). Without `sends`, every month
        /// with a soft bounce counts.
        public func reason(
            after kind: Kind, hardBounces: Int, softMonths: Set<String>, sends: [String]
        ) -> Suppression.Reason? {
            switch kind {
            case .hard:
                return hardBounces >= hard ? .hardBounce : nil
            case .soft:
                let window = sends.prefix(ofLast)
                let inWindow = window.isEmpty ? softMonths.count : window.filter(softMonths.contains).count
                return inWindow >= soft ? .softBounces : nil
            }
        }
    }

    /// What recording a bounce did.
    public struct Outcome: Sendable, Equatable {
        /// False when the same report was recorded before (nothing counted twice).
        public var counted: Bool
        /// The reason the address is now suppressed for, when this bounce
        /// suppressed it.
        public var suppressed: Suppression.Reason?

        /// An outcome.
        public init(counted: Bool, suppressed: Suppression.Reason?) {
            self.counted = counted
            self.suppressed = suppressed
        }
    }

    /// The member's address.
    public var address: String
    /// The send it bounced from (`2019-06`).
    public var month: String
    /// Hard or soft.
    public var kind: Kind
    /// The enhanced status, when known.
    public var status: String?
    /// The report's own identity (its file and Message-ID): the same one
    /// again counts nothing.
    public var report: String?

    /// A bounce.
    public init(address: String, month: String, kind: Kind, status: String?, report: String?) {
        self.address = address
        self.month = month
        self.kind = kind
        self.status = status
        self.report = report
    }

    /// What a suppression by this bounce says of it (never the address):
    /// `hard bounce, status 5.1.1, 2019-06`.
    public var detail: String {
        status.map { "\(kind.rawValue) bounce, status \($0), \(month)" } ?? "\(kind.rawValue) bounce, \(month)"
    }
}
