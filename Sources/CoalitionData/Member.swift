/// Whether a member receives the digest.
public enum MemberStatus: String, Sendable, CaseIterable {
    /// Receives it.
    case subscribed
    /// Asked not to; never written to.
    case unsubscribed
    /// Their mail server refused delivery for good; never written to until
    /// staff correct the address.
    case bounced
}

/// A member of the coalition: one row of `members.csv`.
///
/// The address (and the name) are personal data: they go to the mail
/// server and the send ledger only, never into `digest.json`, logs, the
/// preview's pages or diagnostics, which name the file and line instead.
public struct Member: Sendable, Equatable {
    /// The mailbox, `local@domain`, as written (checked as an RFC 5322
    /// addr-spec in ASCII).
    public let email: String
    /// The address with its domain in lower case: two rows with the same
    /// key are one member (the part before the @ may be case-sensitive, so
    /// it is kept as written). Made once: a send of 100,000 members asks
    /// for it several times each.
    public let key: String
    /// The whole address in lower case: rows with the same mailbox are
    /// treated as one person for sending and unsubscribing (a mail server
    /// that told `Amina@` from `amina@` would be rare and unkind).
    public let mailbox: String
    /// How to greet them; nil for the coalition's neutral greeting.
    public var name: String?
    /// The name a greeting of `mail.greeting` such as "Dear {{first_name}},"
    /// uses (the `first_name` column); nil to use `name`.
    public var firstName: String?
    /// Their IANA time zone (`timezone` column), for the next call at their
    /// own time; nil: their country's (``Country/timezone``).
    public var timezone: String?
    /// The zone their copy shows the next call in: their own, else their
    /// country's capital's; nil when neither is known.
    public var localZone: String? { timezone ?? country?.timezone }
    /// Their country, for "From your country".
    public var country: Country? { countryBox?.country }
    /// The country, kept by reference: a list names a few dozen countries
    /// a hundred thousand times, and a `Country` is five strings.
    private let countryBox: CountryBox?
    /// Their organisation.
    public var organisation: String?
    /// A language tag (`fr`, `es`), kept for later.
    public var language: String?
    /// Whether they receive the digest.
    public var status: MemberStatus
    /// When they joined.
    public var since: LocalDate?
    /// The line in `members.csv`, for diagnostics.
    public var line: Int

    /// A member (tests and tools make their own).
    public init(
        email: String, name: String? = nil, country: Country? = nil, organisation: String? = nil,
        language: String? = nil, status: MemberStatus, since: LocalDate? = nil, line: Int, firstName: String? = nil
    ) {
        self.init(
            email: email, name: name, countryBox: country.map(CountryBox.init), organisation: organisation,
            language: language, status: status, since: since, line: line)
        self.firstName = firstName
    }

    /// A member whose country's box is shared with other members.
    init(
        email: String, name: String?, countryBox: CountryBox?, organisation: String?, language: String?,
        status: MemberStatus, since: LocalDate?, line: Int
    ) {
        self.email = email
        // Most addresses are written in lower case: then all three share
        // one string's storage.
        let key = Self.key(email)
        self.key = key == email ? email : key
        let lower = !email.utf8.contains(where: { (65...90).contains($0) || $0 >= 0x80 })
        self.mailbox = lower ? email : email.lowercased()
        self.name = name
        self.countryBox = countryBox
        self.organisation = organisation
        self.language = language
        self.status = status
        self.since = since
        self.line = line
    }

    /// `email` with its domain in lower case.
    static func key(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@") else { return email }
        let domain = email[email.index(after: at)...]
        guard domain.utf8.contains(where: { (65...90).contains($0) || $0 >= 0x80 }) else { return email }
        return String(email[..<at]) + "@" + domain.lowercased()
    }

    /// True when the digest is sent to them.
    public var receivesDigest: Bool { status == .subscribed }
}

/// A country shared by the members who name it.
final class CountryBox: Sendable, Equatable {
    let country: Country

    init(_ country: Country) {
        self.country = country
    }

    static func == (lhs: CountryBox, rhs: CountryBox) -> Bool {
        lhs === rhs || lhs.country == rhs.country
    }
}
