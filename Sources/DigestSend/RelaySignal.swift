import Foundation

/// What a relay's refusal says about the sender's pace, read from its text.
///
/// Relays say "go slower" in words, not codes: a `421` or `4xx` whose text
/// names a limit of connections or a rate. The words are those the common
/// relays use:
/// - Postfix's anvil: `421 4.7.0 … Error: too many connections from …`,
///   `421 4.7.0 … Error: too many messages from …`, `450 4.7.1 … too much
///   mail from …`;
/// - Amazon SES: `454 Throttling failure: Maximum sending rate exceeded`;
/// - Microsoft 365: `421 4.3.2 The maximum number of concurrent server
///   connections has exceeded a limit`;
/// - Gmail: `421 4.7.28 … unusual rate of unsolicited mail`, `450 4.2.1 …
///   receiving mail at a rate that prevents additional messages`;
/// - many relays: `421 Too many concurrent SMTP connections`, `421 4.4.5
///   Service unavailable, concurrency limit reached`.
///
/// A limit of messages a connection (`Too many messages on one
/// connection`) is neither: the transport opens a new connection for it.
public enum RelaySignal: Sendable, Equatable {
    /// Too many sessions at once: fewer sessions.
    case connectionLimit
    /// Messages too fast: a lower rate.
    case rateLimit
    /// Nothing about pace.
    case none

    /// What `reply` (a 4xx or 421 reply, or a failure's description that
    /// quotes one) says about the pace.
    public init(reply: String) {
        let text = reply.lowercased()
        guard Self.isTemporary(text) else {
            self = .none
            return
        }
        func has(_ words: String...) -> Bool { words.contains { text.contains($0) } }
        if has(
            "messages on one connection", "messages per connection", "messages on this connection",
            "messages per session", "messages in this session", "messages on one session")
        {
            self = .none
        } else if has(
            "too many connections", "too many concurrent", "too many simultaneous", "too many sessions",
            "too many smtp sessions", "concurrent connections", "concurrent server connections",
            "simultaneous connections", "connection limit", "concurrency limit", "connection count",
            "maximum smtp connections", "maximum number of connections", "max connections")
        {
            self = .connectionLimit
        } else if text.contains(/\brate(d|s|-?limit\w*)?\b|ratelimit/)
            || has(
                "throttl", "too many messages", "too much mail", "too many emails", "too many mails",
                "too fast", "slow down", "sending quota", "quota exceeded", "too many recipients this hour")
        {
            self = .rateLimit
        } else {
            self = .none
        }
    }

    /// True when the text holds a reply that asks to wait (a 4xx code),
    /// not a refusal for good: a 5xx about a rate is no signal to slow
    /// down but a refusal, recorded as such.
    private static func isTemporary(_ text: String) -> Bool {
        // The reply's code is where it starts, or after the step it answered
        // ("the relay answered the greeting with 421 4.7.0 …"): three digits
        // starting with 4, standing alone.
        text.contains(/(^|[ (])4\d\d([ -]|$)/)
    }
}
