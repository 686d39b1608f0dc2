/// An email with a plain-text and an HTML version of the same content
/// (`multipart/alternative`), encoded for any mail transport.
///
/// The output uses CRLF line ends, UTF-8 bodies in quoted-printable (no
/// line over 76 characters), headers folded to 78 characters with RFC 2047
/// encoded words for text that is not ASCII. Nothing depends on the clock:
/// the date and message ID are given, and the boundary is derived from the
/// message ID, so the same message always gives the same bytes.
public struct MailMessage: Sendable {
    /// The sender.
    public var from: MailAddress
    /// The recipient, usually the list address.
    public var to: MailAddress
    /// The subject, any Unicode text on one line.
    public var subject: String
    /// The `Date` header value, such as `Sun, 01 Mar 2020 09:00:00 -0500`.
    public var date: String
    /// The message ID without angle brackets: `id@domain`.
    public var messageID: String
    /// `List-Id` (RFC 2919), such as `Justice For All <coalition.lists.example.org>`.
    public var listID: String?
    /// `Content-Language` (RFC 3282): the language tag the message is written in.
    public var language: String?
    /// `List-Unsubscribe` addresses (https and/or mailto), in order.
    public var unsubscribe: [String]
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String
    /// Files sent with the message (a calendar invitation); with any, the
    /// message is `multipart/mixed` around the `multipart/alternative` body.
    public var attachments: [MailAttachment] = []
    /// `Feedback-ID` (Gmail's feedback loop): up to four colon-separated
    /// fields, the same for every message of one mailing, such as
    /// `2020-02:coalition.lists.example.org:digest:justice-for-all`. Only
    /// letters, digits and `.:-_` are kept.
    public var feedbackID: String?

    /// Creates a message; every header value is checked for line breaks.
    public init(
        from: MailAddress, to: MailAddress, subject: String, date: String, messageID: String, listID: String?,
        unsubscribe: [String], text: String, html: String
    ) throws(MIMEError) {
        for (field, value) in [
            ("subject", subject), ("date", date), ("message ID", messageID), ("list ID", listID ?? ""),
        ]
            + unsubscribe.map({ ("unsubscribe address", $0) })
        where value.contains(where: { $0.isNewline }) {
            throw .lineBreak(field: field, value: value)
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.listID = listID
        self.unsubscribe = unsubscribe
        self.text = text
        self.html = html
    }

    /// The boundary between the parts. It starts with `=_`, which
    /// quoted-printable output can never contain, so it cannot occur in a part.
    public var boundary: String {
        "=_digest_"
            + String(
                (boundarySeed ?? messageID).unicodeScalars.filter {
                    $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-"
                }
                .prefix(40).map(Character.init))
    }

    /// What the boundary is made from instead of the message ID: a mail
    /// merge gives every member's message the list message's boundary, so
    /// the parts' frames are made once.
    public var boundarySeed: String?

    /// The header lines as ``write(into:text:html:)`` writes them, folded,
    /// each with its field name, without line ends.
    public func headerLines() -> [(name: String, line: String)] {
        var headers: [(String, String)] = [
            ("From", from.headerValue(firstWordLimit: 78 - "From: ".count)),
            ("To", to.headerValue(firstWordLimit: 78 - "To: ".count)),
            ("Subject", EncodedWord.encode(subject, firstWordLimit: 78 - "Subject: ".count)),
            ("Date", date),
            ("Message-ID", "<" + messageID + ">"),
            ("MIME-Version", "1.0"),
        ]
        // A tag is letters, digits and hyphens; anything else is left out, never folded in.
        if let language, !language.isEmpty,
            language.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        {
            headers.append(("Content-Language", language))
        }
        if let listID { headers.append(("List-Id", listID)) }
        if !unsubscribe.isEmpty {
            headers.append(("List-Unsubscribe", Self.unsubscribeValue(unsubscribe)))
            // RFC 8058 one-click unsubscribe needs an https address to POST to.
            if unsubscribe.contains(where: { $0.lowercased().hasPrefix("https://") }) {
                headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
            }
        }
        if let feedbackID {
            let kept = String(
                feedbackID.unicodeScalars.filter {
                    $0.isASCII
                        && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                            || ".:-_".unicodeScalars.contains($0))
                })
            if !kept.isEmpty { headers.append(("Feedback-ID", kept)) }
        }
        if attachments.isEmpty {
            headers.append(("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""))
        } else {
            headers.append(("Content-Type", "multipart/mixed; boundary=\"\(boundary)_mixed\""))
        }
        return headers.map { ($0.0, Self.fold($0.0 + ": " + $0.1)) }
    }

    /// One header line, folded as the message folds it: `name: value`.
    public static func headerLine(_ name: String, _ value: String) -> String {
        fold(name + ": " + value)
    }

    /// The `List-Unsubscribe` value for `urls`: each between angle brackets.
    public static func unsubscribeValue(_ urls: [String]) -> String {
        urls.map { "<" + headerURL($0) + ">" }.joined(separator: ", ")
    }

    /// The whole message, ready for `sendmail -t` or an import.
    public func encoded() -> String {
        var output: [UInt8] = []
        write(
            into: &output, text: { $0.append(contentsOf: QuotedPrintable.encode(text).utf8) },
            html: { $0.append(contentsOf: QuotedPrintable.encode(html).utf8) })
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the whole message to `output`, asking `text` and `html` to
    /// append their parts already quoted-printable encoded (without the
    /// final line break): a mail merge encodes the shared parts of a body
    /// once and hands them over here for each member. ``encoded()`` is this
    /// with ``text`` and ``html`` encoded whole, so both give the same bytes.
    public func write(
        into output: inout [UInt8], text: (inout [UInt8]) -> Void, html: (inout [UInt8]) -> Void
    ) {
        func line(_ text: String) {
            output.append(contentsOf: text.utf8)
            output.append(contentsOf: [13, 10])
        }
        let boundary = self.boundary
        let mixed = boundary + "_mixed"
        for header in headerLines() { line(header.line) }
        line("")
        line("This is a message in MIME format: a plain-text and an HTML version.")
        if !attachments.isEmpty {
            line("--" + mixed)
            line(Self.fold("Content-Type: multipart/alternative; boundary=\"\(boundary)\""))
            line("")
        }
        // The CRLF before each boundary belongs to the boundary (RFC 2046), so
        // a body that ends with a line break keeps exactly that one.
        func partHeader(_ type: String) {
            line("--" + boundary)
            line("Content-Type: \(type); charset=utf-8")
            line("Content-Transfer-Encoding: quoted-printable")
            line("")
        }
        partHeader("text/plain")
        text(&output)
        output.append(contentsOf: [13, 10])
        partHeader("text/html")
        html(&output)
        output.append(contentsOf: [13, 10])
        line("--" + boundary + "--")
        for attachment in attachments {
            line("--" + mixed)
            line(Self.fold("Content-Type: \(attachment.contentType); name=\"\(attachment.fileName)\""))
            line(Self.fold("Content-Disposition: attachment; filename=\"\(attachment.fileName)\""))
            line("Content-Transfer-Encoding: quoted-printable")
            line("")
            line(QuotedPrintable.encode(attachment.text))
        }
        if !attachments.isEmpty { line("--" + mixed + "--") }
    }

    /// An address as it may stand between angle brackets in a header
    /// (RFC 2369): bytes outside printable ASCII, and `<`, `>`, `"` and
    /// spaces, are percent-encoded.
    static func headerURL(_ url: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in url.utf8 {
            if byte > 32, byte < 127, byte != UInt8(ascii: "<"), byte != UInt8(ascii: ">"), byte != UInt8(ascii: "\"") {
                output.append(byte)
            } else {
                output.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Folds a header line at spaces so no line is longer than 78 characters
    /// (a single word longer than that stays whole; RFC 5322 allows 998).
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 78 else { return line }
        // Byte by byte: header lines are ASCII once encoded, and splitting
        // on Characters was a sixth of making a member's message.
        var output: [UInt8] = []
        var current: [UInt8] = []
        var index = 0
        for word in line.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) {
            if current.isEmpty {
                current.append(contentsOf: word)
            } else if index == 1 || current.count + 1 + word.count <= 78 {
                // The first word of the value stays beside the field name: a
                // fold right after "Name:" reads back with a leading space.
                current.append(UInt8(ascii: " "))
                current.append(contentsOf: word)
            } else {
                if !output.isEmpty { output.append(contentsOf: [13, 10]) }
                output.append(contentsOf: current)
                current = [UInt8(ascii: " ")]
                current.append(contentsOf: word)
            }
            index += 1
        }
        if !output.isEmpty { output.append(contentsOf: [13, 10]) }
        output.append(contentsOf: current)
        return String(decoding: output, as: UTF8.self)
    }
}
