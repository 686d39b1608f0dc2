import Foundation
import MIME

/// The coalition's members (`members.csv`), loaded apart from the rest of
/// the data: only `check`, `send` and the preview's count need them, and a
/// real list (tens of thousands of rows) should not slow every render.
///
/// Diagnostics name the file, line and column and say what is wrong with
/// the address without repeating it: a member's address is personal data,
/// and `check`'s output is pasted into chats and tickets.
public enum MemberList {
    /// The columns of `members.csv`.
    static let columns = (
        required: ["email", "status"],
        optional: ["name", "first_name", "country", "timezone", "organisation", "language", "since"]
    )

    /// The result of loading: the members when there were no errors.
    public struct Result: Sendable {
        /// Every valid row, in file order; nil when any error was found or
        /// there is no list.
        public var members: [Member]?
        /// The path read, as diagnostics name it; nil when there is none.
        public var file: String?
        /// Errors and warnings.
        public var log: DiagnosticLog
    }

    /// Where the list of `coalition` in `dataFolder` is: `mail.members`
    /// (relative to the data folder, or absolute), else `members.csv` in it.
    public static func path(dataFolder: String, coalition: Coalition) -> String {
        let base = dataFolder.hasSuffix("/") ? String(dataFolder.dropLast()) : dataFolder
        guard let configured = coalition.mail?.members, !configured.isEmpty else { return base + "/members.csv" }
        if configured.hasPrefix("/") { return configured }
        return (base.isEmpty ? "" : base + "/") + configured
    }

    /// Loads the list at `path`. A missing file is not an error when
    /// `required` is false (a coalition that only renders has no list).
    public static func load(path: String, required: Bool = false) -> Result {
        var log = DiagnosticLog()
        let folder = (path as NSString).deletingLastPathComponent
        let reader = DataFileReader(base: folder.isEmpty ? "." : folder)
        guard
            let bytes = reader.bytes(path, at: path, required: required, kind: .csv, log: &log)
        else { return Result(members: required ? nil : [], file: nil, log: log) }
        return read(bytes, file: path, log: log)
    }

    /// The longest name greeted without a warning: a longer one is most
    /// likely a paste gone wrong, and fills many lines of the `To:` header.
    public static let longestName = 120

    /// Reads a list already in memory, named `file` in diagnostics.
    public static func read(_ bytes: [UInt8], file path: String, log: DiagnosticLog = DiagnosticLog()) -> Result {
        var log = log
        TextScan.controls(bytes, file: path, log: &log)
        // A list without its header line would have its first member's
        // address read as a column name, and repeated in the warning.
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        if firstLine.contains(UInt8(ascii: "@")) {
            log.error(
                path, 1, 1,
                "the first line must name the columns (email, name, country, organisation, language, status, since), but it holds an address; add the header line above it"
            )
            return Result(members: nil, file: path, log: log)
        }
        let countries: CountryTable
        do {
            countries = try CountryTable.standard()
        } catch {
            log.error(path, 1, 1, error.description)
            return Result(members: nil, file: path, log: log)
        }
        var members: [Member] = []
        var seen: [String: Int] = [:]
        var folded: [String: Int] = [:]
        // A list names few countries many times: each name is looked up once.
        var known: [String: CountryBox] = [:]
        let table = CSVTable(bytes: bytes, file: path, required: columns.required, optional: columns.optional)
        table.forEachRow(log: &log) { row in
            guard let member = parse(&row, countries: countries, known: &known) else { return }
            if let first = seen[member.key] {
                row.error(
                    "email",
                    "this address is already on line \(first) (addresses differing only in the case of their domain are one); keep one of the two rows"
                )
                return
            }
            seen[member.key] = member.line
            if let first = folded[member.mailbox] {
                row.warning(
                    "email",
                    "this address differs from the one on line \(first) only in capital letters; they are treated as one member (one message; unsubscribing either stops both), so keep one of the two rows"
                )
            } else {
                folded[member.mailbox] = member.line
            }
            members.append(member)
        }
        return Result(members: log.hasErrors ? nil : members, file: path, log: log)
    }

    /// The members the digest goes to: the subscribed ones, one a mailbox.
    ///
    /// Rows whose addresses differ only in capital letters are one person
    /// (``Member/mailbox``): the first row gets the digest, and none does
    /// when any of them is unsubscribed or bounced.
    public static func recipients(_ members: [Member]) -> [Member] {
        var everyRowSubscribed: [String: Bool] = [:]
        everyRowSubscribed.reserveCapacity(members.count)
        for member in members {
            everyRowSubscribed[member.mailbox, default: true] =
                everyRowSubscribed[member.mailbox, default: true] && member.receivesDigest
        }
        var taken = Set<String>()
        taken.reserveCapacity(members.count)
        return members.filter { member in
            member.receivesDigest && everyRowSubscribed[member.mailbox] == true && taken.insert(member.mailbox).inserted
        }
    }

    /// How many of ``recipients(_:)`` have a mailbox in `mailboxes`,
    /// without making that list: the work is the rows whose mailbox is
    /// among `mailboxes` (a few suppressed ones), not a copy of 100,000.
    public static func recipientCount(_ members: [Member], among mailboxes: Set<String>) -> Int {
        guard !mailboxes.isEmpty else { return 0 }
        var everyRowSubscribed: [String: Bool] = [:]
        for member in members where mailboxes.contains(member.mailbox) {
            everyRowSubscribed[member.mailbox, default: true] =
                everyRowSubscribed[member.mailbox, default: true] && member.receivesDigest
        }
        return everyRowSubscribed.values.count { $0 }
    }

    static func parse(_ row: inout CSVRow, countries: CountryTable, known: inout [String: CountryBox]) -> Member? {
        let email = row.raw("email")
        var address: String?
        if email.isEmpty {
            row.error("email", "email is empty; every member needs an address")
        } else if let problem = MailAddress.addressProblem(email, quoting: false) {
            row.error("email", "email is not a mailbox address: \(problem); write it as name@example.org")
        } else {
            address = email
        }
        let name = row.text("name")
        if let name, name.contains(where: { $0 == "<" || $0 == ">" || $0 == "@" }) {
            row.warning(
                "name", "name holds <, > or @: is an address in the name column? The name is what the digest greets")
        }
        if let name, name.count > longestName {
            row.warning(
                "name",
                "name is \(name.count) characters long, more than a name needs (\(longestName)); it is the greeting and the name in the To: line, so check that nothing else was pasted into it"
            )
        }
        let countryName = row.raw("country")
        var country = known[countryName]
        if country == nil, let found = row.country("country", in: countries) {
            country = CountryBox(found)
            known[countryName] = country
        }
        let status = row.choice("status", as: MemberStatus.self, required: true)
        let since = row.date("since")
        guard let address, let status else { return nil }
        var member = Member(
            email: address, name: name, countryBox: country, organisation: row.text("organisation"),
            language: row.text("language"), status: status, since: since, line: row.line)
        member.firstName = row.text("first_name")
        if let zone = row.text("timezone") {
            if TimeZoneName.isKnown(zone) {
                member.timezone = zone
            } else {
                let hint = TimeZoneName.suggestion(zone).map { "did you mean \"\($0)\"? " } ?? ""
                row.warning(
                    "timezone",
                    "timezone \"\(zone)\" is not a time zone of the tz database; \(hint)write it as Region/City, such as Africa/Nairobi, or leave it empty for the capital's zone of their country"
                )
            }
        }
        return member
    }
}
