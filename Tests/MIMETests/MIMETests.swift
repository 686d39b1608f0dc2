import Foundation
import Testing

@testable import MIME

/// A strict quoted-printable decoder, to check the encoder independently.
func decodeQuotedPrintable(_ encoded: String) -> String? {
    var bytes: [UInt8] = []
    let lines = encoded.components(separatedBy: "\r\n")
    for (index, line) in lines.enumerated() {
        var utf8 = Array(line.utf8)
        var soft = false
        if utf8.last == UInt8(ascii: "=") {
            soft = true
            utf8.removeLast()
        }
        var position = 0
        while position < utf8.count {
            if utf8[position] == UInt8(ascii: "=") {
                guard position + 2 < utf8.count,
                    let value = UInt8(String(decoding: utf8[(position + 1)...(position + 2)], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
                position += 3
            } else {
                bytes.append(utf8[position])
                position += 1
            }
        }
        if !soft && index < lines.count - 1 { bytes.append(10) }
    }
    return String(validating: bytes, as: UTF8.self)
}

@Suite("Quoted-printable")
struct QuotedPrintableTests {
    @Test(
        "round trip, with no line over 76 characters",
        arguments: [
            "plain", "a=b", "trailing space \nnext", "tab\t\nx", "Justiça — Ελλάδα — 正義 ✊🏾",
            String(repeating: "x", count: 300), String(repeating: "é", count: 100), ".leading dot\n.again",
            "CRLF\r\nline", "", "ends with space ",
        ])
    func roundTrip(text: String) {
        let encoded = QuotedPrintable.encode(text)
        let expected = text.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(decodeQuotedPrintable(encoded) == expected)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
            #expect(!line.hasPrefix("."))
        }
        #expect(!encoded.contains("\n") || encoded.contains("\r\n"))
    }

    @Test("exact bytes of a short example")
    func bytes() {
        #expect(QuotedPrintable.encode("café = 1 \nok") == "caf=C3=A9 =3D 1=20\r\nok")
    }

    @Test("a soft break never splits an escape")
    func softBreak() {
        let encoded = QuotedPrintable.encode(String(repeating: "a", count: 74) + "é")
        #expect(encoded == String(repeating: "a", count: 74) + "=\r\n=C3=A9")
    }
}

@Suite("Headers")
struct HeaderTests {
    @Test("encoded words are at most 75 characters and split between characters")
    func encodedWords() {
        #expect(EncodedWord.encode("Plain subject") == "Plain subject")
        #expect(EncodedWord.encode("é") == "=?UTF-8?B?w6k=?=")
        let long = EncodedWord.encode(String(repeating: "Ελλάδα ", count: 12))
        for word in long.split(separator: " ") {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
        }
    }

    @Test("text that looks like an encoded word is encoded itself, so it cannot decode to a control")
    func lookalikeEncodedWords() {
        // "=?UTF-8?B?4oCu?=" decodes to U+202E, the right-to-left override.
        #expect(!EncodedWord.isPlain("=?UTF-8?B?4oCu?=Amina"))
        #expect(EncodedWord.isPlain("a = b? yes"))
        #expect(EncodedWord.encode("=?UTF-8?B?4oCu?= news") == "=?UTF-8?B?PT9VVEYtOD9CPzRvQ3U/PSBuZXdz?=")
        #expect(
            MailAddress(name: "=?UTF-8?B?4oCu?=Amina", address: "a@example.org").headerValue
                == "=?UTF-8?B?PT9VVEYtOD9CPzRvQ3U/PUFtaW5h?= <a@example.org>")
    }

    @Test("addresses with and without names")
    func addresses() throws {
        let named = try MailAddress(parsing: "Justice For All <campaign@example.org>")
        #expect(named.name == "Justice For All")
        #expect(named.address == "campaign@example.org")
        #expect(named.domain == "example.org")
        #expect(named.headerValue == "Justice For All <campaign@example.org>")
        #expect(try MailAddress(parsing: "a@b.org").headerValue == "a@b.org")
        #expect(try MailAddress(parsing: "Smith, Jane <j@b.org>").headerValue == "\"Smith, Jane\" <j@b.org>")
        #expect(try MailAddress(parsing: "Équipe <e@b.org>").headerValue == "=?UTF-8?B?w4lxdWlwZQ==?= <e@b.org>")
        #expect(throws: MIMEError.self) { try MailAddress(parsing: "nobody") }
        #expect(throws: MIMEError.self) { try MailAddress(parsing: "A <a@b.org>\r\nBcc: x@y.org") }
    }

    @Test("long header lines are folded at spaces within 78 characters")
    func folding() {
        let folded = MailMessage.fold("Subject: " + String(repeating: "word ", count: 30))
        for line in folded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78)
        }
        #expect(folded.components(separatedBy: "\r\n").dropFirst().allSatisfy { $0.hasPrefix(" ") })
    }

    func message(subject: String = "Digest — février") throws -> MailMessage {
        try MailMessage(
            from: MailAddress(parsing: "Team <team@example.org>"), to: MailAddress(parsing: "list@example.org"),
            subject: subject, date: "Sun, 01 Mar 2020 09:00:00 -0500", messageID: "digest-2020-02.test@example.org",
            listID: "Test <list.example.org>", unsubscribe: ["https://example.org/u", "mailto:u@example.org"],
            text: "Hello\n", html: "<p>Hello</p>\n")
    }

    @Test("a header value with a line break is refused, never a second header")
    func injection() {
        #expect(throws: MIMEError.lineBreak(field: "subject", value: "Hi\r\nBcc: victim@example.org")) {
            try message(subject: "Hi\r\nBcc: victim@example.org")
        }
        #expect(throws: MIMEError.self) { try message(subject: "Hi\nthere") }
    }

    @Test("the whole message: headers, parts, CRLF everywhere, same bytes every time")
    func whole() throws {
        let encoded = try message().encoded()
        #expect(encoded == (try message().encoded()))
        #expect(!encoded.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(encoded.contains("\r\nSubject: =?UTF-8?B?"))
        #expect(encoded.contains("\r\nList-Unsubscribe: <https://example.org/u>, <mailto:u@example.org>\r\n"))
        #expect(encoded.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        // Folded: the line with the boundary would pass 78 characters.
        #expect(
            encoded.contains(
                "Content-Type: multipart/alternative;\r\n boundary=\"=_digest_digest-2020-02testexampleorg\"\r\n"))
        let text = try #require(encoded.range(of: "text/plain"))
        let html = try #require(encoded.range(of: "text/html"))
        #expect(text.lowerBound < html.lowerBound)
        #expect(encoded.hasSuffix("--=_digest_digest-2020-02testexampleorg--\r\n"))
    }
}
