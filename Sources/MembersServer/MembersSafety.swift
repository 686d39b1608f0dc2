import HTTPTypes
import Hummingbird

/// GET, HEAD and POST only; the one 404 page for every unknown path;
/// security headers on every response: no script, no frames, styles only
/// inline, forms only to this server, no referrer (the token is in the
/// address), nothing cached or indexed.
struct MembersSafety: RouterMiddleware {
    typealias Context = MembersContext

    let notFound: Response

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")
    static let robots = HTTPField.Name("X-Robots-Tag")
    static let policy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        if request.method != .get && request.method != .head && request.method != .post {
            response = Response(
                status: .methodNotAllowed,
                headers: [.allow: "GET, HEAD, POST", .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: .init(string: "Method not allowed.\n")))
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPResponseError where error.status == .notFound {
                response = notFound
            } catch let error as HTTPResponseError where error.status == .methodNotAllowed {
                response = Response(
                    status: .methodNotAllowed, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: .init(string: "Method not allowed.\n")))
            } catch {
                response = Response(
                    status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: .init(string: "Something went wrong.\n")))
            }
        }
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        if let name = Self.referrerPolicy { response.headers[name] = "no-referrer" }
        if let name = Self.robots { response.headers[name] = "noindex, nofollow" }
        return response
    }
}
