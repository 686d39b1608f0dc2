import CoalitionData
import DigestModel
import DigestRender

/// A month's digest made ready for every member, each in their own
/// language: one ``PersonalEdition`` a language the coalition writes in,
/// and each member's message from the edition of their language
/// (``Coalition/language(for:)``: their `language` in `members.csv` when
/// the coalition writes in it, else the coalition's).
///
/// Everything that is the member's and not the language's (the tokens,
/// the `Message-ID`, the envelope sender) is the same whichever edition
/// makes the message.
public struct PersonalDigest: Sendable {
    /// The editions, by language tag.
    let editions: [String: PersonalEdition]
    /// The coalition's own language's edition.
    let main: PersonalEdition
    let coalition: Coalition

    /// Prepares `digest` in one language: `renderer`'s, for every member.
    ///
    /// - Throws: as ``PersonalEdition/init(digest:renderer:secret:usesCoalitionGreeting:)``.
    public init(digest: Digest, renderer: DigestRenderer, secret: UnsubscribeSecret) throws(MailingError) {
        let edition = try PersonalEdition(digest: digest, renderer: renderer, secret: secret)
        self.editions = [renderer.words.language: edition]
        self.main = edition
        var coalition = digest.coalition
        coalition.languages = [renderer.words.language]
        coalition.language = renderer.words.language
        self.coalition = coalition
    }

    /// Prepares `digest` in each language of `renderers` (by tag); members
    /// whose language has no renderer read the coalition's language.
    ///
    /// - Throws: as ``PersonalEdition/init(digest:renderer:secret:usesCoalitionGreeting:)``;
    ///   ``MailingError/render(_:)`` when there is no renderer for the coalition's language.
    public init(digest: Digest, renderers: [String: DigestRenderer], secret: UnsubscribeSecret) throws(MailingError) {
        let coalition = digest.coalition
        var editions: [String: PersonalEdition] = [:]
        for (language, renderer) in renderers {
            editions[language] = try PersonalEdition(
                digest: digest, renderer: renderer, secret: secret,
                usesCoalitionGreeting: language == coalition.language)
        }
        guard let main = editions[coalition.language] else {
            throw .render(.missingTemplate("words/\(coalition.language).po"))
        }
        self.editions = editions
        self.main = main
        self.coalition = coalition
    }

    /// The edition `member` reads.
    public func edition(for member: Member) -> PersonalEdition {
        editions[coalition.language(for: member)] ?? main
    }

    /// The languages prepared, by tag.
    public var languages: [String] { editions.keys.sorted() }

    /// The month, `2020-02`.
    public var month: String { main.month }
    /// The digest's subject in the coalition's language.
    public var subject: String { main.subject }

    /// The member's unsubscribe page, with their token.
    public func unsubscribeURL(for member: Member) -> String { main.unsubscribeURL(for: member) }

    /// The member's `Message-ID`, without angle brackets.
    public func messageID(for member: Member) -> String { main.messageID(for: member) }

    /// The `Message-ID` of the member whose key is `key` (``PersonalEdition/messageID(forKey:)``).
    public func messageID(forKey key: String) -> String { main.messageID(forKey: key) }

    /// The envelope sender of messages that are no member's (test sends).
    public var sender: String { main.sender }

    /// The member's envelope sender (VERP when `mail.bounces` is set).
    public func sender(for member: Member) -> String { main.sender(for: member) }

    /// The tokens the links are made with.
    public var memberTokens: MemberTokens { main.memberTokens }

    /// How the member is greeted, in their language.
    public func greeting(for member: Member) -> String { edition(for: member).greeting(for: member) }

    /// The member's whole message, in their language.
    public func message(for member: Member) -> [UInt8] { edition(for: member).message(for: member) }

    /// The member's newsletter, in their language, as their mail program shows it.
    public func html(for member: Member) throws(MailingError) -> String { try edition(for: member).html(for: member) }

    /// Appends the member's whole message, in their language, to `output`.
    public func write(_ member: Member, into output: inout [UInt8]) {
        edition(for: member).write(member, into: &output)
    }

    /// The member's message made the slow way (``PersonalEdition/reference(for:)``).
    public func reference(for member: Member) throws(MailingError) -> String {
        try edition(for: member).reference(for: member)
    }

    /// A trial copy of the member's message for `digest send --test`.
    public func testMessage(for member: Member, stamp: String) throws(MailingError) -> String {
        try edition(for: member).testMessage(for: member, stamp: stamp)
    }
}
