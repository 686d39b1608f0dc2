import GRDB

/// An address not to mail on a list: why, from where and when. Every
/// ``ListStore`` keeps these; the SQLite store maps it to its
/// `suppression` table.
public struct Suppression: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    /// Why an address is suppressed.
    public enum Reason: String, Sendable, CaseIterable, Codable {
        /// The member asked to stop (one-click, the page, staff on their word).
        case unsubscribed
        /// A mail server said the mailbox or domain does not exist.
        case hardBounce = "hard-bounce"
        /// Deliveries failed for now too often (``Bounce/Limits``).
        case softBounces = "soft-bounces"
        /// The member marked the digest as spam.
        case complaint
        /// Staff decided, for a reason of their own.
        case staff
    }

    /// Where a suppression came from.
    public enum Source: String, Sendable, CaseIterable, Codable {
        /// RFC 8058's one-click POST from a mail client.
        case oneClick = "one-click"
        /// The button on the unsubscribe or preferences page.
        case page
        /// The relay's reply while sending.
        case relayReply = "relay reply"
        /// A delivery report read from the bounce mailbox.
        case deliveryReport = "delivery report"
        /// A `digest members` command.
        case command
        /// A complaint report (RFC 5965, ARF) read from the bounce mailbox.
        case feedbackReport = "feedback report"
        /// An event a mail provider posted to `digest serve` (SES, Postmark,
        /// SendGrid, Mailgun).
        case webhook = "provider webhook"

        /// The sources the first tables' CHECK allowed: the tables are made
        /// with these, and a later migration allows the rest, so every file
        /// and database goes through the same steps.
        public static let first: [Source] = [.oneClick, .page, .relayReply, .deliveryReport, .command]

        /// `'one-click','page',…`: the values of `sources`, for a CHECK.
        public static func sqlList(_ sources: [Source] = allCases) -> String {
            sources.map { "'\($0.rawValue)'" }.joined(separator: ",")
        }
    }

    /// One suppression of a batch (``ListStore/suppress(_:now:)``).
    public struct Request: Sendable {
        /// The address.
        public var address: String
        /// Why.
        public var reason: Reason
        /// From where.
        public var source: Source
        /// What was said (a relay's reply, a report's status), never shown with the address.
        public var detail: String?

        /// A request.
        public init(address: String, reason: Reason, source: Source, detail: String? = nil) {
            self.address = address
            self.reason = reason
            self.source = source
            self.detail = detail
        }
    }

    /// What a request found or made (``ListStore/suppress(_:now:)``).
    public struct Applied: Sendable, Equatable {
        /// The suppression in force.
        public var suppression: Suppression
        /// True when this request made it (the address was not suppressed).
        public var isNew: Bool
        /// The language the member chose on this list, if any.
        public var language: String?

        /// A request's outcome.
        public init(suppression: Suppression, isNew: Bool, language: String?) {
            self.suppression = suppression
            self.isNew = isNew
            self.language = language
        }
    }

    /// The table: `suppression`.
    public static let databaseTableName = "suppression"
    /// The list it holds for: a list's identifier, or ``ListID/everyList``.
    public var list: String
    /// The mailbox (lower case).
    public var mailbox: String
    /// Why.
    public var reason: Reason
    /// From where.
    public var source: Source
    /// What was said (a relay's reply, a report's status), never shown with the address.
    public var detail: String?
    /// When (seconds since 1970).
    public var created: Double

    /// A suppression.
    public init(
        list: String, mailbox: String, reason: Reason, source: Source, detail: String? = nil, created: Double
    ) {
        self.list = list
        self.mailbox = mailbox
        self.reason = reason
        self.source = source
        self.detail = detail
        self.created = created
    }

    /// The mailbox of an address: the whole address in lower case, so
    /// `Amina@` and `amina@` are one.
    public static func mailbox(_ address: String) -> String { address.lowercased() }
}
