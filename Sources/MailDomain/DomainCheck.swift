import Foundation

/// Whether a coalition's domain is ready for bulk mail to Gmail, Yahoo
/// and Microsoft (their 2024–2025 rules): a DMARC record, SPF that allows
/// the relay, each DKIM key published, DKIM's or SPF's domain aligned with
/// From, an MX where reports come back, one-click unsubscribe on https.
public enum DomainCheck {
    /// Asks `dns` and judges every record.
    public static func run(_ settings: MailDomainSettings, dns: any DNSSource) async -> DomainReport {
        var findings: [DomainFinding] = []
        let dmarc = await self.dmarc(settings, dns: dns, into: &findings)
        findings.append(await spf(settings, dns: dns))
        var signed: [String] = []
        if settings.keys.isEmpty {
            findings.append(
                DomainFinding(
                    .missing, "DKIM",
                    "mail.dkim is not set, so digest send signs nothing: the relay must sign for \(settings.fromDomain) (Gmail, Yahoo and Microsoft require a DKIM signature on bulk mail). Set mail.dkim (docs/sending.md), or, if the relay signs, check a test message's headers for dkim=pass"
                ))
        }
        for key in settings.keys {
            let finding = await dkim(key, dns: dns)
            if finding.status == .ok { signed.append(key.domain) }
            findings.append(finding)
        }
        findings.append(
            alignment(
                settings, dmarc: dmarc, signed: signed,
                spfOK: findings.contains {
                    $0.topic == "SPF" && $0.status == .ok
                }))
        findings.append(await mx(settings.envelopeDomain, dns: dns))
        findings.append(contentsOf: https(settings))
        return DomainReport(findings: findings)
    }

    // MARK: DMARC

    static func dmarc(_ settings: MailDomainSettings, dns: any DNSSource, into findings: inout [DomainFinding]) async
        -> DMARCRecord?
    {
        let organisation = OrganizationalDomain.of(settings.fromDomain)
        var names = ["_dmarc." + settings.fromDomain]
        if organisation != settings.fromDomain { names.append("_dmarc." + organisation) }
        let suggested =
            "_dmarc.\(organisation). IN TXT \"v=DMARC1; p=none; adkim=r; aspf=r; rua=mailto:dmarc-reports@\(organisation)\""
        for name in names {
            guard let answer = await dns.txt(name).records else {
                findings.append(DomainFinding(.unknown, "DMARC", "\(name) could not be looked up (DNS failed)"))
                return nil
            }
            let records = answer.filter(DMARCRecord.isDMARC)
            if records.isEmpty { continue }
            guard records.count == 1 else {
                findings.append(
                    DomainFinding(
                        .wrong, "DMARC",
                        "\(name) publishes \(records.count) DMARC records; receivers then apply none: keep one",
                        publish: suggested))
                return nil
            }
            switch DMARCRecord.parse(records[0]) {
            case .failure(let problem):
                findings.append(
                    DomainFinding(
                        .wrong, "DMARC", "\(name): \"\(records[0])\": \(problem.text)", publish: suggested))
                return nil
            case .success(let record):
                let inherited = name != "_dmarc." + settings.fromDomain
                let policy = inherited ? record.subdomainPolicy ?? record.policy : record.policy
                findings.append(
                    DomainFinding(
                        .ok, "DMARC",
                        "\(name): policy \(policy)\(inherited ? " (for \(settings.fromDomain), a subdomain)" : ""); DKIM alignment \(record.strictDKIM ? "strict" : "relaxed"), SPF alignment \(record.strictSPF ? "strict" : "relaxed")"
                            + (policy == "none"
                                ? "; p=none is enough for Gmail and Yahoo, and p=quarantine protects the domain once the reports look right"
                                : "")
                    ))
                return record
            }
        }
        findings.append(
            DomainFinding(
                .missing, "DMARC",
                "\(settings.fromDomain) has no DMARC record (\(names.joined(separator: ", ")) looked up); Gmail and Yahoo refuse bulk mail without one. Publish:",
                publish: suggested))
        return nil
    }

    // MARK: SPF

    static func spf(_ settings: MailDomainSettings, dns: any DNSSource) async -> DomainFinding {
        let domain = settings.envelopeDomain
        guard let answer = await dns.txt(domain).records else {
            return DomainFinding(.unknown, "SPF", "\(domain) could not be looked up (DNS failed)")
        }
        let records = SPFEvaluator.records(answer)
        var addresses: [String] = []
        var relayName = ""
        switch settings.relay {
        case .host(let host):
            relayName = host
            if AddressRange.bytes(host) != nil {
                addresses = [host]
            } else if let found = await dns.addresses(host).records {
                addresses = found
            } else {
                return DomainFinding(.unknown, "SPF", "the relay \(host) could not be looked up (DNS failed)")
            }
        case .unknown: break
        }
        let mechanisms = addresses.map { ($0.contains(":") ? "ip6:" : "ip4:") + $0 }
        let suggestion =
            "\(domain). IN TXT \"v=spf1 \((mechanisms.isEmpty ? ["a", "mx"] : mechanisms).joined(separator: " ")) -all\""
        guard !records.isEmpty else {
            return DomainFinding(
                .missing, "SPF",
                "\(domain) (the envelope sender's domain) has no SPF record; Gmail, Yahoo and Microsoft require SPF to pass. Publish:",
                publish: suggestion)
        }
        guard records.count == 1 else {
            return DomainFinding(
                .wrong, "SPF",
                "\(domain) publishes \(records.count) SPF records, which is an error (RFC 7208): merge them into one",
                publish: suggestion)
        }
        guard case .host = settings.relay else {
            if case .unknown(let why) = settings.relay {
                return DomainFinding(
                    .ok, "SPF",
                    "\(domain): \"\(records[0])\"; whether it allows the relay cannot be told here (\(why)): send a test to Gmail and look for spf=pass"
                )
            }
            return DomainFinding(.ok, "SPF", "\(domain): \"\(records[0])\"")
        }
        guard !addresses.isEmpty else {
            return DomainFinding(.wrong, "SPF", "the relay \(relayName) has no address in DNS")
        }
        var refused: [String] = []
        for address in addresses {
            var evaluator = SPFEvaluator(dns: dns)
            switch await evaluator.check(address, domain: domain) {
            case .pass: continue
            case .temperror(let what):
                return DomainFinding(
                    .unknown, "SPF", "\(domain)'s SPF could not be evaluated: \(what) could not be looked up")
            case .unknown(let why):
                return DomainFinding(
                    .unknown, "SPF", "\(domain)'s SPF \"\(records[0])\" cannot be evaluated here: \(why)")
            case .permerror(let why):
                return DomainFinding(.wrong, "SPF", "\(domain)'s SPF is broken: \(why)", publish: suggestion)
            case let other:
                refused.append("\(address) (\(String(describing: other)))")
            }
        }
        guard refused.isEmpty else {
            let added = mechanisms.joined(separator: " ")
            return DomainFinding(
                .wrong, "SPF",
                "\(domain)'s SPF \"\(records[0])\" does not allow the relay \(relayName): \(refused.joined(separator: ", ")); add \(added) before its all",
                publish: "\(domain). IN TXT \"\(Self.adding(mechanisms, to: records[0]))\"")
        }
        return DomainFinding(
            .ok, "SPF",
            "\(domain): \"\(records[0])\" allows the relay \(relayName) (\(addresses.joined(separator: ", ")))")
    }

    /// `record` with `mechanisms` put before its `all` (or at its end).
    static func adding(_ mechanisms: [String], to record: String) -> String {
        var terms = record.split(separator: " ").map(String.init)
        let at = terms.firstIndex { $0.lowercased().hasSuffix("all") && $0.count <= 4 } ?? terms.count
        terms.insert(contentsOf: mechanisms, at: at)
        return terms.joined(separator: " ")
    }

    // MARK: DKIM

    static func dkim(_ key: MailDomainSettings.Key, dns: any DNSSource) async -> DomainFinding {
        let name = key.recordName
        guard let answer = await dns.txt(name).records else {
            return DomainFinding(.unknown, "DKIM", "\(name) could not be looked up (DNS failed)")
        }
        let records = answer.filter { $0.contains("p=") }
        guard !records.isEmpty else {
            return DomainFinding(
                .missing, "DKIM", "\(name) publishes no key; digest send signs with \(key.kind) under it. Publish:",
                publish: key.zoneLine)
        }
        guard records.count == 1 else {
            return DomainFinding(
                .wrong, "DKIM", "\(name) publishes \(records.count) records; keep the one with the key file's key",
                publish: key.zoneLine)
        }
        var tags: [String: String] = [:]
        for part in records[0].split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            tags[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = pair[1].filter { !$0.isWhitespace }
        }
        let kind = tags["k"]?.lowercased() ?? "rsa"
        let published = tags["p"] ?? ""
        if published.isEmpty {
            return DomainFinding(.wrong, "DKIM", "\(name)'s key is revoked (p= is empty)", publish: key.zoneLine)
        }
        guard kind == key.kind, published == key.publicKey else {
            return DomainFinding(
                .wrong, "DKIM",
                "\(name) publishes another key than the key file's (k=\(kind)); signatures made with the file's key fail. Publish:",
                publish: key.zoneLine)
        }
        return DomainFinding(.ok, "DKIM", "\(name) publishes the key file's \(kind) key")
    }

    // MARK: Alignment, MX, https

    static func alignment(_ settings: MailDomainSettings, dmarc: DMARCRecord?, signed: [String], spfOK: Bool)
        -> DomainFinding
    {
        let from = settings.fromDomain
        let strictDKIM = dmarc?.strictDKIM ?? false
        let strictSPF = dmarc?.strictSPF ?? false
        var aligned: [String] = []
        if let domain = signed.first(where: { OrganizationalDomain.aligned($0, from, strict: strictDKIM) }) {
            aligned.append("DKIM d=\(domain)")
        }
        if spfOK, OrganizationalDomain.aligned(settings.envelopeDomain, from, strict: strictSPF) {
            aligned.append("SPF's \(settings.envelopeDomain)")
        }
        guard !aligned.isEmpty else {
            return DomainFinding(
                .wrong, "alignment",
                "neither a published DKIM key's domain nor SPF's domain (\(settings.envelopeDomain)) aligns with From's \(from)\(strictDKIM || strictSPF ? " under the strict alignment DMARC asks" : ""), so DMARC fails; sign with \(from) (mail.dkim) or send from an envelope domain of \(OrganizationalDomain.of(from))"
            )
        }
        return DomainFinding(
            .ok, "alignment",
            "\(aligned.joined(separator: " and ")) \(aligned.count == 1 ? "aligns" : "align") with From's \(from)")
    }

    static func mx(_ domain: String, dns: any DNSSource) async -> DomainFinding {
        guard let records = await dns.mx(domain).records else {
            return DomainFinding(.unknown, "MX", "the MX of \(domain) could not be looked up (DNS failed)")
        }
        let usable = records.filter { !$0.exchange.isEmpty && $0.exchange != "." }
        guard !usable.isEmpty else {
            return DomainFinding(
                .missing, "MX",
                "\(domain), where bounces and complaint reports are sent, has no mail server (MX): they cannot come back. Publish an MX for it, such as:",
                publish: "\(domain). IN MX 10 mail.\(OrganizationalDomain.of(domain)).")
        }
        let list = usable.sorted { $0.preference < $1.preference }.map { "\($0.exchange) (\($0.preference))" }
        return DomainFinding(.ok, "MX", "\(domain) receives mail at \(list.joined(separator: ", "))")
    }

    static func https(_ settings: MailDomainSettings) -> [DomainFinding] {
        var findings: [DomainFinding] = []
        if let unsubscribe = settings.unsubscribe, unsubscribe.lowercased().hasPrefix("https://") {
            findings.append(
                DomainFinding(.ok, "https", "mail.unsubscribe is https: one-click unsubscribe (RFC 8058) is offered"))
        } else {
            findings.append(
                DomainFinding(
                    .wrong, "https",
                    "mail.unsubscribe is not an https page, so no one-click unsubscribe (RFC 8058) is offered; Gmail and Yahoo require it"
                ))
        }
        if let preferences = settings.preferences {
            findings.append(
                preferences.lowercased().hasPrefix("https://")
                    ? DomainFinding(.ok, "https", "mail.preferences is https")
                    : DomainFinding(
                        .wrong, "https", "mail.preferences is not https; members' tokens would travel in clear text"))
        }
        return findings
    }
}
