import Testing

@testable import CoalitionData

@Suite("coalition.yaml: mail.dkim")
struct DKIMSettingsTests {
    @Test("a list of keys, in order, lower case, each key_file at its place")
    func list() throws {
        let (coalition, messages) = MailSettingsTests.parse(
            """
              dkim:
                - {domain: Example.org, selector: RSA2026, key_file: /etc/digest/rsa.pem}
                - domain: example.org
                  selector: ed2026
                  key_file: ../keys/ed25519.pem
            """)
        #expect(messages.isEmpty)
        let dkim = try #require(coalition?.mail?.dkim)
        #expect(dkim.map(\.recordName) == ["rsa2026._domainkey.example.org", "ed2026._domainkey.example.org"])
        #expect(dkim.map(\.keyFile) == ["/etc/digest/rsa.pem", "../keys/ed25519.pem"])
        // The head is 9 lines, then "  dkim:": the first key_file is on line 11.
        #expect(dkim.map(\.line) == [11, 14])
        #expect(dkim[0].column == 58)
    }

    @Test("one mapping alone is a list of one; none is no signing")
    func single() throws {
        let (one, _) = MailSettingsTests.parse(
            "  dkim: {domain: lists.example.org, selector: s1, key_file: /k.pem}")
        #expect(one?.mail?.dkim.map(\.domain) == ["lists.example.org"])
        let (none, messages) = MailSettingsTests.parse("  subject: x")
        #expect(none?.mail?.dkim == [])
        #expect(messages.isEmpty)
    }

    @Test("problems at their place: a bad domain or selector, a missing key file, a name twice, a stray value")
    func problems() {
        let (_, messages) = MailSettingsTests.parse(
            """
              dkim:
                - {domain: localhost, selector: s1, key_file: /k.pem}
                - {domain: example.org, selector: "bad selector", key_file: /k.pem}
                - {domain: example.org, selector: s2}
                - {domain: example.org, selector: s3, key_file: /a.pem}
                - {domain: example.org, selector: s3, key_file: /b.pem}
                - just text
            """)
        #expect(
            messages == [
                "coalition.yaml:11:16: error: mail.dkim[1].domain \"localhost\" is not a domain name; write the domain that signs, such as example.org",
                "coalition.yaml:12:39: error: mail.dkim[2].selector \"bad selector\" is not a selector; write letters, digits and hyphens, such as digest2026",
                "coalition.yaml:13:7: error: mail.dkim[3].key_file is missing; add a line \"key_file: /etc/digest/dkim.pem\"",
                "coalition.yaml:15:7: error: mail.dkim names s3._domainkey.example.org twice; give each key its own selector",
                "coalition.yaml:16:7: error: mail.dkim item 6 should be {domain: example.org, selector: digest2026, key_file: /etc/digest/dkim.pem}",
            ])
    }

    @Test("a signing domain DMARC would not count is a warning naming From's")
    func alignment() {
        let (_, messages) = MailSettingsTests.parse(
            """
              dkim:
                - {domain: provider.example.net, selector: s1, key_file: /k.pem}
                - {domain: mail.example.org, selector: s2, key_file: /k.pem}
            """)
        #expect(
            messages == [
                "coalition.yaml:11:16: warning: mail.dkim[1].domain provider.example.net is not mail.from's domain (example.org) nor a parent of it: DMARC does not count this signature; sign with example.org or its parent"
            ])
    }
}
