import NIOCore
import Testing

@testable import SMTP

@Suite("SMTP on the wire")
struct SMTPWireTests {
    func decode(_ text: String) throws -> [SMTPReply] {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: text)
        var replies: [SMTPReply] = []
        while let reply = try decoder.decode(&buffer) { replies.append(reply) }
        return replies
    }

    @Test("a multi-line EHLO reply is one reply; single lines follow")
    func multiLine() throws {
        let replies = try decode("250-relay.test\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n354 End data with .\r\n")
        #expect(
            replies == [
                SMTPReply(code: 250, lines: ["relay.test", "PIPELINING", "AUTH PLAIN LOGIN"]),
                SMTPReply(code: 354, lines: ["End data with ."]),
            ])
    }

    @Test("a reply split across reads, with bare LF line ends")
    func split() throws {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: "220-relay.test\r\n220 relay.te")
        #expect(try decoder.decode(&buffer) == nil)
        #expect(decoder.isInsideReply)
        buffer.writeString("st ESMTP\n")
        #expect(try decoder.decode(&buffer) == SMTPReply(code: 220, lines: ["relay.test", "relay.test ESMTP"]))
        #expect(buffer.readableBytes == 0 && !decoder.isInsideReply)
    }

    @Test(
        "what RFC 5321 4.2 does not allow is not a reply: a first digit outside 2 to 5, a code run on, text without a code, lines of one reply with different codes"
    )
    func strict() throws {
        for text in [
            "999 what\r\n", "2500 ok\r\n", "Ok: queued\r\n", "250-first\r\n354 second\r\n", "\u{0}\u{1} x\r\n",
        ] {
            var decoder = SMTPReplyDecoder()
            var buffer = ByteBuffer(string: text)
            #expect(throws: SMTPError.self, "\(text)") { try decoder.decode(&buffer) }
        }
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: "250\r\n")
        #expect(try decoder.decode(&buffer) == SMTPReply(code: 250, lines: [""]))
    }

    @Test("a reply that cannot answer its command is out of step: 354 to MAIL, 250 to DATA, 354 to the message's end")
    func outOfStep() throws {
        let ok = SMTPReply(code: 250, lines: ["Ok"])
        let go = SMTPReply(code: 354, lines: ["go on"])
        #expect(throws: SMTPError.outOfStep(step: "MAIL FROM", reply: go)) {
            try SMTPConnection.check(go, answers: "MAIL FROM")
        }
        #expect(throws: SMTPError.outOfStep(step: "DATA", reply: ok)) { try SMTPConnection.check(ok, answers: "DATA") }
        #expect(throws: SMTPError.outOfStep(step: SMTPConnection.endOfData, reply: go)) {
            try SMTPConnection.check(go, answers: SMTPConnection.endOfData)
        }
        try SMTPConnection.check(SMTPReply(code: 421, lines: ["bye"]), answers: "DATA")
        try SMTPConnection.check(SMTPReply(code: 550, lines: ["no"]), answers: "RCPT TO")
    }

    @Test("enhanced status codes are read from the first line")
    func enhanced() {
        #expect(SMTPReply(code: 550, lines: ["5.1.1 <x>: no such user"]).enhancedStatus == "5.1.1")
        #expect(SMTPReply(code: 451, lines: ["4.3.0 try later"]).enhancedStatus == "4.3.0")
        #expect(SMTPReply(code: 550, lines: ["no such user"]).enhancedStatus == nil)
        #expect(SMTPReply(code: 250, lines: ["2.0.0"]).enhancedStatus == "2.0.0")
        #expect(SMTPReply(code: 550, lines: ["5.1234.1 odd"]).enhancedStatus == nil)
    }

    @Test("what is not a reply is an error")
    func malformed() throws {
        #expect(throws: SMTPError.self) { try decode("HELLO there\r\n") }
        #expect(throws: SMTPError.self) { try decode(String(repeating: "x", count: 5000)) }
    }

    @Test("the classes of replies")
    func classes() {
        #expect(SMTPReply(code: 250, lines: []).isPositive)
        #expect(SMTPReply(code: 354, lines: []).isIntermediate)
        #expect(SMTPReply(code: 451, lines: []).isTransient)
        #expect(SMTPReply(code: 550, lines: ["no"]).isPermanent)
        #expect(SMTPReply(code: 550, lines: ["5.1.1 no such user"]).description == "550 5.1.1 no such user")
        #expect(SMTPError.closed.isTransient && SMTPError.timeout("DATA").isTransient)
        #expect(!SMTPError.authentication(SMTPReply(code: 535, lines: [])).isTransient)
    }

    @Test("dot-stuffing doubles a leading dot on every line and ends with CRLF . CRLF")
    func stuffing() {
        let allocator = ByteBufferAllocator()
        func stuffed(_ text: String) -> String {
            var buffer = SMTPConnection.stuffed(Array(text.utf8), allocator: allocator)
            return buffer.readString(length: buffer.readableBytes) ?? ""
        }
        #expect(stuffed(".first\r\nmiddle .dot\r\n.\r\n..two\r\n") == "..first\r\nmiddle .dot\r\n..\r\n...two\r\n.\r\n")
        #expect(stuffed("no line end") == "no line end\r\n.\r\n")
        #expect(stuffed("") == "\r\n.\r\n")
    }

    @Test("address literals get no SNI name")
    func literals() {
        #expect(SMTPConnection.isAddressLiteral("127.0.0.1"))
        #expect(SMTPConnection.isAddressLiteral("::1"))
        #expect(!SMTPConnection.isAddressLiteral("smtp.example.org"))
        #expect(!SMTPConnection.isAddressLiteral("localhost"))
    }
}
