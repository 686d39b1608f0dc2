import DigestTestSupport
import Foundation
import Testing

@testable import DeliveryReports

/// A fixture of `Tests/Fixtures/bounces` with its placeholders filled.
func fixture(
    _ name: String, address: String = "ghost@members.test",
    verp: String = "bounces+2019-06.0123456789abcdef@lists.test",
    messageID: String = "digest-2019-06.fedcba9876543210.justice-for-all@lists.test"
) throws -> [UInt8] {
    let path = repositoryRoot.appendingPathComponent("Tests/Fixtures/bounces/\(name).eml").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
        .replacingOccurrences(of: "{ADDRESS}", with: address)
        .replacingOccurrences(of: "{VERP}", with: verp)
        .replacingOccurrences(of: "{MESSAGE_ID}", with: messageID)
    return Array(text.utf8)
}

@Suite("Delivery reports")
struct DeliveryReportTests {
    @Test(
        "each form: recipient, action, status, kind, the returned Message-ID and where it was delivered",
        arguments: [
            ("postfix", DeliveryReport.Form.deliveryStatus, "failed", "5.1.1", DeliveryReport.Kind.hard, true),
            ("exim", .exim, "failed", "5.1.1", .hard, true),
            ("gmail", .deliveryStatus, "failed", "4.2.2", .soft, false),
            ("microsoft", .deliveryStatus, "failed", "5.1.10", .hard, true),
            ("qmail", .qmail, "failed", "5.1.1", .hard, true),
        ])
    func forms(
        name: String, form: DeliveryReport.Form, action: String, status: String, kind: DeliveryReport.Kind,
        tagged: Bool
    ) throws {
        let report = try #require(DeliveryReport.read(try fixture(name)))
        #expect(report.form == form)
        #expect(report.recipients.map(\.address) == ["ghost@members.test"])
        #expect(report.recipients.first?.action == action)
        #expect(report.recipients.first?.status == status)
        #expect(report.recipients.first?.kind == kind)
        #expect(report.returnedMessageID == "digest-2019-06.fedcba9876543210.justice-for-all@lists.test")
        #expect(report.deliveredTo.contains("bounces+2019-06.0123456789abcdef@lists.test") == tagged)
    }

    @Test("a delay is a report but no failure; an auto-reply is no report")
    func notFailures() throws {
        let delayed = try #require(DeliveryReport.read(try fixture("delayed")))
        #expect(delayed.recipients.first?.action == "delayed")
        #expect(delayed.recipients.first?.kind == nil)
        #expect(DeliveryReport.read(try fixture("autoreply")) == nil)
        #expect(DeliveryReport.read(Array("Subject: hello\r\n\r\nJust a note.\r\n".utf8)) == nil)
        #expect(DeliveryReport.read([]) == nil)
    }

    @Test("statuses: 5.1.x hard; 4.x.x, a full mailbox, a policy refusal and none soft")
    func kinds() {
        #expect(DeliveryReport.Recipient.kind(status: "5.1.1") == .hard)
        #expect(DeliveryReport.Recipient.kind(status: "5.1.10") == .hard)
        #expect(DeliveryReport.Recipient.kind(status: "5.2.2") == .soft)
        #expect(DeliveryReport.Recipient.kind(status: "5.7.1") == .soft)
        #expect(DeliveryReport.Recipient.kind(status: "4.1.1") == .soft)
        #expect(DeliveryReport.Recipient.kind(status: nil) == .soft)
    }

    @Test("headers unfolded; LF or CRLF; quoted-printable and base64 bodies; a part without its closing boundary")
    func mailText() {
        let message = MailText(
            Array(
                "Subject: one\n two\r\nContent-Type: multipart/mixed;\r\n\tboundary=\"b=1\"\r\n\r\npreamble\r\n--b=1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nau lait\r\n--b=1\nContent-Transfer-Encoding: base64\n\naGVs\nbG8=\n--b=1\nContent-Type: text/plain\n\nnever closed\n"
                    .utf8))
        #expect(message.field("subject") == "one two")
        #expect(message.contentType.parameters["boundary"] == "b=1")
        let parts = message.parts
        #expect(parts.count == 3)
        #expect(String(decoding: parts[0].decodedBody, as: UTF8.self) == "café au lait")
        #expect(String(decoding: parts[1].decodedBody, as: UTF8.self) == "hello")
        #expect(String(decoding: parts[2].decodedBody, as: UTF8.self) == "never closed\n")
        // Latin-1 bytes do not stop the reading.
        #expect(MailText.text([0x63, 0x61, 0x66, 0xE9]) == "café")
    }

    @Test("an mbox: messages split at From lines after an empty line, >From unquoted; a Maildir: new and cur, not tmp")
    func mailboxes() throws {
        let folder = NSTemporaryDirectory() + "mailbox-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }  // best effort: a temporary folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let mbox = folder + "/bounces.mbox"
        let text =
            "From MAILER-DAEMON Tue Jun 11 09:14:02 2019\nSubject: a\n\nbody a\n>From the start\nFrom inside a line\n\nFrom MAILER-DAEMON Tue Jun 11 09:15:02 2019\nSubject: b\n\nbody b\n"
        try text.write(toFile: mbox, atomically: true, encoding: .utf8)
        let before = try FileManager.default.attributesOfItem(atPath: mbox)[.modificationDate] as? Date
        let messages = try MailboxReader.messages(at: mbox)
        #expect(messages.count == 2)
        #expect(
            String(decoding: messages[0].bytes, as: UTF8.self)
                == "Subject: a\n\nbody a\nFrom the start\nFrom inside a line\n\n")
        #expect(messages[1].place == mbox + " (line 8)")
        #expect(try FileManager.default.attributesOfItem(atPath: mbox)[.modificationDate] as? Date == before)

        let maildir = folder + "/Maildir"
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
        try "Subject: 1\n\n".write(toFile: maildir + "/new/2", atomically: true, encoding: .utf8)
        try "Subject: 2\n\n".write(toFile: maildir + "/cur/1:2,S", atomically: true, encoding: .utf8)
        try "Subject: half\n".write(toFile: maildir + "/tmp/3", atomically: true, encoding: .utf8)
        let found = try MailboxReader.messages(at: maildir)
        #expect(found.map { ($0.place as NSString).lastPathComponent } == ["2", "1:2,S"])
        // Still in new/: reading marks nothing as seen.
        #expect(FileManager.default.fileExists(atPath: maildir + "/new/2"))

        #expect(throws: MailboxReader.ReadError.self) { try MailboxReader.messages(at: folder + "/none") }
        #expect(throws: MailboxReader.ReadError.self) { try MailboxReader.messages(at: folder + "/Maildir/new") }
    }

    @Test("garbage never crashes the reader")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<400, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            _ = DeliveryReport.read(bytes)
        }
        let broken = Array(
            "Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822;\nStatus: 5\n\n--x"
                .utf8)
        #expect(DeliveryReport.read(broken) == nil)
    }
}
