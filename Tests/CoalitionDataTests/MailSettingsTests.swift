import Testing

@testable import CoalitionData

@Suite("coalition.yaml: the settings for sending")
struct MailSettingsTests {
    static let head = """
        name: Test Coalition
        schedule:
          rule: 2nd Tuesday
          time: "10:00"
          timezone: America/New_York
        mail:
          from: Test <news@example.org>
          to: Test list <list@lists.example.org>
          postal_address: 1 Example Street, Example City
        """

    static func parse(_ mail: String) -> (Coalition?, [String]) {
        var log = DiagnosticLog()
        let coalition = Coalition.parse(head + "\n" + mail, file: "coalition.yaml", log: &log)
        return (coalition, log.sorted.map(\.description))
    }

    @Test("a relay with STARTTLS on 587 by default, a user, a timeout; retries; a greeting")
    func full() throws {
        let (coalition, messages) = Self.parse(
            """
              greeting: Dear colleagues,
              unsubscribe_secret_file: /etc/coalition/secret
              smtp:
                host: smtp.example.org
                username: digest
                timeout: 20
              retry:
                attempts: 8
                wait: 5
            """)
        #expect(messages.isEmpty)
        let mail = try #require(coalition?.mail)
        #expect(mail.greeting == "Dear colleagues,")
        #expect(mail.unsubscribeSecretFile == "/etc/coalition/secret")
        #expect(
            mail.smtp
                == Coalition.SMTPRelay(
                    host: "smtp.example.org", port: 587, security: .starttls, username: "digest", timeout: 20))
        #expect(mail.retry == Coalition.Retry(attempts: 8, wait: 5))
        #expect(mail.retry.delay(after: 1) == 5 && mail.retry.delay(after: 3) == 20)
        #expect(Coalition.Retry(attempts: 30, wait: 600).delay(after: 20) == 3600)
    }

    @Test("the relay's pace: connections (4 by default), per_second and per_connection, each checked at its place")
    func pace() throws {
        let (plain, _) = Self.parse("  smtp:\n    host: smtp.example.org\n")
        #expect(plain?.mail?.smtp?.connections == 4)
        #expect(plain?.mail?.smtp?.perSecond == nil && plain?.mail?.smtp?.perConnection == nil)
        let (coalition, messages) = Self.parse(
            "  smtp:\n    host: email-smtp.eu-west-1.amazonaws.com\n    connections: 8\n    per_second: 14\n"
                + "    per_connection: 100\n")
        #expect(messages.isEmpty)
        let relay = try #require(coalition?.mail?.smtp)
        #expect(relay.connections == 8 && relay.perSecond == 14 && relay.perConnection == 100)
        let (_, slow) = Self.parse("  smtp:\n    host: smtp.example.org\n    per_second: 0.5\n")
        #expect(slow.isEmpty)
        for (line, message) in [
            (
                "connections: 0",
                "coalition.yaml:12:18: error: mail.smtp.connections \"0\" is not a number of sessions; write a whole number from 1 to 64, such as 4"
            ),
            (
                "per_second: fast",
                "coalition.yaml:12:17: error: mail.smtp.per_second \"fast\" is not a number of messages a second; write one above 0, such as 14 (Amazon SES's default) or 0.5"
            ),
            (
                "per_connection: 2.5",
                "coalition.yaml:12:21: error: mail.smtp.per_connection \"2.5\" is not a number of messages; write a whole number from 1, such as 100"
            ),
        ] {
            let (_, found) = Self.parse("  smtp:\n    host: smtp.example.org\n    \(line)\n")
            #expect(found == [message], "\(line)")
        }
    }

    @Test("each wrong setting at its place, saying how to fix it")
    func problems() {
        let (_, none) = Self.parse(
            """
              smtp:
                host: smtp.example.org
                security: none
            """)
        #expect(
            none == [
                "coalition.yaml:11:11: error: mail.smtp.security is none, which sends passwords and members' addresses unencrypted; it is allowed only for a relay on this machine (127.0.0.1, ::1 or localhost), not smtp.example.org. Use starttls or tls"
            ])
        let (local, localMessages) = Self.parse(
            """
              smtp:
                host: 127.0.0.1
                security: none
            """)
        #expect(localMessages.isEmpty && local?.mail?.smtp?.port == 25)
        let (_, bad) = Self.parse(
            """
              sendmail: sendmail
              smtp:
                host: smtp.example.org
                port: 99999
                security: ssl
              retry:
                attempts: many
            """)
        #expect(
            bad == [
                "coalition.yaml:10:13: error: mail.sendmail must be the program's full path, such as /usr/sbin/sendmail",
                "coalition.yaml:14:15: error: mail.smtp.security \"ssl\" is not one of starttls (port 587), tls (port 465) or none (a relay on this machine only)",
                "coalition.yaml:16:15: error: mail.retry.attempts \"many\" is not a number of attempts; write one from 1 to 100, such as 5",
            ])
    }

    @Test("loopback addresses")
    func loopback() {
        #expect(Coalition.SMTPRelay.isLoopback("127.0.0.1") && Coalition.SMTPRelay.isLoopback("127.1.2.3"))
        #expect(Coalition.SMTPRelay.isLoopback("::1") && Coalition.SMTPRelay.isLoopback("LOCALHOST"))
        #expect(!Coalition.SMTPRelay.isLoopback("10.0.0.1") && !Coalition.SMTPRelay.isLoopback("127.example.org"))
    }
}
