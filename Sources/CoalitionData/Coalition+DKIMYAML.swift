import Yams

extension Coalition {
    /// `mail.dkim`: a list of `{domain, selector, key_file}` (one mapping
    /// alone counts as a list of one).
    static func parseDKIM(_ map: YAMLMapping, fromDomain: String?, log: inout DiagnosticLog) -> [DKIMSetting] {
        guard let node = map.value("dkim") else { return [] }
        let at = map.location(node)
        let items: [Node]
        if let sequence = node.sequence {
            items = Array(sequence)
        } else if node.mapping != nil {
            items = [node]
        } else if let scalar = node.scalar, YAMLMapping.isNull(scalar) {
            return []
        } else {
            log.error(
                map.file, at.line, at.column,
                "mail.dkim should be a list of keys, each \"- {domain: example.org, selector: digest2026, key_file: /etc/digest/dkim.pem}\""
            )
            return []
        }
        var settings: [DKIMSetting] = []
        for (number, item) in items.enumerated() {
            let place = map.location(item)
            guard let mapping = item.mapping else {
                log.error(
                    map.file, place.line, place.column,
                    "mail.dkim item \(number + 1) should be {domain: example.org, selector: digest2026, key_file: /etc/digest/dkim.pem}"
                )
                continue
            }
            let key = YAMLMapping(
                file: map.file, lineOffset: map.lineOffset, mapping: mapping, line: place.line, column: place.column,
                prefix: "mail.dkim[\(number + 1)].")
            if let setting = parseDKIMKey(key, fromDomain: fromDomain, log: &log) {
                if settings.contains(where: { $0.recordName == setting.recordName }) {
                    log.error(
                        map.file, place.line, place.column,
                        "mail.dkim names \(setting.recordName) twice; give each key its own selector")
                } else {
                    settings.append(setting)
                }
            }
        }
        return settings
    }

    private static func parseDKIMKey(_ map: YAMLMapping, fromDomain: String?, log: inout DiagnosticLog)
        -> DKIMSetting?
    {
        map.checkKeys(["domain", "selector", "key_file"], log: &log)
        let domain = map.scalar("domain", required: true, log: &log, example: "example.org")
        let selector = map.scalar("selector", required: true, log: &log, example: "digest2026")
        let keyFile = map.scalar("key_file", required: true, log: &log, example: "/etc/digest/dkim.pem")
        var good = true
        if let domain, !DKIMSetting.isDomainName(domain.value, labels: 2) {
            log.error(
                map.file, domain.line, domain.column,
                "\(map.prefix)domain \"\(domain.value)\" is not a domain name; write the domain that signs, such as example.org"
            )
            good = false
        }
        if let selector, !DKIMSetting.isDomainName(selector.value) {
            log.error(
                map.file, selector.line, selector.column,
                "\(map.prefix)selector \"\(selector.value)\" is not a selector; write letters, digits and hyphens, such as digest2026"
            )
            good = false
        }
        guard good, let domain, let selector, let keyFile else { return nil }
        let setting = DKIMSetting(
            domain: domain.value.lowercased(), selector: selector.value.lowercased(), keyFile: keyFile.value,
            file: map.file, line: keyFile.line, column: keyFile.column)
        if let fromDomain, !setting.aligns(with: fromDomain) {
            log.warning(
                map.file, domain.line, domain.column,
                "\(map.prefix)domain \(setting.domain) is not mail.from's domain (\(fromDomain.lowercased())) nor a parent of it: DMARC does not count this signature; sign with \(fromDomain.lowercased()) or its parent"
            )
        }
        return setting
    }
}
