/// Why a webhook request is refused, with the HTTP status it gets. The
/// reason is for the server's log and the response body: it never holds
/// an address.
public struct WebhookRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status: 400 malformed, 401 a bad signature or credentials
    /// (a stale timestamp, a replayed token), 403 a topic or host not
    /// allowed, 502 a certificate or confirmation that could not be fetched.
    public var status: Int
    /// Why.
    public var reason: String

    /// A refusal.
    public init(_ status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    /// 400.
    public static func malformed(_ reason: String) -> WebhookRefusal { WebhookRefusal(400, reason) }
    /// 401.
    public static func unauthorized(_ reason: String) -> WebhookRefusal { WebhookRefusal(401, reason) }
    /// 403.
    public static func forbidden(_ reason: String) -> WebhookRefusal { WebhookRefusal(403, reason) }

    /// `401: the signature does not verify`.
    public var description: String { "\(status): \(reason)" }
}
