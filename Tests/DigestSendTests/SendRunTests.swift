import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestTestSupport
import Foundation
import Testing

@testable import DigestSend

let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A transport that answers from a script: for each address, the results
/// of its attempts in order (the last one repeats); accepted otherwise.
actor ScriptedTransport: MessageTransport {
    nonisolated let identity = "test:ScriptedTransport"
    var script: [String: [TransportResult]]
    private(set) var sent: [String] = []
    private(set) var attempts: [String] = []

    init(_ script: [String: [TransportResult]] = [:]) { self.script = script }

    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult {
        attempts.append(recipient)
        var results = script[recipient] ?? []
        let result = results.first ?? .accepted("250 2.0.0 Ok")
        if results.count > 1 { results.removeFirst() }
        script[recipient] = results
        if case .accepted = result { sent.append(recipient) }
        return result
    }

    func close() async {}
}

/// A flag set once.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Accepts every message and sets its flag after `after` of them.
actor FlaggingTransport: MessageTransport {
    nonisolated let identity = "test:FlaggingTransport"
    nonisolated let flag = Flag()
    let after: Int
    private(set) var sent: [String] = []

    init(after: Int) { self.after = after }

    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult {
        sent.append(recipient)
        if sent.count == after { flag.set() }
        return .accepted("250 ok")
    }

    func close() async {}
}

/// Records the waits a run asks for.
final class WaitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    func add(_ seconds: Double) { lock.withLock { waits.append(seconds) } }
    var all: [Double] { lock.withLock { waits } }
}

/// Records progress reports with the time they came.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [(progress: SendRun.Progress, time: Double)] = []
    func add(_ progress: SendRun.Progress, at time: Double) { lock.withLock { reports.append((progress, time)) } }
    var all: [(progress: SendRun.Progress, time: Double)] { lock.withLock { reports } }
}

/// Accepts every message, a second of the clock each, and deletes the
/// ledger file after `after` messages.
actor DeletingTransport: MessageTransport {
    nonisolated let identity = "test:DeletingTransport"
    let path: String
    let after: Int
    let clock: FakeClock
    private(set) var count = 0

    init(path: String, after: Int, clock: FakeClock) {
        self.path = path
        self.after = after
        self.clock = clock
    }

    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult {
        count += 1
        clock.advance(1.5)
        if count == after { unlink(path) }
        return .accepted("250 ok")
    }

    func close() async {}
}

/// Accepts every message, checking first that its row is in the ledger as
/// `pending`, and counting the rows.
actor RowCheckingTransport: MessageTransport {
    nonisolated let identity = "test:RowCheckingTransport"
    let ledger: SendLedger
    private(set) var sent: [String] = []
    private(set) var missing: [String] = []
    private(set) var rowCounts: [Int] = []

    init(ledger: SendLedger) { self.ledger = ledger }

    func send(from sender: String, to recipient: String, data: [UInt8]) async throws(SendError) -> TransportResult {
        // counts() is one GROUP BY: cheap enough before each of 2,500 messages.
        let counts = (try? ledger.counts()) ?? [:]
        let total = counts.values.reduce(0, +)
        // Every row before this one is sent; this one must be there, pending.
        if counts[.pending, default: 0] == 0 || total <= sent.count { missing.append(recipient) }
        rowCounts.append(total)
        sent.append(recipient)
        return .accepted("250 ok")
    }

    func close() async {}
}

/// A clock the run's waits move forward, so retries happen without waiting.
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 1_000_000.0
    func read() -> Double { lock.withLock { now } }
    func advance(_ seconds: Double) { lock.withLock { now += max(seconds, 0) } }
}

@Suite("A send run and its ledger")
final class SendRunTests {
    let personal: PersonalDigest
    let members: [Member]
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }  // best effort: the test's own folder

    init() throws {
        let data = repository.appendingPathComponent("data").path
        let dataset = try #require(DataFolder.load(path: data).dataset)
        members = try #require(MemberList.load(path: data + "/members.csv").members)
        let renderer = DigestRenderer(
            templates: try TemplateSet(folder: repository.appendingPathComponent("templates").path), words: english)
        personal = try PersonalDigest(
            digest: Digest(dataset: dataset, period: try Period(parsing: "2019-03")), renderer: renderer,
            secret: UnsubscribeSecret(text: "a secret for the send tests"))
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("send-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func run(
        _ transport: ScriptedTransport, retry: Coalition.Retry = Coalition.Retry(attempts: 3, wait: 10),
        options: SendRun.Options = SendRun.Options(), ledger: SendLedger? = nil, waits: WaitLog? = nil
    ) async throws -> (SendRun.Summary, SendLedger) {
        let ledger = try ledger ?? SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        let clock = FakeClock()
        let run = SendRun(
            personal: personal, members: members, ledger: ledger, transport: transport, retry: retry,
            options: options, clock: { clock.read() },
            sleep: { seconds in
                waits?.add(seconds)
                clock.advance(seconds)
            })
        return (try await run.run(), ledger)
    }

    var subscribed: [Member] { members.filter(\.receivesDigest) }

    @Test(
        "2,500 members: rows added a chunk of 1,000 at a time, each before its message; a stopped run counts the rest")
    func chunks() async throws {
        let many = (0..<2_500).map { Member(email: "m\($0)@example.org", status: .subscribed, line: $0 + 2) }
        let path = folder.appendingPathComponent("chunks.sqlite").path
        let ledger = try SendLedger(path: path)
        let transport = RowCheckingTransport(ledger: ledger)
        let clock = FakeClock()
        func run(limit: Int?) async throws -> SendRun.Summary {
            try await SendRun(
                personal: personal, members: many, ledger: ledger, transport: transport,
                retry: Coalition.Retry(attempts: 3, wait: 10), options: SendRun.Options(limit: limit),
                clock: { clock.read() }, sleep: { clock.advance($0) }
            ).run()
        }
        let first = try await run(limit: 5)
        #expect(first.sentNow == 5 && first.pending == 2_495 && first.stop == .limit)
        #expect(try ledger.counts() == [.sent: 5, .pending: 995])
        let second = try await run(limit: nil)
        #expect(second.sentNow == 2_495 && second.sent == 2_500 && second.pending == 0)
        #expect(await transport.missing.isEmpty)
        #expect(await transport.sent == many.map(\.email))
        // The ledger grew a chunk at a time: 1,000 rows for the first thousand messages, then 2,000, then 2,500.
        let counts = await transport.rowCounts
        #expect(counts[0] == 1_000 && counts[999] == 1_000 && counts[1_000] == 2_000 && counts[2_000] == 2_500)
    }

    @Test("every subscribed member once; unsubscribed and bounced never; a second run sends nothing")
    func everyone() async throws {
        let transport = ScriptedTransport()
        let (summary, ledger) = try await run(transport)
        #expect(await transport.sent == subscribed.map(\.email))
        #expect(summary == SendRun.Summary(members: 35, sentNow: 35, sent: 35, failed: [], waiting: 0, pending: 0))
        #expect(try ledger.counts() == [.sent: 35])
        #expect(try ledger.all().allSatisfy { $0.reply == "250 2.0.0 Ok" && $0.attempts == 1 })

        let again = ScriptedTransport()
        let (second, _) = try await run(again, ledger: ledger)
        #expect(await again.attempts.isEmpty)
        #expect(second.sentNow == 0 && second.sent == 35)
    }

    @Test(
        "4xx is retried after the wait, 5xx is recorded by line, a run's attempts used up leave the row for the next run"
    )
    func failures() async throws {
        let flaky = subscribed[0].email
        let refused = subscribed[1].email
        let hopeless = subscribed[2].email
        let transport = ScriptedTransport([
            flaky: [.deferred("451 4.3.0 try later"), .accepted("250 ok")],
            refused: [.rejected("550 5.1.1 <\(refused)>: Recipient address rejected")],
            hopeless: [.deferred("452 4.2.2 mailbox full")],
        ])
        let (summary, ledger) = try await run(transport)
        let attempts = await transport.attempts
        #expect(attempts.filter { $0 == flaky }.count == 2)
        #expect(attempts.filter { $0 == refused }.count == 1)
        #expect(attempts.filter { $0 == hopeless }.count == 3)
        #expect(summary.sent == 33 && summary.waiting == 1 && summary.pending == 0 && summary.stop == nil)
        #expect(
            summary.failed == [
                SendRun.Failure(line: subscribed[1].line, reply: "550 5.1.1 <[address]>: Recipient address rejected")
            ])
        let rows = Dictionary(uniqueKeysWithValues: try ledger.all().map { ($0.address, $0) })
        #expect(rows[flaky]?.state == .sent && rows[flaky]?.attempts == 2)
        #expect(rows[refused]?.state == .failedPermanent && rows[refused]?.reply?.contains(refused) == true)
        #expect(rows[hopeless]?.state == .failedTemporary && rows[hopeless]?.attempts == 3)
        #expect(rows[hopeless]?.nextTry == nil)
        for failure in summary.failed { #expect(!failure.reply.contains("@example.org")) }

        // The next run tries the waiting member again; it goes through.
        let later = ScriptedTransport()
        let (second, _) = try await run(later, ledger: ledger)
        #expect(await later.attempts == [hopeless])
        #expect(second.sent == 34 && second.waiting == 0 && second.failed.count == 1)
    }

    @Test("an outage longer than the retries: every row waits for the next run, none is refused for good")
    func outage() async throws {
        let down = ScriptedTransport(
            Dictionary(
                uniqueKeysWithValues: subscribed.map { ($0.email, [TransportResult.deferred("451 4.4.1 relay busy")]) })
        )
        let (summary, ledger) = try await run(down, retry: Coalition.Retry(attempts: 2, wait: 5))
        #expect(summary.sent == 0 && summary.failed.isEmpty && summary.waiting == 35)
        #expect(try ledger.counts() == [.failedTemporary: 35])
        #expect(await down.attempts.count == 70)
        let recovered = ScriptedTransport()
        let (second, _) = try await run(recovered, ledger: ledger)
        #expect(second.sentNow == 35 && second.sent == 35 && second.waiting == 0)
        let delivered = await recovered.sent
        #expect(Set(delivered) == Set(subscribed.map(\.email)) && delivered.count == 35)
    }

    @Test("a relay that cannot be reached stops the run after three tries in a row; no attempt is charged")
    func unreachable() async throws {
        let closed = ScriptedTransport(
            Dictionary(
                uniqueKeysWithValues: subscribed.map {
                    ($0.email, [TransportResult.unreachable("cannot connect to the relay: connection refused")])
                }))
        let waits = WaitLog()
        let (summary, ledger) = try await run(closed, waits: waits)
        #expect(await closed.attempts == Array(repeating: subscribed[0].email, count: 3))
        #expect(
            summary.stop
                == .relayUnavailable(failures: 3, last: "cannot connect to the relay: connection refused"))
        #expect(summary.pending == 35 && summary.waiting == 0 && summary.sent == 0)
        #expect(try ledger.all().allSatisfy { $0.state == .pending && $0.attempts == 0 })
        // Waits of 10 and 20 s between the tries (retry.wait doubling).
        #expect(waits.all == [10, 20])
    }

    @Test(
        "connections lost three times in a row stop the run, waiting retry.wait (doubling) before each new connection; the row waits, nothing is refused"
    )
    func lostThrice() async throws {
        let dropping = ScriptedTransport(
            Dictionary(
                uniqueKeysWithValues: subscribed.map {
                    ($0.email, [TransportResult.lost("the relay reset the connection")])
                }))
        let waits = WaitLog()
        let (summary, ledger) = try await run(dropping, waits: waits)
        // The first member's message, due again after each wait, is tried first.
        #expect(await dropping.attempts == Array(repeating: subscribed[0].email, count: 3))
        #expect(waits.all == [10, 20])
        #expect(summary.stop == .relayUnavailable(failures: 3, last: "the relay reset the connection"))
        #expect(try ledger.counts() == [.failedTemporary: 1, .pending: 34])
        #expect(summary.waiting == 1 && summary.pending == 34)
    }

    @Test("one success between failures starts the count again")
    func failuresNotInARow() async throws {
        var script: [String: [TransportResult]] = [:]
        for (index, member) in subscribed.enumerated() where index % 3 != 2 {
            script[member.email] = [.lost("the relay closed the connection"), .accepted("250 ok")]
        }
        let transport = ScriptedTransport(script)
        let (summary, _) = try await run(transport)
        #expect(summary.stop == nil && summary.sent == 35)
    }

    @Test("no reply to a message's end: uncertain, never sent again on its own; --retry-uncertain sends it")
    func uncertain() async throws {
        let slow = subscribed[4].email
        let transport = ScriptedTransport([
            slow: [.uncertain("no reply to the end of the message within 600 s; the relay may have taken it")]
        ])
        let (summary, ledger) = try await run(transport)
        #expect(await transport.attempts.filter { $0 == slow }.count == 1)
        #expect(summary.sent == 34 && summary.failed.isEmpty)
        #expect(
            summary.uncertain == [
                SendRun.Failure(
                    line: subscribed[4].line,
                    reply: "no reply to the end of the message within 600 s; the relay may have taken it")
            ])
        #expect(try ledger.counts() == [.sent: 34, .uncertain: 1])

        let again = ScriptedTransport()
        let (second, _) = try await run(again, ledger: ledger)
        #expect(await again.attempts.isEmpty && second.uncertain.count == 1)

        let onRequest = ScriptedTransport()
        let (third, _) = try await run(onRequest, options: SendRun.Options(retryUncertain: true), ledger: ledger)
        #expect(await onRequest.attempts == [slow])
        #expect(third.sent == 35 && third.uncertain.isEmpty)
        let row = try #require(try ledger.all().first { $0.address == slow })
        #expect(row.state == .sent && row.attempts == 2)
    }

    @Test("a member who unsubscribes while the run goes on gets nothing from then on")
    func droppedDuringTheRun() async throws {
        let leaving = subscribed[20]
        let transport = FlaggingTransport(after: 10)
        let ledger = try SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        let run = SendRun(
            personal: personal, members: members, ledger: ledger, transport: transport, retry: Coalition.Retry(),
            stillWanted: { member in member.email != leaving.email || !transport.flag.isSet })
        let summary = try await run.run()
        let delivered = await transport.sent
        #expect(delivered.count == 34 && !delivered.contains(leaving.email))
        #expect(summary.droppedMeanwhile == 1 && summary.sent == 34 && summary.pending == 0)
        #expect(summary.outcome == .complete)
    }

    @Test("addresses that differ only in capitals get one message, and none when one row is unsubscribed")
    func capitals() async throws {
        var list = members
        let base = subscribed[0]
        list.append(Member(email: base.email.uppercased(), status: .subscribed, line: 900))
        let other = subscribed[1]
        list.append(Member(email: other.email.capitalized, status: .unsubscribed, line: 901))
        let transport = ScriptedTransport()
        let ledger = try SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        let run = SendRun(
            personal: personal, members: list, ledger: ledger, transport: transport, retry: Coalition.Retry())
        let summary = try await run.run()
        let sent = await transport.sent
        #expect(sent.filter { $0.lowercased() == base.email }.count == 1)
        #expect(!sent.contains { $0.lowercased() == other.email })
        #expect(summary.members == 34 && summary.sent == 34)
    }

    @Test("a ledger deleted while the run goes on stops it with an error that names the file")
    func ledgerDeleted() async throws {
        let path = folder.appendingPathComponent("send.sqlite").path
        let ledger = try SendLedger(path: path)
        let clock = FakeClock()
        let transport = DeletingTransport(path: path, after: 5, clock: clock)
        let run = SendRun(
            personal: personal, members: members, ledger: ledger, transport: transport, retry: Coalition.Retry(),
            clock: { clock.read() }, sleep: { clock.advance($0) })
        do {
            _ = try await run.run()
            Issue.record("the run went on with its ledger gone")
        } catch {
            guard case .ledgerReplaced(let named) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(named == path)
            #expect(error.description.hasPrefix("the send ledger \(path) was deleted or replaced while the send ran"))
        }
        #expect(await transport.count <= 7)
    }

    @Test("the ledger and SQLite's files beside it are readable by their owner only")
    func privateFiles() async throws {
        let path = folder.appendingPathComponent("send.sqlite").path
        _ = try await run(ScriptedTransport(), options: SendRun.Options(limit: 3))
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(file)")
        }
        // A ledger made by an earlier version with 0644 is made private on opening.
        chmod(path, 0o644)
        _ = try SendLedger(path: path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test("while it waits for a retry, the run reports at least every 30 seconds")
    func progressWhileWaiting() async throws {
        let member = subscribed[0].email
        let transport = ScriptedTransport([member: [.deferred("451 later"), .accepted("250 ok")]])
        let reports = ProgressLog()
        let ledger = try SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        let clock = FakeClock()
        let run = SendRun(
            personal: personal, members: members, ledger: ledger, transport: transport,
            retry: Coalition.Retry(attempts: 3, wait: 100), clock: { clock.read() }, sleep: { clock.advance($0) })
        _ = try await run.run { reports.add($0, at: clock.read()) }
        let waiting = reports.all.filter { $0.progress.waiting != nil }
        #expect(waiting.map { Int($0.progress.waiting!.rounded()) } == [100, 70, 40, 10])
        let times = waiting.map(\.time)
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 <= 30.001 })
    }

    @Test("--limit stops after that many attempts; the next run goes on where it stopped")
    func limit() async throws {
        let first = ScriptedTransport()
        let (summary, ledger) = try await run(first, options: SendRun.Options(limit: 10))
        #expect(summary.sentNow == 10 && summary.pending == 25)
        let second = ScriptedTransport()
        let (rest, _) = try await run(second, ledger: ledger)
        #expect(rest.sentNow == 25 && rest.sent == 35)
        #expect(Set(await first.sent).isDisjoint(with: Set(await second.sent)))
    }

    @Test("--rate spaces the messages")
    func rate() async throws {
        let ledger = try SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        let clock = FakeClock()
        let start = clock.read()
        let run = SendRun(
            personal: personal, members: members, ledger: ledger, transport: ScriptedTransport(),
            retry: Coalition.Retry(), options: SendRun.Options(rate: 5), clock: { clock.read() },
            sleep: { clock.advance($0) })
        _ = try await run.run()
        // 35 messages at 5 a second: 34 gaps of 0.2 s.
        #expect(abs(clock.read() - start - 6.8) < 0.01)
    }

    @Test("a member unsubscribed since the last run is not sent to")
    func unsubscribedMeanwhile() async throws {
        let ledger = try SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        _ = try await run(ScriptedTransport(), options: SendRun.Options(limit: 1), ledger: ledger)
        var changed = members
        if let index = changed.firstIndex(where: { $0.email == subscribed[5].email }) {
            changed[index].status = .unsubscribed
        }
        let transport = ScriptedTransport()
        let run = SendRun(
            personal: personal, members: changed, ledger: ledger, transport: transport, retry: Coalition.Retry())
        let summary = try await run.run()
        #expect(await !transport.attempts.contains(subscribed[5].email))
        #expect(summary.members == 34 && summary.sent == 34)
    }

    @Test("a second lock on the month is refused while the first is held")
    func lock() throws {
        let path = folder.appendingPathComponent("send.lock").path
        let first = try SendLock(path: path)
        #expect(first != nil)
        #expect(try SendLock(path: path) == nil)
        withExtendedLifetime(first) {}
    }

    @Test("redaction takes out every spelling of the address")
    func redact() {
        #expect(
            SendRun.redact(
                "550 <Amina.Odhiambo@EXAMPLE.org> unknown; amina.odhiambo@mx.example.org",
                address: "amina.odhiambo@example.org")
                == "550 <[address]> unknown; [address]@mx.example.org")
        // The part before the @ anywhere, and a relay's escape sequences quoted.
        #expect(
            SendRun.redact(
                "550 user Amina.Odhiambo at example.org \u{1B}[31mred\u{1B}[0m; amina.odhiambox stays",
                address: "amina.odhiambo@example.org")
                == "550 user [address] at example.org \\u{1B}[31mred\\u{1B}[0m; amina.odhiambox stays")
    }

    @Test("the lock file says how far the month's first run got")
    func lockRecordsTheFirstRun() throws {
        let path = folder.appendingPathComponent("send.lock").path
        func take(filling: Bool = false) throws -> SendLock.EarlierRun {
            let lock = try #require(try SendLock(path: path))
            if filling { try lock.markFilled() }
            return lock.earlierRun
        }
        #expect(try take() == .none)
        #expect(try take(filling: true) == .stoppedBeforeLedger)
        #expect(try take() == .filledLedger)
        // An empty file, as an older version left it: a ledger may have been filled.
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(try take() == .filledLedger)
    }
}
