import CoalitionData
import DKIM
import Foundation

/// The keys of `mail.dkim` read from their files: the signer `digest send`
/// puts each member's message through, and the records `digest check`
/// prints. A key file is found relative to the data folder, must lie
/// outside it (a data folder is committed, a key never), and must be
/// private to its owner.
public struct DKIMKeys: Sendable {
    /// The signer, or nil when `mail.dkim` names no key.
    public var signer: DKIMSigner?
    /// Each key's setting and key, in order.
    public var keys: [(setting: DKIMSetting, key: DKIMKey)]
    /// Every key that could not be used, at its `key_file` line.
    public var log: DiagnosticLog

    /// Reads the keys of `mail`.
    public init(mail: Coalition.Mail?, dataFolder: String) {
        var log = DiagnosticLog()
        var keys: [(DKIMSetting, DKIMKey)] = []
        for setting in mail?.dkim ?? [] {
            let path = SecretFile.path(setting.keyFile, dataFolder: dataFolder)
            if SecretFile.insideDataFolder(path, dataFolder: dataFolder) {
                log.error(
                    setting.file, setting.line, setting.column,
                    "mail.dkim key_file \(setting.keyFile) is inside the data folder, which is shared and committed; move the key out of it (such as /etc/digest/dkim.pem, chmod 600) and name that path"
                )
                continue
            }
            do {
                keys.append((setting, try DKIMKey.load(path: path)))
            } catch {
                log.error(setting.file, setting.line, setting.column, "mail.dkim key_file \(setting.keyFile) \(error)")
            }
        }
        self.keys = keys
        self.log = log
        signer =
            keys.isEmpty
            ? nil
            : DKIMSigner(
                keys: keys.map { DKIMSigner.Signing(domain: $0.0.domain, selector: $0.0.selector, key: $0.1) })
    }

    /// `record`'s zone-file line at `name`: strings of at most 255
    /// characters, as DNS allows.
    static func zoneLine(_ name: String, _ record: String) -> String {
        var strings: [String] = []
        var rest = Substring(record)
        while !rest.isEmpty {
            strings.append("\"" + rest.prefix(255) + "\"")
            rest = rest.dropFirst(255)
        }
        return "\(name). IN TXT ( \(strings.joined(separator: " ")) )"
    }

    /// What to publish for each key, as `digest check` prints it: where,
    /// the record, and the record as a zone file line (strings of at most
    /// 255 characters, as DNS allows).
    public var records: [String] {
        keys.flatMap { setting, key in
            [
                "DKIM \(key.algorithm) key \(setting.keyFile): publish this TXT record at \(setting.recordName)",
                "  \(key.record)",
                "  in a zone file: " + Self.zoneLine(setting.recordName, key.record),
            ]
        }
    }
}
