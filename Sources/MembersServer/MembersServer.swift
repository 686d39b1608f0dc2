import BoundedHTTP
import DigestApplication
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `digest serve`: the members' side of the list, a small public web
/// server (behind Caddy or nginx for TLS) with two pages a member reaches
/// from their own digest.
///
/// - `GET /unsubscribe?m=TOKEN`: one question and one button. A GET
///   changes nothing: mail scanners follow links.
/// - `POST /unsubscribe?m=TOKEN`: the button, or RFC 8058's one-click
///   `List-Unsubscribe=One-Click` from a mail program. The suppression is
///   committed before the 200 reply; a repeat changes nothing.
/// - `GET`/`POST /preferences?m=TOKEN`: unsubscribe, resubscribe, language.
/// - `GET /robots.txt`: nothing here is for search engines.
///
/// Anything else, and a token that is nobody's (mistyped, cut short,
/// forged, of another list), gets one fixed 404 page. No page shows a
/// whole address; the log shows neither addresses nor whole tokens.
public enum MembersServer {
    /// On every page of a member's own: no script, no frames, styles only
    /// inline, forms only to this server, no referrer (the token is in the
    /// address), nothing cached or indexed.
    static var privateHeaders: HTTPFields {
        var fields: HTTPFields = [.cacheControl: "no-store"]
        if let robots = HTTPField.Name("X-Robots-Tag") { fields[robots] = "noindex, nofollow" }
        return fields
    }

    /// The largest request body taken (a form is a few dozen bytes).
    public static let bodyLimit = 8 * 1024

    /// How the server runs.
    public struct Settings: Sendable {
        /// The address to listen on: loopback unless told.
        public var host: String
        /// The port (0: any free one).
        public var port: Int
        /// Proxies whose `X-Forwarded-For` is believed.
        public var proxies: TrustedProxies
        /// Requests a second one client may make (0: no limit).
        public var rate: Double
        /// Requests one client may make at once.
        public var burst: Double
        /// Connection limits: open connections, idle and request time.
        public var limits: BoundedChannel.Limits
        /// Where each request's log line goes.
        public var log: @Sendable (String) -> Void
        /// The time in seconds, for the rate limit (tests stop it).
        public var clock: @Sendable () -> Double

        /// Settings; by default loopback port 8025, no proxy, 10 requests a
        /// second with bursts of 20, and 256 connections idle at most 10 s,
        /// 16 of them from one client address (a trusted proxy's are not
        /// counted by address).
        public init(
            host: String = "127.0.0.1", port: Int = 8025, proxies: TrustedProxies = TrustedProxies(),
            rate: Double = 10, burst: Double = 20,
            limits: BoundedChannel.Limits = BoundedChannel.Limits(
                connections: 256, idle: .seconds(10), request: .seconds(10), perClient: 16),
            connectionsPerClient: Int? = nil,
            log: @escaping @Sendable (String) -> Void = { _ in },
            clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate }
        ) {
            self.host = host
            self.port = port
            self.proxies = proxies
            self.rate = rate
            self.burst = burst
            var limits = limits
            if let connectionsPerClient { limits.perClient = connectionsPerClient }
            // A trusted proxy speaks for many clients: its connections count
            // toward the server's limit, not one address's.
            limits.sharedBy = { address in proxies.networks.contains { $0.contains(address) } }
            self.limits = limits
            self.log = log
            self.clock = clock
        }
    }

    /// Builds the application.
    ///
    /// - Parameter onListening: called once the port is bound, with its number.
    public static func application(
        services: [MemberService], settings: Settings, onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws(ProjectError) -> some ApplicationProtocol {
        Application(
            router: try router(services: services, settings: settings),
            server: BoundedChannel.builder(limits: settings.limits),
            configuration: .init(
                address: .hostname(settings.host, port: settings.port), serverName: "coalition-digest"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? settings.port) },
            logger: quietLogger)
    }

    /// Hummingbird's own log: warnings and worse (the access log is ours).
    static var quietLogger: Logger {
        var logger = Logger(label: "coalition-digest")
        logger.logLevel = .warning
        return logger
    }

    /// The routes of one list.
    ///
    /// - Throws: ``ProjectError/template(_:)`` when `serve/page.html` cannot be rendered.
    public static func router(service: MemberService, settings: Settings) throws(ProjectError) -> Router<MembersContext>
    {
        try router(services: [service], settings: settings)
    }

    /// The routes of every list `services` hold, each list's pages in its
    /// own style and languages. A token is answered by the list whose
    /// member it is (a token is an HMAC of its list: list A's can never
    /// change list B); one that is nobody's gets the first list's 404, the
    /// same bytes whatever the token.
    ///
    /// - Throws: ``ProjectError/template(_:)`` when a list's `serve/page.html` cannot be rendered.
    public static func router(services: [MemberService], settings: Settings) throws(ProjectError)
        -> Router<MembersContext>
    {
        var made: [Listed] = []
        for service in services {
            let pages = MembersPages(service: service)
            let fixed = try FixedPages(pages)
            made.append(
                Listed(
                    service: service, pages: pages, answer: Answer(pages: pages, fixed: fixed, log: settings.log),
                    joins: service.joins()))
        }
        let lists = made
        guard let first = lists.first else { throw .nothingToDo("no list to serve") }
        let fixed = first.answer.fixed
        /// The list of `token`, else the first (whose answer is then the 404).
        let owner: @Sendable (String) -> Listed = { token in lists.first { $0.service.knows(token) } ?? first }
        let router = Router(context: MembersContext.self, options: .autoGenerateHeadEndpoints)
        router.middlewares.add(AccessLog(log: settings.log))
        router.middlewares.add(
            SafetyHeaders<MembersContext>(
                .init(
                    methods: [.get, .head, .post],
                    contentSecurityPolicy:
                        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                    extraHeaders: Self.privateHeaders, notFound: { fixed.notFound })))
        router.middlewares.add(
            RateLimit(
                limiter: RateLimiter(rate: settings.rate, burst: settings.burst), proxies: settings.proxies,
                tooMany: fixed.tooMany, clock: settings.clock))

        router.get("/unsubscribe") { request, _ -> Response in
            let list = owner(token(request))
            return await list.answer.run(request) { () async throws(ProjectError) in
                guard let found = try await list.service.lookup(token(request)) else { return nil }
                return list.pages.unsubscribe(found)
            }
        }
        router.post("/unsubscribe") { request, context -> Response in
            let body: ByteBuffer
            switch await Self.body(request, context) {
            case .success(let read): body = read
            case .failure: return fixed.tooLarge
            }
            let list = owner(token(request))
            return await list.answer.run(request) { () async throws(ProjectError) in
                guard let found = try await list.service.unsubscribe(token(request), oneClick: isOneClick(body))
                else {
                    return nil
                }
                return list.pages.unsubscribed(found)
            }
        }
        router.get("/preferences") { request, _ -> Response in
            let list = owner(token(request))
            return await list.answer.run(request) { () async throws(ProjectError) in
                guard let found = try await list.service.lookup(token(request)) else { return nil }
                return list.pages.preferences(found, notice: nil)
            }
        }
        router.post("/preferences") { request, context -> Response in
            let form: PreferencesForm
            switch await Self.body(request, context) {
            case .success(let body): form = PreferencesForm(body)
            case .failure: return fixed.tooLarge
            }
            let token = token(request)
            let list = owner(token)
            let service = list.service
            let pages = list.pages
            return await list.answer.run(request) { () async throws(ProjectError) in
                switch form.action {
                case "unsubscribe":
                    guard let found = try await service.unsubscribe(token, oneClick: false) else { return nil }
                    return pages.preferences(found, done: .unsubscribed)
                case "resubscribe":
                    guard let found = try await service.resubscribe(token) else { return nil }
                    return pages.preferences(found, done: .resubscribed)
                case "language":
                    guard let language = form.language, let found = try await service.setLanguage(token, to: language)
                    else { return nil }
                    return pages.preferences(found, done: .languageSaved)
                default:
                    return nil
                }
            }
        }
        Self.joinRoutes(router, lists: lists, fixed: fixed)
        var webhooks: [WebhookService] = []
        for list in lists { webhooks.append(try WebhookService(members: list.service)) }
        Self.webhookRoutes(router, webhooks: webhooks, fixed: fixed, log: settings.log)
        router.get("/robots.txt") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "User-agent: *\nDisallow: /\n")))
        }
        return router
    }

    /// The `m` parameter, or nothing.
    static func token(_ request: Request) -> String {
        request.uri.queryParameters.get("m") ?? ""
    }

    /// Whether a POST body is RFC 8058's `List-Unsubscribe=One-Click`
    /// (form-encoded or multipart), as mail programs send it.
    static func isOneClick(_ body: ByteBuffer) -> Bool {
        let text = String(buffer: body)
        return text.contains("List-Unsubscribe=One-Click")
            || (text.contains("name=\"List-Unsubscribe\"") && text.contains("One-Click"))
    }

    /// A body too large for a form.
    struct TooLarge: Error {}

    /// The request's body, at most ``bodyLimit`` bytes; a declared length
    /// over it is refused before a byte is read.
    static func body(_ request: Request, _ context: MembersContext) async -> Result<ByteBuffer, TooLarge> {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > bodyLimit {
            return .failure(TooLarge())
        }
        do {
            return .success(try await request.body.collect(upTo: context.maxUploadSize))
        } catch {
            return .failure(TooLarge())
        }
    }
}

/// The `POST /preferences` form: `action` and, for a language, `language`.
struct PreferencesForm: Decodable {
    var action: String?
    var language: String?

    init(_ body: ByteBuffer) {
        // A body that is not a form asks for nothing: answered as for no action.
        let decoded = try? URLEncodedFormDecoder().decode(PreferencesForm.self, from: String(buffer: body))
        action = decoded?.action
        language = decoded?.language
    }
}

/// The pages that never change: made once at start, the same bytes every
/// time (the 404 above all: it must tell nothing about the token).
struct FixedPages: Sendable {
    /// In the coalition's language.
    let notFound: Response
    /// In each of its languages, for a visitor's `Accept-Language`.
    let notFoundIn: [String: Response]
    let languages: [String]
    let tooMany: Response
    let tooLarge: Response
    let unavailable: Response

    init(_ pages: MembersPages) throws(ProjectError) {
        notFound = Self.response(try pages.html(pages.notFound()), status: .notFound)
        languages = pages.service.languages
        var byLanguage: [String: Response] = [:]
        for language in languages {
            byLanguage[language] = Self.response(try pages.html(pages.notFound(language: language)), status: .notFound)
        }
        notFoundIn = byLanguage
        var tooMany = Self.response(try pages.html(pages.message("serve.too_many.body")), status: .tooManyRequests)
        tooMany.headers[.retryAfter] = "1"
        self.tooMany = tooMany
        var tooLarge = Self.response(try pages.html(pages.message("serve.too_large.body")), status: .contentTooLarge)
        // The rest of a large body is not read: the connection ends.
        tooLarge.headers[.connection] = "close"
        self.tooLarge = tooLarge
        var unavailable = Self.response(
            try pages.html(pages.message("serve.unavailable.body")), status: .serviceUnavailable)
        unavailable.headers[.retryAfter] = "60"
        self.unavailable = unavailable
    }

    /// The not-found page in the language `request`'s `Accept-Language`
    /// asks for among the coalition's, else in the coalition's: the same
    /// bytes for every token.
    func notFound(for request: Request) -> Response {
        AcceptLanguage.choose(request.headers[.acceptLanguage], among: languages).flatMap { notFoundIn[$0] }
            ?? notFound
    }

    static func response(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// One list a server answers for: its members, pages and answers.
struct Listed: Sendable {
    let service: MemberService
    let pages: MembersPages
    let answer: Answer
    let joins: JoinService

    /// The list's identifier.
    var id: String { Project.listID(service.dataset.coalition)?.value ?? "" }
}

/// Turns a page, nobody, or a failure into the response.
struct Answer: Sendable {
    let pages: MembersPages
    let fixed: FixedPages
    let log: @Sendable (String) -> Void

    /// The page `body` makes for `request`; for nobody, the not-found page
    /// in the visitor's language.
    func run(_ request: Request, _ body: () async throws(ProjectError) -> MembersPage?) async -> Response {
        do {
            guard let page = try await body() else { return fixed.notFound(for: request) }
            return FixedPages.response(try pages.html(page), status: .ok)
        } catch {
            // The suppression list cannot be read or written: say so, and
            // never guess. The log says why (a path and SQLite's words,
            // never an address).
            log("error: \(error)")
            return fixed.unavailable
        }
    }
}
