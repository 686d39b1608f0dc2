import CoalitionData
import DigestMailing
import DigestRender
import Foundation
import ListState
import MIME
import Synchronization
import Wording

/// What members do on their own page (`digest serve`): unsubscribe with
/// one click, resubscribe, choose their language. The HTTP server calls
/// these; every change is committed to the suppression list before they
/// return.
///
/// A token is found through an index built once from `members.csv` (an
/// HMAC a member, made when the list changes, not on every request), so a
/// request costs a dictionary lookup whatever the token; a token that is
/// nobody's, truncated or of another list is simply not found. Nothing
/// here returns a whole address: pages get ``Found/masked``.
public final class MemberService: Sendable {
    /// A member a token belongs to, as a page may show them.
    public struct Found: Sendable {
        /// The token (kept to build the page's links).
        public var token: String
        /// `a•••@example.org`: enough for the member to recognise their
        /// address, too little for anyone else to learn it.
        public var masked: String
        /// The suppression in force, if any.
        public var suppression: Suppression?
        /// The language the member's digest is written in.
        public var language: String
        /// The member's line in `members.csv` (for staff's own output).
        public var line: Int
        let mailbox: String
    }

    private struct Index {
        var signature: MemberListWatch.Signature?
        var members: [String: Member]
        /// Members who joined themselves (not in `members.csv`), by token.
        var joined: [String: Member] = [:]
        /// When the joined members were last read from the state.
        var joinedRead: Double = -.infinity
        /// Every member by mailbox, made when first asked after a change.
        var byMailbox: [String: Member]?
    }

    /// The project.
    public let project: Project
    /// The data, when it loaded.
    public let dataset: CoalitionDataset
    /// The suppression list.
    public let suppressions: any ListStore
    /// The languages members may choose (a catalogue each), the default first.
    public let languages: [String]
    /// The renderer pages are made with (the default language's words).
    public let renderer: DigestRenderer
    /// Each language's words, for a member's pages in their language.
    public let words: [String: Words]
    private let tokens: MemberTokens
    private let membersPath: String
    private let index: Mutex<Index>
    private let clock: @Sendable () -> Double
    private let unsubscribes: GroupCommit<Suppression.Request, Suppression.Applied>

    /// Loads the data, the member list, the secret and the suppression list.
    ///
    /// - Throws: ``ProjectError`` as ``Mailing/load(_:)`` does, and `state`.
    public init(project: Project, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 })
        throws(ProjectError)
    {
        self.project = project
        self.clock = clock
        let mailing = try Mailing.load(project)
        dataset = mailing.dataset
        tokens = mailing.tokens
        membersPath = mailing.membersPath
        suppressions = try project.suppressions(mailing.dataset.coalition)
        let coalition = mailing.dataset.coalition
        renderer = try project.renderer(roots: ["serve/page.html"], language: coalition.language)
        let languages = coalition.languages
        var words: [String: Words] = [:]
        for language in languages {
            words[language] = language == coalition.language ? renderer.words : try project.words(language)
        }
        self.languages = languages
        self.words = words
        let list = suppressions
        unsubscribes = GroupCommit { requests in try await list.suppress(requests, now: clock()) }
        index = Mutex(Index(signature: mailing.membersSignature, members: Self.index(mailing.members, mailing.tokens)))
    }

    static func index(_ members: [Member], _ tokens: MemberTokens) -> [String: Member] {
        var index: [String: Member] = [:]
        index.reserveCapacity(members.count)
        for member in members { index[tokens.unsubscribeToken(for: member)] = member }
        return index
    }

    /// The member `token` belongs to, as the list is now; nil for a token
    /// that is nobody's (malformed, forged, of another list, of a removed
    /// member).
    ///
    /// - Throws: ``ProjectError/state(path:cause:)`` when the suppression
    ///   list cannot be read (a page must not guess whether a member is
    ///   subscribed).
    public func lookup(_ token: String) async throws(ProjectError) -> Found? {
        guard token.utf8.count == MemberTokens.tokenLength, let member = await member(refreshing: token) else {
            return nil
        }
        return try await found(member, token: token)
    }

    /// Whether `token` is a member's of this list (one lookup in the index,
    /// nothing read from the state): how one server of many lists finds
    /// the list a token belongs to. A token of another list is not.
    public func knows(_ token: String) -> Bool {
        token.utf8.count == MemberTokens.tokenLength && member(for: token) != nil
    }

    /// Reads the members who joined themselves from the state into the
    /// index (at start, and when a token is not found, at most every 10
    /// seconds: a join confirmed on another host is found).
    public func readJoined(force: Bool = true) async {
        let now = clock()
        let due = index.withLock { index -> Bool in
            guard force || now - index.joinedRead >= 10 else { return false }
            index.joinedRead = now
            return true
        }
        guard due, let joined = try? await suppressions.joined() else { return }
        let listed = index.withLock { Array($0.members.values) }
        let members = JoinedMembers.members(joined, after: listed)
        let byToken = Dictionary(
            members.map { (tokens.unsubscribeToken(for: $0), $0) }, uniquingKeysWith: { a, _ in a })
        index.withLock {
            $0.joined = byToken
            $0.byMailbox = nil
        }
    }

    /// The members who join themselves on this list's subscribe page,
    /// their confirmation sent through the coalition's relay (the password
    /// from the environment, as for `digest send`).
    public func joins() -> JoinService {
        let project = self.project
        let coalition = dataset.coalition
        return JoinService(members: self) { () throws(ProjectError) in
            guard let mail = coalition.mail else { throw .noMailSettings(.noMailSettings) }
            return try MonthSend.transport(for: mail, environment: project.environment)
        }
    }

    /// Adds a member who just confirmed to the index.
    func add(_ joined: Join.Confirmed) {
        index.withLock { index in
            guard !index.members.values.contains(where: { $0.mailbox == joined.mailbox }) else { return }
            let line = max(index.members.values.map(\.line).max() ?? 1, index.joined.values.map(\.line).max() ?? 1) + 1
            let member = JoinedMembers.member(joined, line: line)
            index.joined[tokens.unsubscribeToken(for: member)] = member
            index.byMailbox = nil
        }
    }

    /// The member whose mailbox (the address in lower case) is `mailbox`,
    /// as the list is now (members.csv read again when it changed, the
    /// members who joined read again at most every 10 seconds on a miss):
    /// how a provider's event, which names an address, finds its member.
    func member(mailbox: String) async -> Member? {
        if let found = memberNow(mailbox: mailbox) { return found }
        await readJoined(force: false)
        return memberNow(mailbox: mailbox)
    }

    private func memberNow(mailbox: String) -> Member? {
        index.withLock { index in
            refresh(&index)
            if index.byMailbox == nil {
                var all: [String: Member] = [:]
                all.reserveCapacity(index.members.count + index.joined.count)
                for member in index.joined.values { all[member.mailbox] = member }
                // A row of members.csv wins over a member who joined with the same mailbox.
                for member in index.members.values { all[member.mailbox] = member }
                index.byMailbox = all
            }
            return index.byMailbox?[mailbox]
        }
    }

    /// Whether `messageID` is the `Message-ID` this list gave `member` in
    /// some month (`digest-2019-03.TAG.…`), and that month.
    func month(ofMessage messageID: String, to member: Member) -> String? {
        guard let (month, tag) = BounceIndex.messageTag(messageID),
            tokens.messageTag(for: member, month: month) == tag
        else { return nil }
        return month
    }

    /// The member of `token`, the joined members read again when it is nobody's yet.
    private func member(refreshing token: String) async -> Member? {
        if let found = member(for: token) { return found }
        await readJoined(force: false)
        return member(for: token)
    }

    private func member(for token: String) -> Member? {
        index.withLock { index in
            refresh(&index)
            return index.members[token] ?? index.joined[token]
        }
    }

    /// Reads members.csv again when it changed.
    private func refresh(_ index: inout Index) {
        let now = MemberListWatch.Signature(path: membersPath)
        guard now != index.signature else { return }
        index.signature = now
        // A list saved with an error keeps the last good index.
        if let members = MemberList.load(path: membersPath, required: true).members {
            index.members = Self.index(members, tokens)
            index.byMailbox = nil
        }
    }

    private func found(_ member: Member, token: String) async throws(ProjectError) -> Found {
        let suppression: Suppression?
        let chosen: String?
        do {
            suppression = try await suppressions.suppression(of: member.email)
            chosen = try await suppressions.language(of: member.email)
        } catch {
            throw .state(path: suppressions.location, cause: error)
        }
        return Found(
            token: token, masked: Self.mask(member.email), suppression: suppression,
            language: language(member, chosen: chosen), line: member.line, mailbox: member.mailbox)
    }

    /// The member's language: their choice on the preferences page, else
    /// their `language` column, else the default; only languages with a catalogue.
    private func language(_ member: Member, chosen: String?) -> String {
        chosen.flatMap { languages.contains($0) ? $0 : nil }
            ?? member.language.flatMap { languages.contains($0) ? $0 : nil } ?? languages[0]
    }

    /// Stops the digest for the member of `token` (one-click or the page's
    /// button), committed before it returns; a second time changes nothing.
    /// Unsubscribes arriving together share one commit (``GroupCommit``).
    ///
    /// - Returns: the member as they now are, or nil for a token that is nobody's.
    public func unsubscribe(_ token: String, oneClick: Bool) async throws(ProjectError) -> Found? {
        guard token.utf8.count == MemberTokens.tokenLength, let member = await member(refreshing: token) else {
            return nil
        }
        let request = Suppression.Request(
            address: member.mailbox, reason: .unsubscribed, source: oneClick ? .oneClick : .page)
        let state: Suppression.Applied
        do {
            state = try await unsubscribes.submit(request)
        } catch {
            throw .state(path: suppressions.location, cause: error)
        }
        return Found(
            token: token, masked: Self.mask(member.email), suppression: state.suppression,
            language: language(member, chosen: state.language), line: member.line, mailbox: member.mailbox)
    }

    /// Starts the digest again for the member of `token`, on their own
    /// action on their preferences page.
    public func resubscribe(_ token: String) async throws(ProjectError) -> Found? {
        guard let found = try await lookup(token) else { return nil }
        do {
            try await suppressions.resubscribe(found.mailbox, source: .page, now: clock())
        } catch {
            throw .state(path: suppressions.location, cause: error)
        }
        return try await lookup(token)
    }

    /// Records the language the member of `token` chose; one without a
    /// catalogue is refused (nil).
    public func setLanguage(_ token: String, to language: String) async throws(ProjectError) -> Found? {
        guard languages.contains(language), let found = try await lookup(token) else { return nil }
        do {
            try await suppressions.setLanguage(language, of: found.mailbox, now: clock())
        } catch {
            throw .state(path: suppressions.location, cause: error)
        }
        return try await lookup(token)
    }

    /// `a•••@example.org`: the first character of the part before the @,
    /// then the domain.
    public static func mask(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let first = address.first, address.startIndex != at else {
            return "•••"
        }
        return String(first) + "•••" + address[at...]
    }
}
