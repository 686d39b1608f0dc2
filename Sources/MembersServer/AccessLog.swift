import Foundation
import Hummingbird

/// One line a request: time, method, path, status, the first four
/// characters of the token, and how long it took. Never an address (of a
/// member or a client) and never a whole token: the log is read by more
/// people than the suppression list is.
struct AccessLog: RouterMiddleware {
    typealias Context = MembersContext

    let log: @Sendable (String) -> Void

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        log(Self.line(request, status: response.status.code, milliseconds: milliseconds, at: Date()))
        return response
    }

    /// `2026-11-30T10:00:00Z POST /unsubscribe m=AbC3… 200 1.2 ms`.
    static func line(_ request: Request, status: Int, milliseconds: Double, at date: Date) -> String {
        let token =
            (request.uri.queryParameters.get("m").map { " m=" + Self.shown($0) } ?? "")
            + (request.uri.queryParameters.get("c").map { " c=" + Self.shown($0) } ?? "")
        let path = Self.shown(request.uri.path, limit: 64)
        let time = date.formatted(.iso8601)
        return "\(time) \(request.method) \(path)\(token) \(status) "
            + String(format: "%.1f ms", milliseconds)
    }

    /// The first characters of a value from the request, control
    /// characters and anything past `limit` left out.
    static func shown(_ value: Substring, limit: Int = 4) -> String {
        let kept = value.unicodeScalars.filter { $0.value >= 0x21 && $0.value < 0x7F }
        let cut = String(String.UnicodeScalarView(kept.prefix(limit)))
        return kept.count > limit ? cut + "…" : cut
    }

    static func shown(_ value: String, limit: Int = 4) -> String {
        shown(Substring(value), limit: limit)
    }
}
