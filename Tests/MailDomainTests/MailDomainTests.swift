import Testing

@testable import MailDomain

/// A table of records instead of DNS.
struct Table: DNSSource {
    var txt: [String: [String]] = [:]
    var mx: [String: [MXRecord]] = [:]
    var addresses: [String: [String]] = [:]
    var failing: Set<String> = []

    func answer<T>(_ table: [String: [T]], _ name: String) -> DNSAnswer<T> {
        if failing.contains(name) { return .failed("SERVFAIL") }
        guard let found = table[name], !found.isEmpty else { return .none }
        return .records(found)
    }
    func txt(_ name: String) async -> DNSAnswer<String> { answer(txt, name) }
    func mx(_ name: String) async -> DNSAnswer<MXRecord> { answer(mx, name) }
    func addresses(_ name: String) async -> DNSAnswer<String> { answer(addresses, name) }
}

@Suite("Is the domain ready: SPF, DMARC, alignment")
struct MailDomainTests {
    @Test(
        "SPF for one address: mechanisms, qualifiers, CIDR, include, redirect, a and mx",
        arguments: [
            ("v=spf1 ip4:192.0.2.0/24 -all", "192.0.2.9", SPFEvaluator.Result.pass),
            ("v=spf1 ip4:192.0.2.0/25 -all", "192.0.2.200", .fail),
            ("v=spf1 ip4:192.0.2.0/24 ~all", "198.51.100.1", .softfail),
            ("v=spf1 ?all", "198.51.100.1", .neutral),
            ("v=spf1 ip6:2001:db8::/32 -all", "2001:db8:1::5", .pass),
            ("v=spf1 include:_spf.provider.test -all", "203.0.113.7", .pass),
            ("v=spf1 a:relay.test -all", "203.0.113.9", .pass),
            ("v=spf1 a:relay.test/24 -all", "203.0.113.200", .pass),
            ("v=spf1 mx -all", "203.0.113.25", .pass),
            ("v=spf1 redirect=_spf.provider.test", "203.0.113.7", .pass),
            ("v=spf1 exists:%{i}.spf.test -all", "203.0.113.7", .unknown("exists:%{i}.spf.test holds a macro")),
            ("v=spf1 bogus:x -all", "203.0.113.7", .permerror("bogus:x is not an SPF mechanism")),
        ])
    func spf(record: String, address: String, expected: SPFEvaluator.Result) async {
        var table = Table()
        table.txt = ["example.test": [record], "_spf.provider.test": ["v=spf1 ip4:203.0.113.0/28 -all"]]
        table.addresses = ["relay.test": ["203.0.113.9"], "mx.example.test": ["203.0.113.25"]]
        table.mx = ["example.test": [MXRecord(preference: 10, exchange: "mx.example.test")]]
        var evaluator = SPFEvaluator(dns: table)
        #expect(await evaluator.check(address, domain: "example.test") == expected)
    }

    @Test("more than ten lookups is a permanent error")
    func lookupLimit() async {
        var table = Table()
        table.txt = ["example.test": ["v=spf1 include:loop.test -all"], "loop.test": ["v=spf1 include:loop.test -all"]]
        var evaluator = SPFEvaluator(dns: table)
        #expect(await evaluator.check("192.0.2.1", domain: "example.test") == .permerror("more than 10 DNS lookups"))
    }

    @Test("organisational domains, and relaxed and strict alignment")
    func alignment() {
        #expect(OrganizationalDomain.of("lists.justiceforall2030.org") == "justiceforall2030.org")
        #expect(OrganizationalDomain.of("news.coalition.org.uk") == "coalition.org.uk")
        #expect(OrganizationalDomain.of("mail.example.co.ke") == "example.co.ke")
        #expect(OrganizationalDomain.aligned("lists.example.org", "example.org", strict: false))
        #expect(!OrganizationalDomain.aligned("lists.example.org", "example.org", strict: true))
        #expect(!OrganizationalDomain.aligned("example.net", "example.org", strict: false))
    }

    @Test("DMARC records: v first, a policy, alignment modes")
    func dmarc() {
        #expect(DMARCRecord.isDMARC("v=DMARC1; p=none"))
        #expect(!DMARCRecord.isDMARC("p=none; v=DMARC1"))
        guard case .success(let record) = DMARCRecord.parse("v=DMARC1; p=Reject; sp=none; adkim=s") else {
            Issue.record("not parsed")
            return
        }
        #expect(record == DMARCRecord(policy: "reject", subdomainPolicy: "none", strictDKIM: true, strictSPF: false))
        if case .success = DMARCRecord.parse("v=DMARC1; p=maybe") { Issue.record("a policy that is none of the three") }
    }

    @Test("a DMARC record only at the organisational domain applies to a subdomain with its sp=")
    func inherited() async {
        var table = Table()
        table.txt = ["_dmarc.example.org": ["v=DMARC1; p=reject; sp=quarantine"]]
        let settings = MailDomainSettings(
            fromDomain: "news.example.org", envelopeDomain: "news.example.org", relay: .unknown("test"), keys: [],
            unsubscribe: "https://example.org/u", preferences: nil)
        var findings: [DomainFinding] = []
        let record = await DomainCheck.dmarc(settings, dns: table, into: &findings)
        #expect(record?.policy == "reject")
        #expect(findings.first?.text.hasPrefix("_dmarc.example.org: policy quarantine (for news.example.org") == true)
    }
}
