import CoalitionData
import DigestRender
import Foundation
import ListState
import MIME
import Wording

extension JoinService {
    /// The confirmation message, ready for the transport.
    struct Confirmation {
        /// The envelope sender.
        var sender: String
        /// The message, CRLF line ends.
        var bytes: [UInt8]
    }

    /// The message that asks `pending`'s address to confirm, in the
    /// language of the page they asked on: the link, what it does, and what
    /// to do if they did not ask. Plain text and HTML; every value escaped.
    func confirmation(_ pending: Join.Pending, link: String, now: Double) throws(ProjectError) -> Confirmation {
        let coalition = members.dataset.coalition
        guard let mail = coalition.mail else { throw .noMailSettings(.noMailSettings) }
        let words = members.words[pending.pageLanguage] ?? members.renderer.words
        let list = coalition.name
        let body = words.text("serve.join.mail.body", ["list": list])
        let ignore = words.text("serve.join.mail.ignore")
        let button = words.text("serve.join.mail.button")
        let text = "\(body)\n\n\(link)\n\n\(ignore)\n\n-- \n\(list)\n"
        let html = """
            <!DOCTYPE html>
            <html lang="\(Self.escape(words.language))">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark"><title>\(Self.escape(list))</title></head>
            <body style="margin:0;padding:24px 16px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:24px">
            <p>\(Self.escape(body))</p>
            <p><a href="\(Self.escape(link))" style="display:inline-block;padding:12px 24px;border-radius:6px;background-color:#14532d;color:#ffffff;font-weight:bold;text-decoration:none">\(Self.escape(button))</a></p>
            <p style="font-size:14px;overflow-wrap:anywhere">\(Self.escape(link))</p>
            <p>\(Self.escape(ignore))</p>
            <p>— \(Self.escape(list))</p>
            </body>
            </html>
            """
        do {
            let from = try MailAddress(parsing: mail.from)
            var message = try MailMessage(
                from: from, to: MailAddress(name: pending.name, address: pending.address),
                subject: words.text("serve.join.mail.subject", ["list": list]), date: Self.date(now),
                messageID: pending.messageID, listID: nil, unsubscribe: [], text: text, html: html)
            message.language = words.language
            return Confirmation(sender: from.address, bytes: Array(message.encoded().utf8))
        } catch {
            throw .sendSetting("the confirmation message cannot be made: \(error)")
        }
    }

    /// Text as HTML writes it (the digest's own escaping: a value with a
    /// bidirectional control kept apart in `<bdi>`).
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// `now` as RFC 5322 writes a date, in UTC.
    static func date(_ now: Double) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let seconds = Int(now.rounded(.down))
        let day = LocalDate(daysSinceEpoch: seconds.floorDiv(86_400))
        let inDay = seconds - seconds.floorDiv(86_400) * 86_400
        let weekday = days[((seconds.floorDiv(86_400) % 7) + 7) % 7]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day.day)) \(months[day.month - 1]) \(day.year) "
            + "\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) +0000"
    }
}

extension Int {
    /// Division rounded toward minus infinity.
    fileprivate func floorDiv(_ divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
