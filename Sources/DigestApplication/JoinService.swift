import CoalitionData
import Crypto
import DigestRender
import DigestSend
import Foundation
import ListState
import MIME
import Wording

/// Members who join themselves, confirmed from their own mailbox (double
/// opt-in): the subscribe page's request sends one message with a link,
/// valid seven days; only the POST from that link's page adds the member,
/// keeping when, on a page in which language, and answering which message.
///
/// The link's token is 32 random bytes; the state keeps only its SHA-256,
/// so neither the state nor a log can confirm anyone. The answer to a
/// request is the same whether or not the address is already a member,
/// was asked for within the hour (one confirmation an address an hour), or
/// is suppressed: the page tells nobody anything about an address.
public final class JoinService: Sendable {
    /// The list's members, words and state.
    public let members: MemberService
    /// Where a confirmation link points (`…/confirm`), from `mail.subscribe`
    /// or `mail.unsubscribe`; nil when neither is an `https://` page of
    /// `digest serve` (the subscribe page is then not offered).
    public let confirmPage: String?
    let transport: @Sendable () throws(ProjectError) -> any MessageTransport
    let clock: @Sendable () -> Double

    /// How long a confirmation link works.
    public static let validity: Double = 7 * 86_400
    /// One confirmation an address in this time.
    public static let perAddress: Double = 3_600

    /// Joins for `members`' list, sending through `transport` (the
    /// coalition's relay, made when the first message goes).
    public init(
        members: MemberService,
        transport: @escaping @Sendable () throws(ProjectError) -> any MessageTransport,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.members = members
        self.transport = transport
        self.clock = clock
        confirmPage = Self.confirmPage(members.dataset.coalition.mail)
    }

    /// `…/confirm` beside `mail.subscribe` (when it is `…/subscribe`), else
    /// beside `mail.unsubscribe` (`…/unsubscribe`).
    static func confirmPage(_ mail: Coalition.Mail?) -> String? {
        for (page, name) in [(mail?.subscribe, "/subscribe"), (mail?.unsubscribe, "/unsubscribe")] {
            guard let page, page.hasPrefix("https://"), let path = page.split(separator: "?").first,
                path.hasSuffix(name)
            else { continue }
            return String(path.dropLast(name.count)) + "/confirm"
        }
        return nil
    }

    /// What a request's form said.
    public struct Form: Sendable, Equatable {
        /// `email`.
        public var email: String
        /// `name`.
        public var name: String
        /// `country` (optional).
        public var country: String
        /// `language`, among the coalition's.
        public var language: String

        /// A form.
        public init(email: String, name: String, country: String, language: String) {
            self.email = email
            self.name = name
            self.country = country
            self.language = language
        }
    }

    /// A field the form must be sent again for, with why (a catalogue key).
    public struct Problem: Sendable, Equatable {
        /// `email`, `name`, `country` or `language`.
        public var field: String
        /// The message's key in the catalogue.
        public var key: String
    }

    /// What is wrong with `form`, field by field; none when it can be sent.
    public func problems(_ form: Form) -> [Problem] {
        var problems: [Problem] = []
        let email = form.email.trimmingCharacters(in: .whitespaces)
        if email.isEmpty || email.count > 254 || MailAddress.addressProblem(email, quoting: false) != nil
            || !email.contains("@")
        {
            problems.append(Problem(field: "email", key: "serve.join.problem.email"))
        }
        let name = form.name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 100
            || name.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } ?? false })
        {
            problems.append(Problem(field: "name", key: "serve.join.problem.name"))
        }
        let country = form.country.trimmingCharacters(in: .whitespaces)
        if !country.isEmpty, Self.country(country) == nil {
            problems.append(Problem(field: "country", key: "serve.join.problem.country"))
        }
        if !members.languages.contains(form.language) {
            problems.append(Problem(field: "language", key: "serve.join.problem.language"))
        }
        return problems
    }

    /// The country named `text` (its English name or code, any capitals).
    static func country(_ text: String) -> Country? {
        guard let table = try? CountryTable.standard() else { return nil }
        if case .found(let country) = table.lookup(text) { return country }
        return nil
    }

    /// Sends the confirmation message for `form` asked on a page in
    /// `pageLanguage`, unless one went to the address within the hour.
    /// The caller shows the same page either way.
    ///
    /// - Throws: ``ProjectError`` when the state cannot record the
    ///   request, or the relay does not take the message (the request is
    ///   then not kept: the member can ask again at once).
    public func request(_ form: Form, pageLanguage: String) async throws(ProjectError) {
        guard let confirmPage, problems(form).isEmpty else { return }
        let now = clock()
        var random = SystemRandomNumberGenerator()
        let token = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }).base64URL
        let address = form.email.trimmingCharacters(in: .whitespaces)
        let country = form.country.trimmingCharacters(in: .whitespaces)
        let messageID = "join-\(UUID().uuidString.lowercased())@\(Self.domain(members.dataset.coalition))"
        let pending = Join.Pending(
            tokenHash: Self.hash(token), address: address, name: form.name.trimmingCharacters(in: .whitespaces),
            country: country.isEmpty ? nil : Self.country(country)?.name, language: form.language,
            pageLanguage: pageLanguage, messageID: messageID, created: now, expires: now + Self.validity)
        let store = members.suppressions
        do {
            guard try await store.requestJoin(pending, unlessRequestedSince: now - Self.perAddress) else { return }
        } catch {
            throw .state(path: store.location, cause: error)
        }
        do throws(ProjectError) {
            let message = try confirmation(pending, link: confirmPage + "?c=" + token, now: now)
            let relay = try transport()
            let result: TransportResult
            do throws(SendError) {
                result = try await relay.send(from: message.sender, to: address, data: message.bytes)
            } catch {
                await relay.close()
                throw .send(error)
            }
            await relay.close()
            guard case .accepted = result else {
                throw .sendSetting("the relay did not take the confirmation message: \(result)")
            }
        } catch {
            // Not sent: the request is withdrawn, so asking again is not refused.
            try? await store.withdrawJoin(tokenHash: pending.tokenHash)
            throw error
        }
    }

    /// The request of the link's `token`, while it works.
    public func pending(_ token: String) async throws(ProjectError) -> Join.Pending? {
        guard token.utf8.count == 43 else { return nil }
        do {
            return try await members.suppressions.pendingJoin(tokenHash: Self.hash(token), now: clock())
        } catch {
            throw .state(path: members.suppressions.location, cause: error)
        }
    }

    /// Makes the request of `token` a member of the list.
    public func confirm(_ token: String) async throws(ProjectError) -> Join.Confirmed? {
        guard token.utf8.count == 43 else { return nil }
        do {
            let joined = try await members.suppressions.confirmJoin(tokenHash: Self.hash(token), now: clock())
            if let joined { members.add(joined) }
            return joined
        } catch {
            throw .state(path: members.suppressions.location, cause: error)
        }
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The domain of the list's address (`mail.from`'s), for Message-IDs.
    static func domain(_ coalition: Coalition) -> String {
        guard let from = coalition.mail?.from, let address = try? MailAddress(parsing: from) else {
            return "localhost"
        }
        return address.domain
    }
}

extension Data {
    /// Base64 for URLs, without padding (RFC 4648 section 5).
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
