import Foundation
import ListState
import MIME
import PostgresState
import Testing

/// What providers' webhooks keep, on SQLite and PostgreSQL alike.
@Suite("Every list store: webhooks")
struct WebhookStateSuite {
    @Test(
        "a webhook token is taken once per list and provider, forgotten after an hour; new sources are allowed",
        arguments: StoreKind.available)
    func tokens(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let list = try backing.store()
        let other = try backing.store(StoreKind.listB)
        #expect(try await list.spendWebhookToken("t1", provider: "mailgun", now: 1_000))
        #expect(try await !list.spendWebhookToken("t1", provider: "mailgun", now: 1_001))
        #expect(try await list.spendWebhookToken("t1", provider: "other", now: 1_002))
        #expect(try await other.spendWebhookToken("t1", provider: "mailgun", now: 1_003))
        // An hour on, the old token is forgotten (its signed timestamp would be refused anyway).
        #expect(try await list.spendWebhookToken("t2", provider: "mailgun", now: 1_000 + 3_601))
        #expect(try await list.spendWebhookToken("t1", provider: "mailgun", now: 1_000 + 3_602))
        // Given back (its events could not be recorded), the same token is taken again.
        try await list.releaseWebhookToken("t1", provider: "mailgun")
        #expect(try await list.spendWebhookToken("t1", provider: "mailgun", now: 1_000 + 3_603))
        // The sources a complaint report and a webhook record.
        #expect(try await list.suppress("a@example.org", reason: .complaint, source: .feedbackReport, now: 5))
        #expect(try await list.suppress("b@example.org", reason: .complaint, source: .webhook, now: 6))
        let sources = try await list.suppressions().map(\.source)
        #expect(Set(sources) == [.feedbackReport, .webhook])
    }
}
