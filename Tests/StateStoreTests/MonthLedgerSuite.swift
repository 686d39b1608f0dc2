import DigestSend
import Foundation
import ListState
import MIME
import PostgresState
import Testing

/// What every ``MonthLedger`` must do, on SQLite and PostgreSQL alike.
@Suite("Every month ledger")
struct MonthLedgerSuite {
    @Test("rows keep their order and their state; marks, counts, entries and meta", arguments: StoreKind.available)
    func rows(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let ledger = try await backing.ledger()
        #expect(try await ledger.isEmpty())
        try await ledger.add(
            [("b", "b@example.org", 3, "id-b"), ("a", "a@example.org", 2, "id-a"), ("c", "c@example.org", 4, "id-c")],
            now: 1)
        try await ledger.markSent("a", reply: "250 ok", now: 2)
        // Added again: kept as it is.
        try await ledger.add([("a", "a@example.org", 2, "id-a"), ("d", "d@example.org", 5, "id-d")], now: 3)
        try await ledger.markPermanent("c", reply: "550 5.1.1 no such user", now: 4)
        try await ledger.markTemporary("d", reply: "451 later", nextTry: 99, now: 4)
        try await ledger.markUncertain("b", reply: "no reply to the end", now: 5)
        #expect(try await ledger.states().map(\.key) == ["b", "a", "c", "d"])
        #expect(
            try await ledger.states().map(\.state) == [.uncertain, .sent, .failedPermanent, .failedTemporary])
        #expect(try await ledger.counts() == [.uncertain: 1, .sent: 1, .failedPermanent: 1, .failedTemporary: 1])
        let refused = try await ledger.entries(in: [.failedPermanent, .failedTemporary])
        #expect(refused.map(\.key) == ["c", "d"])
        #expect(refused.map(\.line) == [4, 5])
        #expect(refused.last?.nextTry == 99)
        #expect(refused.first?.attempts == 1)
        #expect(refused.first?.messageID == "id-c")
        #expect(try await ledger.releaseUncertain(among: ["b"], now: 6) == 1)
        let released = try await ledger.entries(in: [.pending])
        #expect(released.map(\.key) == ["b"])
        #expect(released.first?.reply == "sent again on request after: no reply to the end")
        #expect(released.first?.attempts == 1)
        #expect(try await ledger.meta("transport") == nil)
        try await ledger.setMeta("transport", "smtp relay.example.org:587")
        try await ledger.setMeta("transport", "smtp relay.example.org:465")
        #expect(try await ledger.meta("transport") == "smtp relay.example.org:465")
        try await ledger.checkpoint()
        #expect(try await !ledger.isEmpty())
        await ledger.close()
    }

    @Test("each list and month has its own ledger", arguments: StoreKind.available)
    func apart(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let march = try await backing.ledger(month: "2019-03")
        let april = try await backing.ledger(month: "2019-04")
        let other = try await backing.ledger(StoreKind.listB, month: "2019-03")
        try await march.add([("a", "a@example.org", 2, "id-a")], now: 1)
        #expect(try await april.isEmpty())
        #expect(try await other.isEmpty())
        try await other.setMeta("transport", "x")
        #expect(try await march.meta("transport") == nil)
        for ledger in [march, april, other] { await ledger.close() }
    }
}
