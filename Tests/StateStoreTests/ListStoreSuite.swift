import DigestSend
import Foundation
import ListState
import MIME
import PostgresState
import Testing

/// What every ``ListStore`` must do, run on SQLite and on a real
/// PostgreSQL alike: nothing above the store may tell them apart.
@Suite("Every list store")
struct ListStoreSuite {
    @Test(
        "an address is suppressed once, whatever its capitals; resubscribing lifts it", arguments: StoreKind.available)
    func suppressAndResubscribe(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let list = try backing.store()
        let before = try await list.changeMark()
        #expect(try await list.suppress("Amina@Example.org", reason: .unsubscribed, source: .oneClick, now: 1))
        #expect(try await !list.suppress("amina@example.org", reason: .staff, source: .command, now: 2))
        #expect(try await list.suppression(of: "AMINA@example.ORG")?.reason == .unsubscribed)
        #expect(try await list.mailboxes() == ["amina@example.org"])
        #expect(try await list.counts() == [.unsubscribed: 1])
        #expect(try await list.changeMark() != before)
        let lifted = try await list.resubscribe("amina@example.org", source: .page, now: 3)
        #expect(lifted?.source == .oneClick)
        #expect(lifted?.created == 1)
        #expect(try await list.mailboxes().isEmpty)
        #expect(try await list.resubscribe("amina@example.org", source: .page, now: 4) == nil)
        #expect(try await list.suppressions().isEmpty)
    }

    @Test("a change made through one connection is seen by another at once", arguments: StoreKind.available)
    func seenByAnother(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let server = try backing.store()
        let sender = try backing.store()
        let mark = try await sender.changeMark()
        try await server.suppress("jo@example.org", reason: .unsubscribed, source: .oneClick, now: 5)
        #expect(try await sender.changeMark() != mark)
        #expect(try await sender.suppression(of: "jo@example.org")?.source == .oneClick)
    }

    @Test("lists are kept apart; a hard bounce reaches every list", arguments: StoreKind.available)
    func listsApart(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let a = try backing.store(StoreKind.listA)
        let b = try backing.store(StoreKind.listB)
        try await a.suppress("amina@example.org", reason: .unsubscribed, source: .page, now: 1)
        #expect(try await b.suppression(of: "amina@example.org") == nil)
        try await a.setLanguage("fr", of: "amina@example.org", now: 1)
        #expect(try await b.language(of: "amina@example.org") == nil)
        #expect(try await a.languages() == ["amina@example.org": "fr"])
        let outcome = try await b.recordBounce(
            Bounce(address: "gone@example.org", month: "2019-03", kind: .hard, status: "5.1.1", report: "r1"),
            source: .deliveryReport, limits: Bounce.Limits(), sends: ["2019-03"], now: 2)
        #expect(outcome == .init(counted: true, suppressed: .hardBounce))
        #expect(try await a.suppression(of: "gone@example.org")?.list == ListID.everyList)
        #expect(try await b.bounceCounts() == [.hard: 1])
        #expect(try await a.bounceCounts() == [:])
        let ids = try await a.lists().map(\.id)
        #expect(ids.contains(StoreKind.listA.value) && ids.contains(StoreKind.listB.value))
        // A resubscription on A lifts the every-list suppression too: the
        // member's own word.
        #expect(try await a.resubscribe("gone@example.org", source: .page, now: 3) != nil)
        #expect(try await b.suppression(of: "gone@example.org") == nil)
    }

    @Test("suppressing answers with the member's chosen language", arguments: StoreKind.available)
    func suppressLanguage(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let list = try backing.store()
        try await list.setLanguage("es", of: "ana@example.org", now: 1)
        try await list.setLanguage("fr", of: "ana@example.org", now: 2)
        let applied = try await list.suppress(
            [.init(address: "Ana@example.org", reason: .unsubscribed, source: .oneClick)], now: 3)
        #expect(applied.map(\.language) == ["fr"])
        #expect(applied.map(\.isNew) == [true])
    }

    @Test(
        "one hard bounce suppresses; soft bounces in 3 of the last 5 sends; a report counts once",
        arguments: StoreKind.available)
    func bounces(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let list = try backing.store()
        let limits = Bounce.Limits()
        let sends = ["2019-06", "2019-05", "2019-04", "2019-03", "2019-02"]
        func bounce(_ address: String, _ month: String, _ kind: Bounce.Kind, _ report: String) async throws
            -> Bounce.Outcome
        {
            try await list.recordBounce(
                Bounce(
                    address: address, month: month, kind: kind, status: kind == .hard ? "5.1.1" : "4.2.2",
                    report: report),
                source: .deliveryReport, limits: limits, sends: sends, now: 1)
        }
        #expect(
            try await bounce("gone@example.org", "2019-06", .hard, "r1")
                == .init(counted: true, suppressed: .hardBounce))
        #expect(try await bounce("gone@example.org", "2019-06", .hard, "r1") == .init(counted: false, suppressed: nil))
        #expect(try await bounce("full@example.org", "2019-02", .soft, "s1").suppressed == nil)
        #expect(try await bounce("full@example.org", "2019-04", .soft, "s2").suppressed == nil)
        #expect(try await bounce("full@example.org", "2019-04", .soft, "s3").suppressed == nil)
        #expect(try await bounce("full@example.org", "2019-06", .soft, "s4").suppressed == .softBounces)
        for (index, month) in ["2018-01", "2018-02", "2018-03"].enumerated() {
            #expect(try await bounce("old@example.org", month, .soft, "o\(index)").suppressed == nil)
        }
        #expect(try await list.counts() == [.hardBounce: 1, .softBounces: 1])
        #expect(try await list.bounceCounts() == [.hard: 1, .soft: 7])
    }

    @Test(
        "twenty requests for one address at once make one suppression, one of them new",
        arguments: StoreKind.available)
    func concurrentSuppress(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let stores = try (0..<4).map { _ in try backing.store() }
        let news = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await stores[index % 4].suppress(
                        "same@example.org", reason: .unsubscribed, source: .oneClick, now: Double(index))
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(news == 1)
        #expect(try await stores[0].suppressions().count == 1)
    }
}

/// Members who join themselves, on every store.
@Suite("Every list store: joins")
struct JoinSuite {
    static func pending(_ hash: String, _ address: String, at time: Double) -> Join.Pending {
        Join.Pending(
            tokenHash: hash, address: address, name: "Amina", country: "Kenya", language: "fr", pageLanguage: "en",
            messageID: "<join-\(hash)@lists.example.org>", created: time, expires: time + 7 * 86_400)
    }

    @Test("a request is confirmed once, within its week; its consent is kept", arguments: StoreKind.available)
    func confirm(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let list = try backing.store()
        #expect(try await list.requestJoin(Self.pending("h1", "Amina@Example.org", at: 1_000), unlessRequestedSince: 0))
        #expect(try await list.pendingJoin(tokenHash: "h1", now: 2_000)?.name == "Amina")
        #expect(try await list.pendingJoin(tokenHash: "h2", now: 2_000) == nil)
        #expect(try await list.joined().isEmpty)
        let joined = try await list.confirmJoin(tokenHash: "h1", now: 3_000)
        #expect(joined?.mailbox == "amina@example.org")
        #expect(joined?.confirmed == 3_000 && joined?.pageLanguage == "en")
        #expect(joined?.messageID == "<join-h1@lists.example.org>")
        #expect(try await list.confirmJoin(tokenHash: "h1", now: 3_001) == nil)  // spent
        #expect(try await list.joined().map(\.address) == ["Amina@Example.org"])
        // Another list has none of it.
        #expect(try await backing.store(StoreKind.listB).joined().isEmpty)
        // A week later the link no longer works.
        #expect(try await list.requestJoin(Self.pending("h3", "jo@example.org", at: 5_000), unlessRequestedSince: 0))
        #expect(try await list.confirmJoin(tokenHash: "h3", now: 5_000 + 7 * 86_400 + 1) == nil)
    }

    @Test(
        "one request an address an hour; confirming lifts a suppression, the member's own act",
        arguments: StoreKind.available)
    func limitsAndSuppression(kind: StoreKind) async throws {
        let backing = try await kind.backing()
        defer { backing.remove() }
        let list = try backing.store()
        #expect(try await list.requestJoin(Self.pending("a", "ana@example.org", at: 10_000), unlessRequestedSince: 0))
        #expect(
            try await !list.requestJoin(
                Self.pending("b", "ANA@example.org", at: 10_600), unlessRequestedSince: 10_600 - 3_600))
        #expect(try await list.pendingJoin(tokenHash: "b", now: 10_700) == nil)
        #expect(
            try await list.requestJoin(
                Self.pending("c", "ana@example.org", at: 13_700), unlessRequestedSince: 13_700 - 3_600))
        try await list.suppress("ana@example.org", reason: .unsubscribed, source: .oneClick, now: 14_000)
        #expect(try await list.confirmJoin(tokenHash: "c", now: 14_100) != nil)
        #expect(try await list.suppression(of: "ana@example.org") == nil)
        // A request withdrawn (its message not sent) does not hold the hour.
        #expect(try await list.requestJoin(Self.pending("w", "wu@example.org", at: 20_000), unlessRequestedSince: 0))
        try await list.withdrawJoin(tokenHash: "w")
        #expect(try await list.pendingJoin(tokenHash: "w", now: 20_001) == nil)
        #expect(
            try await list.requestJoin(
                Self.pending("w2", "wu@example.org", at: 20_010), unlessRequestedSince: 20_010 - 3_600))
        // Both requests of the address are spent by one confirmation.
        #expect(try await list.confirmJoin(tokenHash: "a", now: 14_200) == nil)
    }
}
