/// What `digest mail check` checks, taken from the coalition's settings.
public struct MailDomainSettings: Sendable {
    /// One DKIM key: where its record belongs and what it must say.
    public struct Key: Sendable {
        /// `d=`.
        public var domain: String
        /// `s=`.
        public var selector: String
        /// `rsa` or `ed25519`.
        public var kind: String
        /// The public key, base64: the record's `p=`.
        public var publicKey: String
        /// The record to publish as a zone-file line.
        public var zoneLine: String

        /// A key.
        public init(domain: String, selector: String, kind: String, publicKey: String, zoneLine: String) {
            self.domain = domain
            self.selector = selector
            self.kind = kind
            self.publicKey = publicKey
            self.zoneLine = zoneLine
        }

        /// `selector._domainkey.domain`.
        public var recordName: String { "\(selector)._domainkey.\(domain)" }
    }

    /// The relay that hands the mail to the world.
    public enum Relay: Sendable, Equatable {
        /// A host name or address (`mail.smtp.host`).
        case host(String)
        /// Not known from here (a sendmail program, a relay on this
        /// machine): why.
        case unknown(String)
    }

    /// `mail.from`'s domain, lower case.
    public var fromDomain: String
    /// The envelope sender's domain (`mail.bounces`', else From's): what SPF checks.
    public var envelopeDomain: String
    /// The relay.
    public var relay: Relay
    /// `mail.dkim`'s keys.
    public var keys: [Key]
    /// `mail.unsubscribe`.
    public var unsubscribe: String?
    /// `mail.preferences`.
    public var preferences: String?

    /// Settings.
    public init(
        fromDomain: String, envelopeDomain: String, relay: Relay, keys: [Key], unsubscribe: String?,
        preferences: String?
    ) {
        self.fromDomain = fromDomain.lowercased()
        self.envelopeDomain = envelopeDomain.lowercased()
        self.relay = relay
        self.keys = keys
        self.unsubscribe = unsubscribe
        self.preferences = preferences
    }
}
