import CoalitionData
import DigestMailing
import Foundation
import Testing

@testable import DigestSend

/// A relay in memory that a run's sessions share: it counts the sessions
/// open at once, greets one beyond `limit` with a 421 for too many
/// connections, and records what each member got.
final class MemoryRelay: @unchecked Sendable {
    private let lock = NSLock()
    let limit: Int?
    private var open = 0
    private(set) var peak = 0
    /// The most open at once after the first refusal, the refused ones counted.
    private(set) var peakAfterRefusal = 0
    private(set) var refusals = 0
    private var delivered: [String: Int] = [:]
    private var carried: [Int] = []

    init(limit: Int? = nil) { self.limit = limit }

    /// Opens a session: false when refused.
    func connect() -> Bool {
        lock.withLock {
            if refusals > 0 { peakAfterRefusal = max(peakAfterRefusal, open + 1) }
            if let limit, open >= limit {
                refusals += 1
                return false
            }
            open += 1
            peak = max(peak, open)
            return true
        }
    }

    func deliver(_ recipient: String) { lock.withLock { delivered[recipient, default: 0] += 1 } }

    func disconnect(carried count: Int) {
        lock.withLock {
            open -= 1
            carried.append(count)
        }
    }

    var copies: [String: Int] { lock.withLock { delivered } }
    var sessions: [Int] { lock.withLock { carried } }
}

/// One session with a ``MemoryRelay``: connects on its first message,
/// carries `perConnection` messages at most, takes a millisecond a message.
actor SessionTransport: MessageTransport {
    nonisolated let identity = "test:SessionTransport"
    let relay: MemoryRelay
    let perConnection: Int?
    private var connected = false
    private var carried = 0

    init(relay: MemoryRelay, perConnection: Int? = nil) {
        self.relay = relay
        self.perConnection = perConnection
    }

    var isOpen: Bool { connected }

    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult {
        if !connected {
            guard relay.connect() else {
                return .unreachable(
                    "the relay answered the greeting with 421 4.7.0 relay.test Error: too many connections from 127.0.0.1"
                )
            }
            connected = true
            carried = 0
        }
        try? await Task.sleep(nanoseconds: 1_000_000)
        relay.deliver(recipient)
        carried += 1
        if let perConnection, carried >= perConnection { close() }
        return .accepted("250 2.0.0 Ok")
    }

    func close() {
        guard connected else { return }
        connected = false
        relay.disconnect(carried: carried)
    }
}

/// Answers SES's throttling refusal until the clock passes `until`, then
/// takes every message.
actor ThrottlingTransport: MessageTransport {
    nonisolated let identity = "test:ThrottlingTransport"
    let clock: FakeClock
    let until: Double
    private(set) var delivered: [String: Int] = [:]
    private(set) var refusals = 0

    init(clock: FakeClock, until: Double) {
        self.clock = clock
        self.until = until
    }

    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult {
        clock.advance(0.01)
        if clock.read() < until {
            refusals += 1
            return .deferred("454 Throttling failure: Maximum sending rate exceeded.")
        }
        delivered[recipient, default: 0] += 1
        return .accepted("250 Ok")
    }

    func close() async {}
}

@Suite("A send over several sessions at once")
final class SendSessionsTests {
    let personal: PersonalDigest
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }  // best effort: the test's own folder

    init() throws {
        personal = try SendRunTests().personal
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("sessions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    // Enough that the eighth session opens long before the last member,
    // however busy the machine (they open one after another).
    let many = (0..<600).map { Member(email: "m\($0)@example.org", status: .subscribed, line: $0 + 2) }

    func run(
        _ relay: MemoryRelay, sessions: Int, perConnection: Int? = nil, limit: Int? = nil,
        ledger: SendLedger? = nil
    ) async throws -> (SendRun.Summary, SendLedger) {
        let ledger = try ledger ?? SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        let run = SendRun(
            personal: personal, members: many, ledger: ledger,
            transport: SessionTransport(relay: relay, perConnection: perConnection),
            newTransport: { SessionTransport(relay: relay, perConnection: perConnection) },
            retry: Coalition.Retry(attempts: 3, wait: 0.01), options: SendRun.Options(sessions: sessions, limit: limit))
        return (try await run.run(), ledger)
    }

    @Test("eight sessions: every member once, the sessions side by side, each closed at the end")
    func eight() async throws {
        let relay = MemoryRelay()
        let (summary, ledger) = try await run(relay, sessions: 8)
        #expect(relay.copies.count == 600 && Set(relay.copies.values) == [1])
        #expect(summary.sentNow == 600 && summary.sent == 600 && summary.pending == 0)
        #expect(try ledger.counts() == [.sent: 600])
        #expect(try ledger.all().allSatisfy { $0.attempts == 1 })
        // The sessions open one at a time and all of them carry messages.
        #expect(relay.peak == 8 && summary.sessions == 8)
        #expect(relay.sessions.count == 8 && relay.sessions.reduce(0, +) == 600)
        #expect(summary.slowdowns.isEmpty && summary.endedSlowed == nil)
    }

    @Test("a relay that takes three at once: never more than three after its first refusal, and every member once")
    func threeAtOnce() async throws {
        let relay = MemoryRelay(limit: 3)
        let (summary, ledger) = try await run(relay, sessions: 8)
        #expect(relay.refusals == 1 && relay.peakAfterRefusal <= 3)
        #expect(relay.copies.count == 600 && Set(relay.copies.values) == [1])
        #expect(try ledger.counts() == [.sent: 600])
        // The refused message was not charged an attempt.
        #expect(try ledger.all().allSatisfy { $0.attempts == 1 })
        #expect(summary.sessions == 3)
        #expect(summary.slowdowns.map(\.sessions) == [3])
        #expect(summary.slowdowns.first?.reply.contains("too many connections") == true)
    }

    @Test("throttled for two seconds: the rate goes down, comes back to per_second after good replies, nothing charged")
    func throttledThenBack() async throws {
        let clock = FakeClock()
        let transport = ThrottlingTransport(clock: clock, until: clock.read() + 2)
        let members = (0..<1_200).map { Member(email: "t\($0)@example.org", status: .subscribed, line: $0 + 2) }
        let ledger = try SendLedger(path: folder.appendingPathComponent("throttled.sqlite").path)
        let summary = try await SendRun(
            personal: personal, members: members, ledger: ledger, transport: transport,
            retry: Coalition.Retry(attempts: 3, wait: 10), options: SendRun.Options(rate: 10),
            clock: { clock.read() }, sleep: { clock.advance($0) }
        ).run()
        #expect(summary.sentNow == 1_200 && summary.stop == nil)
        let delivered = await transport.delivered
        #expect(delivered.count == 1_200 && Set(delivered.values) == [1])
        #expect(try ledger.all().allSatisfy { $0.attempts == 1 && $0.state == .sent })
        // Cut at most once a second while refused: 10 → 5 → 2.5; then a quarter up every 30 s, back to 10.
        #expect(summary.slowdowns.map(\.rate) == [5, 2.5])
        #expect(await transport.refusals < 30)
        #expect(summary.endedSlowed == nil)
    }

    @Test("no session carries more than per_connection; --limit counts attempts across the sessions")
    func perConnectionAndLimit() async throws {
        let relay = MemoryRelay()
        let (first, ledger) = try await run(relay, sessions: 4, perConnection: 25, limit: 130)
        #expect(first.sentNow == 130 && first.stop == .limit && first.pending == 470)
        let (rest, _) = try await run(relay, sessions: 4, perConnection: 25, ledger: ledger)
        #expect(rest.sentNow == 470 && rest.sent == 600)
        #expect(relay.copies.count == 600 && Set(relay.copies.values) == [1])
        #expect(relay.sessions.allSatisfy { $0 <= 25 } && relay.sessions.reduce(0, +) == 600)
    }
}
