import Testing

@testable import DigestApplication

@Suite("Webhooks: the month of a bounce no message names")
struct WebhookMonthTests {
    @Test("the UTC month of the time the event arrived")
    func month() {
        #expect(WebhookService.month(0) == "1970-01")
        #expect(WebhookService.month(1_798_761_540) == "2026-12")  // 31 December 2026, 23:59 UTC
        #expect(WebhookService.month(1_798_761_600) == "2027-01")  // a minute later
    }
}
