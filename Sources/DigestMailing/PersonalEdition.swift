import CoalitionData
import DigestModel
import DigestRender
import MIME
import Wording

/// A month's digest in one language made ready for each member reading
/// it: the shared body rendered once, then each member's greeting, "From
/// your country" block and unsubscribe token spliced in. ``PersonalDigest``
/// holds one a language.
///
/// The templates are rendered once with stand-in characters where a member's
/// parts go (a private-use character the data cannot hold). The result is
/// cut into lines: lines without a stand-in are quoted-printable encoded
/// once and shared; the few lines with one are filled in and encoded for
/// each member. Quoted-printable encodes each line on its own, so the
/// spliced message is byte for byte the one a whole render would give
/// (``reference(for:)`` is that render, and the tests compare the two).
///
/// The token stand-in is as many characters as a token, so the plain-text
/// layout wraps a line holding it exactly as it wraps the real link.
public struct PersonalEdition: Sendable {
    /// A run of a body: shared bytes, a line to fill in, or the country block.
    enum Piece: Sendable {
        /// Already quoted-printable encoded.
        case shared([UInt8])
        /// A line (with its line break) holding stand-ins, cut at them; the
        /// text before the first stand-in is encoded once (`prefix`, ending
        /// at `column` of its encoded line).
        case line([Part], prefix: [UInt8], column: Int)
        /// Where "From your country" goes, when the member's country has news.
        case country
        /// Where the next call at the member's own time goes.
        case localTime
    }

    /// A run of a line to fill in.
    enum Part: Sendable {
        /// Text as it stands.
        case text(String)
        /// The member's greeting goes here.
        case greeting
        /// The member's token goes here.
        case token
    }

    /// A header line: the same for everyone, or the member's own.
    enum HeaderSlot: Sendable {
        /// Folded, with its CRLF.
        case shared([UInt8])
        /// `To:`.
        case to
        /// `Message-ID:`.
        case messageID
        /// `List-Unsubscribe:`.
        case unsubscribe
    }

    /// Stand-ins: private-use characters no value from the data is given.
    static let greetingMark = "\u{E101}"
    static let countryMark = "\u{E102}"
    static let localTimeMark = "\u{E104}"
    static let tokenMark = String(repeating: "\u{E103}", count: MemberTokens.tokenLength)

    /// The month, `2020-02`.
    public let month: String
    /// The digest's subject.
    public let subject: String
    let base: MailMessage
    let tokens: MemberTokens
    let renderer: DigestRenderer
    let unsubscribePrefix: String
    /// `mail.preferences` ready for a token, when it is set: a member's
    /// own copy links to their own preferences (`digest serve` needs the
    /// token; a static page ignores it).
    let preferencesPrefix: String?
    /// `mail.bounces`, the mailbox delivery reports come back to.
    let bounces: BounceAddress?
    let neutralGreeting: String
    /// `mail.greeting` when it names the member ("Dear {{first_name}},")
    /// and this edition is in the coalition's language.
    let greetingPattern: String?
    /// True when the coalition greets by first name (its pattern says
    /// `{{first_name}}`): the catalogue's greetings in other languages do too.
    let greetsByFirstName: Bool
    let messageIDSuffix: String
    let textPieces: [Piece]
    let htmlPieces: [Piece]
    let headerPlan: [HeaderSlot]
    /// The message around the two bodies: before the text, between, after the HTML.
    let frames: (beforeText: [UInt8], betweenParts: [UInt8], afterHTML: [UInt8])
    /// Each country's block, encoded: text and HTML.
    let countryBlocks: [String: (text: [UInt8], html: [UInt8])]
    /// What each country's block says (for the reference render).
    let news: [String: CountryNews]
    /// The next call at each member's own time.
    let localTimes: LocalCallTimes
    let view: DigestView

    /// Prepares `digest` for its members.
    ///
    /// - Throws: ``MailingError/noUnsubscribePage`` without `mail.unsubscribe`;
    ///   ``MailingError/render(_:)`` when a template is missing;
    ///   ``MailingError/mail(_:)`` when the mail settings cannot make a message.
    /// - Parameter usesCoalitionGreeting: whether `mail.greeting` (written
    ///   in the coalition's own language) replaces the catalogue's neutral
    ///   greeting: true for the coalition's language only.
    public init(
        digest: Digest, renderer: DigestRenderer, secret: UnsubscribeSecret, usesCoalitionGreeting: Bool = true
    ) throws(MailingError) {
        guard let mail = digest.coalition.mail else {
            throw .mail(.noMailSettings)
        }
        guard let unsubscribe = mail.unsubscribe, unsubscribe.lowercased().hasPrefix("https://") else {
            throw .noUnsubscribePage
        }
        self.renderer = renderer
        month = digest.period.description
        let pattern = mail.greetingNamesMember ? mail.greeting : nil
        neutralGreeting =
            (usesCoalitionGreeting && pattern == nil ? mail.greeting : nil) ?? renderer.words.text("greeting.neutral")
        greetingPattern = usesCoalitionGreeting ? pattern : nil
        greetsByFirstName = pattern?.contains("{{first_name}}") ?? false
        unsubscribePrefix = Self.tokenPrefix(unsubscribe)
        preferencesPrefix = mail.preferences.map(Self.tokenPrefix)
        bounces = mail.bounces.flatMap(BounceAddress.init)

        var view: DigestView
        do {
            view = try renderer.view(for: digest)
        } catch {
            throw .render(error)
        }
        self.view = view
        subject = view.subject
        news = CountryNews.all(in: view, words: renderer.words)
        var base: MailMessage
        do {
            base = try DigestMail.message(for: digest, subject: view.subject, text: "", html: "")
        } catch {
            throw .mail(error)
        }
        tokens = MemberTokens(
            secret: secret, listID: DigestMail.listIdentifier(digest.coalition) ?? base.to.address)
        let domain = base.from.domain
        messageIDSuffix = "." + DigestMail.slug(digest.coalition.name) + "@" + domain

        // The shared render, with stand-ins.
        view.coalition.unsubscribe = unsubscribePrefix + Self.tokenMark
        if let preferencesPrefix { view.coalition.preferences = preferencesPrefix + Self.tokenMark }
        localTimes = LocalCallTimes(
            start: digest.nextCall?.start, homeZone: digest.coalition.schedule.timezone, renderer: renderer)
        let value = Self.withPersonal(
            ViewValue(reflecting: view), greeting: Self.greetingMark, countryNews: Self.countryMark,
            localTime: Self.localTimeMark)
        let text: String
        let html: String
        var blocks: [String: (text: [UInt8], html: [UInt8])] = [:]
        do {
            text = try renderer.text(value)
            html = try renderer.html(value)
            for (code, item) in news {
                let (markup, block) = try Self.blocks(item, renderer: renderer)
                let laidOut = renderer.layout.layout(markup)
                blocks[code] = (
                    Array(QuotedPrintable.encode(laidOut + "\n").utf8), Array(QuotedPrintable.encode(block + "\n").utf8)
                )
            }
        } catch {
            throw .render(error)
        }
        countryBlocks = blocks
        textPieces = Self.pieces(text, isText: true)
        htmlPieces = Self.pieces(html, isText: false)
        if let invitation = CallInvitation.ics(
            for: digest.localized(to: renderer.words.language), words: renderer.words)
        {
            base.attachments = [
                MailAttachment(
                    fileName: CallInvitation.fileName, contentType: "text/calendar; charset=utf-8; method=PUBLISH",
                    text: invitation)
            ]
        }
        base.language = renderer.words.language
        // Every member's message has the list message's boundary, so all
        // but three header lines and the parts' frames are made here, once.
        base.boundarySeed = base.messageID
        self.base = base
        var probe = base
        probe.unsubscribe = [unsubscribePrefix + "token"]
        var plan: [HeaderSlot] = []
        var headerBytes = 0
        for header in probe.headerLines() {
            headerBytes += header.line.utf8.count + 2
            switch header.name {
            case "To": plan.append(.to)
            case "Message-ID": plan.append(.messageID)
            case "List-Unsubscribe": plan.append(.unsubscribe)
            default: plan.append(.shared(Array((header.line + "\r\n").utf8)))
            }
        }
        headerPlan = plan
        var frame: [UInt8] = []
        var textAt = 0
        var htmlAt = 0
        probe.write(into: &frame, text: { textAt = $0.count }, html: { htmlAt = $0.count })
        frames = (Array(frame[headerBytes..<textAt]), Array(frame[textAt..<htmlAt]), Array(frame[htmlAt...]))
    }

    /// `url` with `?m=` (or `&m=`) added, for a token to follow.
    static func tokenPrefix(_ url: String) -> String {
        url + (url.contains("?") ? "&" : "?") + "m="
    }

    /// The member's unsubscribe page, with their token.
    public func unsubscribeURL(for member: Member) -> String {
        unsubscribePrefix + tokens.unsubscribeToken(for: member)
    }

    /// The member's `Message-ID`, without angle brackets: the same for the
    /// same member and month every time, so a resent message is recognisably
    /// the same one.
    public func messageID(for member: Member) -> String {
        messageID(forKey: member.key)
    }

    /// ``messageID(for:)`` of the member whose key is `key`: a ledger row
    /// whose `Message-ID` is not this is another list's.
    public func messageID(forKey key: String) -> String {
        "digest-\(month)." + tokens.messageTag(forKey: key, month: month) + messageIDSuffix
    }

    /// The envelope sender of messages that are no member's (test sends):
    /// `mail.bounces` when set, else the address of `mail.from`.
    public var sender: String { bounces?.mailbox ?? base.from.address }

    /// The member's envelope sender: `bounces+TAG@domain` (VERP) when
    /// `mail.bounces` is set, so their delivery reports come back with
    /// their tag; else the address of `mail.from`.
    public func sender(for member: Member) -> String {
        guard let bounces else { return base.from.address }
        return bounces.envelope(month: month, tag: tokens.bounceTag(for: member, month: month))
    }

    /// The tokens the links are made with.
    public var memberTokens: MemberTokens { tokens }

    /// How the member is greeted: "Dear Amina Odhiambo," or the neutral greeting.
    public func greeting(for member: Member) -> String {
        func clean(_ text: String?) -> String? {
            let words = text?.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
            return words?.isEmpty == false ? words : nil
        }
        let name = clean(member.name)
        let first = clean(member.firstName)
        if let pattern = greetingPattern {
            guard name != nil || first != nil else { return neutralGreeting }
            return pattern.replacing("{{first_name}}", with: first ?? name ?? "")
                .replacing("{{name}}", with: name ?? first ?? "")
        }
        // A personal letter greets by first name ("Dear Amina,"), the whole
        // name when the list has no first name.
        guard let named = first ?? name else { return neutralGreeting }
        return renderer.words.text("greeting.named", ["name": named])
    }

    /// The member's whole message.
    public func message(for member: Member) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64 * 1024)
        write(member, into: &output)
        return output
    }

    /// Appends the member's whole message to `output`.
    public func write(_ member: Member, into output: inout [UInt8]) {
        let greeting = greeting(for: member)
        let token = tokens.unsubscribeToken(for: member)
        let block = member.country.flatMap { countryBlocks[$0.alpha2] }
        let localTime = localTimes.block(zone: member.localZone)
        for slot in headerPlan {
            let line: String
            switch slot {
            case .shared(let bytes):
                output.append(contentsOf: bytes)
                continue
            case .to:
                line = MailMessage.headerLine(
                    "To", MailAddress(name: member.name, address: member.email).headerValue(firstWordLimit: 74))
            case .messageID: line = MailMessage.headerLine("Message-ID", "<" + messageID(for: member) + ">")
            case .unsubscribe:
                line = MailMessage.headerLine(
                    "List-Unsubscribe", MailMessage.unsubscribeValue([unsubscribePrefix + token]))
            }
            output.append(contentsOf: line.utf8)
            output.append(13)
            output.append(10)
        }
        output.append(contentsOf: frames.beforeText)
        var textGreeting: String?
        for piece in textPieces {
            switch piece {
            case .shared(let bytes): output.append(contentsOf: bytes)
            case .country: if let block { output.append(contentsOf: block.text) }
            case .localTime: if let localTime { output.append(contentsOf: localTime.encoded.text) }
            case .line(let parts, let prefix, let column):
                if textGreeting == nil { textGreeting = self.textGreeting(greeting) }
                output.append(contentsOf: prefix)
                Self.encode(
                    Self.fill(parts, greeting: textGreeting ?? greeting, token: token), column: column, into: &output)
            }
        }
        output.append(contentsOf: frames.betweenParts)
        let htmlGreeting = HTMLEscaping.escape(greeting)
        for piece in htmlPieces {
            switch piece {
            case .shared(let bytes): output.append(contentsOf: bytes)
            case .country: if let block { output.append(contentsOf: block.html) }
            case .localTime: if let localTime { output.append(contentsOf: localTime.encoded.html) }
            case .line(let parts, let prefix, let column):
                output.append(contentsOf: prefix)
                Self.encode(Self.fill(parts, greeting: htmlGreeting, token: token), column: column, into: &output)
            }
        }
        output.append(contentsOf: frames.afterHTML)
    }

    /// The language this edition is written in.
    public var language: String { renderer.words.language }

}
