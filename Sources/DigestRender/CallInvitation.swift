import CoalitionData
import DigestModel
import Foundation
import MIME
import Wording

/// The next call as an iCalendar event (RFC 5545), for "add to calendar":
/// `next-call.ics` beside the digest, attached to the email, and linked
/// from the newsletter when the coalition publishes an archive.
///
/// Same data, same bytes: the `UID` is made of the call's date, the
/// coalition and the sender's domain, so a calendar that imports it twice
/// updates one event; `DTSTAMP` is the digest's own date, never the clock.
/// The start is in UTC (`DTSTART:20200414T140000Z`), which every calendar
/// shows in its reader's zone. Calls have no end in the data: an hour is
/// assumed.
public enum CallInvitation {
    /// The file name beside the digest.
    public static let fileName = "next-call.ics"

    /// How long a call is taken to last.
    public static let durationMinutes = 60

    /// The calendar text, CRLF line ends, or nil when there is no next call.
    /// The words of its title and description come from `words`; the
    /// rest is the format's own.
    public static func ics(for digest: Digest, words: Words) -> String? {
        guard let next = digest.nextCall, let start = next.start else { return nil }
        let coalition = digest.coalition
        // mail.from is checked where the settings are; without one the UID's domain is a reserved name.
        let domain = coalition.mail.flatMap { try? MailAddress(parsing: $0.from) }?.domain ?? "coalition-digest.invalid"
        let named = next.title.flatMap { DigestView.isOnlyTheMonth($0, of: next.date, words: words) ? nil : $0 }
        let title =
            named.map { words.text("invitation.summary.titled", ["coalition": coalition.name, "title": $0]) }
            ?? words.text("invitation.summary", ["coalition": coalition.name])
        let registration = next.call?.registration ?? coalition.schedule.registration
        let description = words.text(
            registration == nil ? "invitation.description" : "invitation.description.register",
            ["coalition": coalition.name, "url": registration ?? ""])
        let stamp =
            ZonedTime.instant(
                date: digest.period.lastDay.adding(days: 1), time: LocalTime(hour: 9, minute: 0) ?? next.time,
                zone: coalition.schedule.timezone) ?? start
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Coalition Digest//Next call//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "BEGIN:VEVENT",
            "UID:call-\(next.date).\(DigestMail.slug(coalition.name))@\(domain)",
            "DTSTAMP:\(basic(stamp))", "DTSTART:\(basic(start))",
            "DTEND:\(basic(start.addingTimeInterval(Double(durationMinutes * 60))))",
            "SUMMARY:\(escape(title))", "DESCRIPTION:\(escape(description))",
        ]
        if let registration { lines.append("URL:\(registration)") }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20200414T140000Z`.
    static func basic(_ instant: Date) -> String {
        ZonedTime.utcString(instant).filter { $0 != "-" && $0 != ":" }
    }

    /// TEXT values: backslash, semicolon, comma and line breaks escaped.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n", "\r\n", "\r": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 character.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var pieces: [String] = []
        var current = ""
        var size = 0
        for character in line {
            let width = String(character).utf8.count
            if size + width > (pieces.isEmpty ? 75 : 74) {
                pieces.append(current)
                current = ""
                size = 0
            }
            current.append(character)
            size += width
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }
}
