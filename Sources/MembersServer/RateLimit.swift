import HTTPTypes
import Hummingbird
import NIOCore

/// At most the configured requests a second from one client (429 with
/// `Retry-After` beyond), the client found through the trusted proxies.
struct RateLimit: RouterMiddleware {
    typealias Context = MembersContext

    let limiter: RateLimiter
    let proxies: TrustedProxies
    let tooMany: Response
    let clock: @Sendable () -> Double

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Providers' webhooks come in bursts from a few addresses, and each
        // is verified before it costs anything: not limited per client.
        if request.uri.path.hasPrefix("/webhooks/") { return try await next(request, context) }
        let peer = context.remoteAddress?.ipAddress.flatMap { TrustedProxies.address($0) }
        let forwarded = Self.forwardedFor.map { request.headers[values: $0] } ?? []
        let client = proxies.client(peer: peer, forwardedFor: forwarded)
        guard limiter.admit(TrustedProxies.limitKey(client), now: clock()) else { return tooMany }
        return try await next(request, context)
    }
}
