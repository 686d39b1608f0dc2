import CoalitionData
import DKIM
import Foundation
import MIME
import MailDomain

extension Project {
    /// Whether `--dns`'s value is a server to ask: `192.0.2.53:53`,
    /// `[2001:db8::53]:5353` (the port 53 when left out).
    public static func isDNSServer(_ text: String) -> Bool {
        SystemResolver(server: text) != nil
    }

    /// `digest mail check`: asks DNS (the system's resolver, or `dns`)
    /// whether the coalition's domain is ready for bulk mail to Gmail,
    /// Yahoo and Microsoft, and says what to publish where it is not.
    ///
    /// - Throws: ``ProjectError``: `data` (also for a `mail.dkim` key that
    ///   cannot be used), `noMailSettings`, `outOfReach` for a `--dns`
    ///   that is not an address.
    public func mailCheck(dns server: String? = nil) async throws(ProjectError) -> DomainReport {
        let dataset = try loadChecked().dataset
        guard let mail = dataset.coalition.mail else { throw .noMailSettings(.noMailSettings) }
        guard let resolver = SystemResolver(server: server) else {
            throw .outOfReach(
                option: "--dns", value: server ?? "", "is not a server's address and port, such as 127.0.0.1:53")
        }
        let dkim = DKIMKeys(mail: mail, dataFolder: dataPath)
        if dkim.log.hasErrors { throw .data(dkim.log) }
        let from = (try? MailAddress(parsing: mail.from))?.domain ?? ""
        let envelope = mail.bounces.flatMap { try? MailAddress(parsing: $0).domain } ?? from
        let relay: MailDomainSettings.Relay
        if let smtp = mail.smtp {
            relay =
                Coalition.SMTPRelay.isLoopback(smtp.host)
                ? .unknown("mail.smtp is a relay on this machine, whose public address is not known here")
                : .host(smtp.host)
        } else if mail.sendmail != nil {
            relay = .unknown("mail.sendmail hands mail to this machine's mail system")
        } else {
            relay = .unknown("neither mail.smtp nor mail.sendmail is set")
        }
        let keys = dkim.keys.map { setting, key in
            let record = key.record
            let publicKey = record.components(separatedBy: "p=").last ?? ""
            return MailDomainSettings.Key(
                domain: setting.domain, selector: setting.selector,
                kind: key.algorithm == "ed25519-sha256" ? "ed25519" : "rsa", publicKey: publicKey,
                zoneLine: DKIMKeys.zoneLine(setting.recordName, record))
        }
        let settings = MailDomainSettings(
            fromDomain: from, envelopeDomain: envelope, relay: relay, keys: keys, unsubscribe: mail.unsubscribe,
            preferences: mail.preferences)
        return await DomainCheck.run(settings, dns: resolver)
    }
}
