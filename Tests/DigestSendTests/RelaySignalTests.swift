import Testing

@testable import DigestSend

@Suite("What a relay's refusal says about the pace")
struct RelaySignalTests {
    @Test(
        "too many connections: Postfix, Microsoft 365, other relays, also quoted after the step it answered",
        arguments: [
            "421 4.7.0 mail.example.org Error: too many connections from 192.0.2.7",
            "the relay answered the greeting with 421 4.7.0 relay.test Error: too many connections from 127.0.0.1",
            "421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel",
            "421 Too many concurrent SMTP connections from this IP address; please try again later.",
            "452 4.3.2 Connection limit reached",
            "421 4.4.5 Service unavailable, concurrency limit reached",
        ])
    func connections(reply: String) {
        #expect(RelaySignal(reply: reply) == .connectionLimit)
    }

    @Test(
        "going too fast: Amazon SES, Postfix's anvil, Gmail, rate limits in other words",
        arguments: [
            "454 Throttling failure: Maximum sending rate exceeded.",
            "454 4.7.0 Throttling failure: Maximum sending rate exceeded.",
            "421 4.7.0 mail.example.org Error: too many messages from 192.0.2.7",
            "450 4.7.1 Error: too much mail from 192.0.2.7",
            "421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.",
            "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.",
            "451 4.7.1 Rate limited, try again later",
            "421 4.7.0 Ratelimit exceeded for account",
        ])
    func rate(reply: String) {
        #expect(RelaySignal(reply: reply) == .rateLimit)
    }

    @Test(
        "not about pace: a full queue, a session's limit of messages, a refusal for good, words that hold \"rate\"",
        arguments: [
            "421 4.3.2 Service shutting down, try again later",
            "451 4.3.0 Temporary local problem, try again later",
            "421 4.7.0 Too many messages on one connection, closing",
            "550 5.7.1 Rate limit exceeded: message refused for good",
            "554 5.7.1 Too many connections",
            "451 4.3.0 Message could not be separated from its generated copy",
            "the relay reset the connection",
            "cannot connect to the relay: localhost port 2525: connection refused",
        ])
    func none(reply: String) {
        #expect(RelaySignal(reply: reply) == .none)
    }
}
