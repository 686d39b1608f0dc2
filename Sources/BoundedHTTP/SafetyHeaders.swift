import HTTPTypes
import Hummingbird

/// The one safety middleware of both servers (the staff preview and
/// `digest serve`): only the methods a server answers; its own page for an
/// unknown path, a method it does not take and a failure (never a stack
/// trace); and the security headers on every response: a content security
/// policy, `nosniff`, no referrer, and what else the server adds (no
/// caching, no indexing).
public struct SafetyHeaders<Context: RequestContext>: RouterMiddleware {
    /// What a server answers, and how.
    public struct Rules: Sendable {
        /// The methods answered; any other gets 405 with `Allow`.
        public var methods: [HTTPRequest.Method]
        /// The `Content-Security-Policy` of every response.
        public var contentSecurityPolicy: String
        /// True when a response that sets its own policy keeps it (the
        /// preview's frames of a newsletter); false when every response
        /// gets ``contentSecurityPolicy``.
        public var responseMayNarrowPolicy: Bool
        /// Further headers on every response (`Cache-Control: no-store`,
        /// `X-Robots-Tag`).
        public var extraHeaders: HTTPFields
        /// The answer to an unknown path.
        public var notFound: @Sendable () -> Response
        /// The answer to anything that failed without a response of its own.
        public var failed: @Sendable () -> Response

        /// Rules.
        public init(
            methods: [HTTPRequest.Method], contentSecurityPolicy: String, responseMayNarrowPolicy: Bool = false,
            extraHeaders: HTTPFields = [:], notFound: @escaping @Sendable () -> Response,
            failed: @escaping @Sendable () -> Response = {
                SafetyHeaders.text("Something went wrong.\n", .internalServerError)
            }
        ) {
            self.methods = methods
            self.contentSecurityPolicy = contentSecurityPolicy
            self.responseMayNarrowPolicy = responseMayNarrowPolicy
            self.extraHeaders = extraHeaders
            self.notFound = notFound
            self.failed = failed
        }
    }

    static var referrerPolicy: HTTPField.Name? { HTTPField.Name("Referrer-Policy") }

    /// The rules this middleware applies.
    public let rules: Rules

    /// A middleware applying `rules`.
    public init(_ rules: Rules) {
        self.rules = rules
    }

    /// A plain-text response.
    public static func text(_ text: String, _ status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Answers `request` within the rules.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        if !rules.methods.contains(request.method) {
            response = Self.notAllowed(rules.methods)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPResponseError where error.status == .notFound {
                response = rules.notFound()
            } catch let error as HTTPResponseError where error.status == .methodNotAllowed {
                response = Self.notAllowed(rules.methods)
            } catch {
                response = rules.failed()
            }
        }
        if !rules.responseMayNarrowPolicy || response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = rules.contentSecurityPolicy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        if let name = Self.referrerPolicy { response.headers[name] = "no-referrer" }
        for field in rules.extraHeaders { response.headers[field.name] = field.value }
        return response
    }

    static func notAllowed(_ methods: [HTTPRequest.Method]) -> Response {
        var response = text("Method not allowed.\n", .methodNotAllowed)
        response.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
        return response
    }
}
