import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import Foundation
import Testing

@testable import DigestSend

let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A transport that answers from a script: for each address, the results
/// of its attempts in order (the last one repeats); accepted otherwise.
actor ScriptedTransport: MessageTransport {
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

/// A clock the run's waits move forward, so retries happen without waiting.
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 1_000_000.0
    func read() -> Double { lock.withLock { now } }
    func advance(_ seconds: Double) { lock.withLock { now += max(seconds, 0) } }
}

@Suite("A send run and its ledger")
struct SendRunTests {
    let personal: PersonalDigest
    let members: [Member]
    let folder: URL

    init() throws {
        let data = repository.appendingPathComponent("data").path
        let dataset = try #require(DataFolder.load(path: data).dataset)
        members = try #require(MemberList.load(path: data + "/members.csv").members)
        let renderer = DigestRenderer(
            templates: try TemplateSet(folder: repository.appendingPathComponent("templates").path))
        personal = try PersonalDigest(
            digest: Digest(dataset: dataset, period: try Period(parsing: "2019-03")), renderer: renderer,
            secret: UnsubscribeSecret(text: "a secret for the send tests"))
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("send-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func run(
        _ transport: ScriptedTransport, retry: Coalition.Retry = Coalition.Retry(attempts: 3, wait: 10),
        options: SendRun.Options = SendRun.Options(), ledger: SendLedger? = nil
    ) async throws -> (SendRun.Summary, SendLedger) {
        let ledger = try ledger ?? SendLedger(path: folder.appendingPathComponent("send.sqlite").path)
        let clock = FakeClock()
        let run = SendRun(
            personal: personal, members: members, ledger: ledger, transport: transport, retry: retry,
            options: options, clock: { clock.read() }, sleep: { clock.advance($0) })
        return (try await run.run(), ledger)
    }

    var subscribed: [Member] { members.filter(\.receivesDigest) }

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

    @Test("4xx is retried after the wait, 5xx is recorded by line, retries run out")
    func failures() async throws {
        let flaky = subscribed[0].email
        let refused = subscribed[1].email
        let hopeless = subscribed[2].email
        let transport = ScriptedTransport([
            flaky: [.deferred("451 4.3.0 try later"), .accepted("250 ok")],
            refused: [.rejected("550 5.1.1 <\(refused)>: Recipient address rejected")],
            hopeless: [.deferred("421 4.3.2 closing")],
        ])
        let (summary, ledger) = try await run(transport)
        let attempts = await transport.attempts
        #expect(attempts.filter { $0 == flaky }.count == 2)
        #expect(attempts.filter { $0 == refused }.count == 1)
        #expect(attempts.filter { $0 == hopeless }.count == 3)
        #expect(summary.sent == 33)
        #expect(
            summary.failed.sorted { $0.line < $1.line } == [
                SendRun.Failure(line: subscribed[1].line, reply: "550 5.1.1 <[address]>: Recipient address rejected"),
                SendRun.Failure(line: subscribed[2].line, reply: "gave up after 3 attempts: 421 4.3.2 closing"),
            ])
        let rows = Dictionary(uniqueKeysWithValues: try ledger.all().map { ($0.address, $0) })
        #expect(rows[flaky]?.state == .sent && rows[flaky]?.attempts == 2)
        #expect(rows[refused]?.state == .failedPermanent && rows[refused]?.reply?.contains(refused) == true)
        #expect(rows[hopeless]?.state == .failedPermanent && rows[hopeless]?.attempts == 3)
        for failure in summary.failed { #expect(!failure.reply.contains("@example.org")) }
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
    }
}
