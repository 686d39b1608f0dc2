/// A person who asked to join a list on its subscribe page (double
/// opt-in): waiting for them to confirm from the message sent to the
/// address (``Pending``), then a member (``Confirmed``). The confirmation
/// link's token is never stored, only its SHA-256: the state alone cannot
/// confirm anyone.
public enum Join {
    /// A request waiting for its confirmation, valid until ``expires``.
    public struct Pending: Sendable, Equatable {
        /// The token's SHA-256, in hexadecimal.
        public var tokenHash: String
        /// The address as typed (its mailbox is the lower-case whole).
        public var address: String
        /// The name given.
        public var name: String
        /// The country given, if any (as `members.csv` writes it).
        public var country: String?
        /// The language chosen for the digest.
        public var language: String
        /// The language of the page the request was made on.
        public var pageLanguage: String
        /// The confirmation message's `Message-ID`.
        public var messageID: String
        /// When it was asked (seconds since 1970).
        public var created: Double
        /// When the link stops working.
        public var expires: Double

        /// A request.
        public init(
            tokenHash: String, address: String, name: String, country: String?, language: String,
            pageLanguage: String, messageID: String, created: Double, expires: Double
        ) {
            self.tokenHash = tokenHash
            self.address = address
            self.name = name
            self.country = country
            self.language = language
            self.pageLanguage = pageLanguage
            self.messageID = messageID
            self.created = created
            self.expires = expires
        }
    }

    /// A member who confirmed: the record of their consent (when, on a
    /// page in which language, answering which message).
    public struct Confirmed: Sendable, Equatable {
        /// The address.
        public var address: String
        /// The name given.
        public var name: String
        /// The country given, if any.
        public var country: String?
        /// The language chosen for the digest.
        public var language: String
        /// When they confirmed (seconds since 1970).
        public var confirmed: Double
        /// The language of the page they asked on.
        public var pageLanguage: String
        /// The confirmation message's `Message-ID`.
        public var messageID: String

        /// A member.
        public init(
            address: String, name: String, country: String?, language: String, confirmed: Double,
            pageLanguage: String, messageID: String
        ) {
            self.address = address
            self.name = name
            self.country = country
            self.language = language
            self.confirmed = confirmed
            self.pageLanguage = pageLanguage
            self.messageID = messageID
        }

        /// The mailbox (the lower-case whole address).
        public var mailbox: String { Suppression.mailbox(address) }
    }
}
