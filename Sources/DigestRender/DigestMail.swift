import CoalitionData
import DigestModel
import MIME

/// Builds the digest's email from the coalition's mail settings.
///
/// Everything comes from the data, never the clock: the `Date` is 09:00 in
/// the coalition's time zone on the day after the period, and the
/// `Message-ID` is made of the period, the coalition's name and the sender's
/// domain, so a message re-rendered later is byte for byte the same.
public enum DigestMail {
    /// The message for `digest`, with its rendered text and HTML.
    public static func message(for digest: Digest, subject: String, text: String, html: String) throws(DigestMailError)
        -> MailMessage
    {
        let coalition = digest.coalition
        guard let mail = coalition.mail else { throw .noMailSettings }
        do {
            let from = try MailAddress(parsing: mail.from)
            let to = try MailAddress(parsing: mail.to)
            let slug = Self.slug(coalition.name)
            let identifier = Self.listIdentifier(coalition) ?? ""
            let listID = ListIDHeader.value(name: coalition.name, identifier: identifier)
            var message = try MailMessage(
                from: from, to: to, subject: subject,
                date: Self.date(digest: digest), messageID: "digest-\(digest.period).\(slug)@\(from.domain)",
                listID: listID, unsubscribe: mail.unsubscribe.map { [$0] } ?? [], text: text, html: html)
            // The month, the list and the kind of mail: Gmail's Postmaster
            // Tools count complaints per field (the signing domain names the
            // sender). A list ID too long for one header line is cut.
            let room = 78 - "Feedback-ID: ".count - "\(digest.period)::digest".count
            message.feedbackID = "\(digest.period):\(identifier.prefix(room)):digest"
            return message
        } catch {
            throw .mime(error)
        }
    }

    /// The list's identifier, `coalition.lists.example.org`: the `List-Id`
    /// between its angle brackets, `mail.list_id` or made from `mail.to`;
    /// nil without mail settings.
    public static func listIdentifier(_ coalition: Coalition) -> String? {
        guard let mail = coalition.mail else { return nil }
        if let configured = mail.listID { return configured }
        // An unusable mail.to is reported where the settings are checked; here it gives no identifier.
        guard let to = try? MailAddress(parsing: mail.to) else { return nil }
        return ListIDHeader.identifier(list: to)
    }

    /// `Sun, 01 Mar 2020 09:00:00 -0500`: 09:00 on the day after the period.
    /// RFC 5322's day names, Monday first (ISO order).
    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    /// RFC 5322's month names.
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func date(digest: Digest) -> String {
        let day = digest.period.lastDay.adding(days: 1)
        let zone = digest.coalition.schedule.timezone
        let nine = LocalTime(hour: 9, minute: 0) ?? digest.coalition.schedule.time
        guard let instant = ZonedTime.instant(date: day, time: nine, zone: zone),
            let local = ZonedTime(instant: instant, zone: zone)
        else { return "" }
        // RFC 5322 section 3.3: English names, whatever language the digest is in.
        let weekday = Self.dayNames[local.date.weekday - 1]
        let month = Self.monthNames[local.date.month - 1]
        let offset = local.utcOffset.replacingOccurrences(of: ":", with: "")
        let dayText = local.date.day < 10 ? "0\(local.date.day)" : "\(local.date.day)"
        return "\(weekday), \(dayText) \(month) \(local.date.year) \(local.time):00 \(offset)"
    }

    /// `Justice For All` -> `justice-for-all`; at most 40 characters, so a
    /// long name cannot stretch the `Message-ID` line.
    public static func slug(_ name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        slug = String(slug.prefix(40))
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "coalition" : slug
    }
}

/// `List-Id` values (RFC 2919).
enum ListIDHeader {
    /// `Justice For All <coalition.lists.example.org>`: the list's
    /// identifier, named after the coalition.
    static func value(name: String, identifier: String) -> String {
        let phrase = MailAddress.phrase(name, firstWordLimit: 78 - "List-Id: ".count)
        return "\(phrase) <\(identifier)>"
    }

    /// `coalition.lists.example.org`: the list address with `@` turned into `.`.
    static func identifier(list: MailAddress) -> String {
        let label = list.localPart.unicodeScalars.filter {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == ".")
        }
        return "\(String(String.UnicodeScalarView(label))).\(list.domain)"
    }
}

/// Why the email could not be built.
public enum DigestMailError: Error, Sendable, CustomStringConvertible {
    /// `coalition.yaml` has no `mail:` section.
    case noMailSettings
    /// A header value is not acceptable.
    case mime(MIMEError)

    /// The message as people read it.
    public var description: String {
        switch self {
        case .noMailSettings:
            return "coalition.yaml has no mail section (from, to, unsubscribe), so digest.eml cannot be written"
        case .mime(let error): return error.description
        }
    }
}
