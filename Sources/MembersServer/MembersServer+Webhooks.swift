import DigestApplication
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension MembersServer {
    /// The largest webhook body taken: 1 MB (413 beyond).
    public static let webhookBodyLimit = 1024 * 1024

    /// `POST /webhooks/ses`, `/postmark`, `/sendgrid`, `/mailgun`: each
    /// answers the constant 404 unless a list configures that provider.
    /// A request is verified with each such list's settings in turn; the
    /// first whose settings verify it takes its events. Answers: 200 with
    /// counts, 400 malformed, 401 not verified, 403 a topic or host not
    /// allowed, 413 over 1 MB, 502 SNS could not be reached, 503 the state
    /// could not be written (the provider tries again). The log holds the
    /// provider, the status and counts, never an address.
    static func webhookRoutes(
        _ router: Router<MembersContext>, webhooks: [WebhookService], fixed: FixedPages,
        log: @escaping @Sendable (String) -> Void
    ) {
        router.post("/webhooks/:provider") { request, context -> Response in
            guard let name = context.parameters.get("provider"), let provider = WebhookProvider(rawValue: name)
            else { return fixed.notFound }
            let lists = webhooks.filter { $0.configures(provider) }
            guard !lists.isEmpty else { return fixed.notFound }
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > webhookBodyLimit {
                return Self.webhookAnswer(413, "the body is over 1 MB")
            }
            let body: [UInt8]
            do {
                body = Array(buffer: try await request.body.collect(upTo: webhookBodyLimit))
            } catch {
                return Self.webhookAnswer(413, "the body is over 1 MB")
            }
            let headers = request.headers
            let header: @Sendable (String) -> String? = { name in
                HTTPField.Name(name).flatMap { headers[$0] }
            }
            var refusal: WebhookRefusal?
            for list in lists {
                let verified: WebhookService.Verified
                do throws(WebhookRefusal) {
                    verified = try await list.verify(provider, header: header, body: body)
                } catch {
                    // Another list's settings may verify it (401, 403); the
                    // first refusal is the answer. A malformed body or an
                    // unreachable SNS is the same for every list.
                    if refusal == nil { refusal = error }
                    if ![401, 403].contains(error.status) { break }
                    continue
                }
                guard verified.events != nil else {
                    log("webhooks/\(name): subscription confirmed")
                    return Self.webhookAnswer(200, "subscription confirmed")
                }
                do {
                    let outcome = try await list.apply(verified)
                    log("webhooks/\(name): \(outcome.summary)")
                    return Self.webhookAnswer(200, outcome.summary)
                } catch {
                    log("error: webhooks/\(name): \(error)")
                    var answer = Self.webhookAnswer(503, "the state cannot be written now; try again")
                    answer.headers[.retryAfter] = "60"
                    return answer
                }
            }
            let refused = refusal ?? WebhookRefusal(401, "not verified")
            log("webhooks/\(name): refused \(refused)")
            return Self.webhookAnswer(refused.status, refused.reason)
        }
    }

    /// A webhook's answer: the status, and a line of text.
    static func webhookAnswer(_ status: Int, _ text: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
