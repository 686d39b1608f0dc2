import CoalitionData
import DigestMailing
import Foundation

/// One run of `digest send` for a month: each subscribed member whose
/// ledger row is not settled gets their message, one at a time.
///
/// The order of work for each message is what makes it exactly once: the
/// ledger row exists (pending) before the message goes out, and becomes
/// `sent` only after the relay's 250, in a committed transaction, before
/// the next message starts. A run killed between the 250 and that commit
/// leaves one message that the next run sends again; that is the only
/// duplicate possible, one per connection.
public final class SendRun: Sendable {
    /// How fast and how much.
    public struct Options: Sendable {
        /// At most this many messages a second; nil for as fast as the relay takes them.
        public var rate: Double?
        /// At most this many messages in this run; nil for all.
        public var limit: Int?

        /// Options (the command line's `--rate` and `--limit`).
        public init(rate: Double? = nil, limit: Int? = nil) {
            self.rate = rate
            self.limit = limit
        }
    }

    /// Where the run stands, for the progress line.
    public struct Progress: Sendable, Equatable {
        /// Sent in this run.
        public var sent: Int
        /// Failed for good in this run.
        public var failed: Int
        /// Still to send (pending and waiting to retry).
        public var left: Int
        /// Messages a second so far.
        public var rate: Double
        /// Seconds until a retry is due, when the run is waiting for one.
        public var waiting: Double?
    }

    /// A member whose message failed for good, named by line, never by address.
    public struct Failure: Sendable, Equatable {
        /// The member's line in `members.csv`.
        public var line: Int
        /// The relay's reply, with the address taken out.
        public var reply: String
    }

    /// How the run ended.
    public struct Summary: Sendable, Equatable {
        /// Subscribed members this month.
        public var members: Int
        /// Sent in this run.
        public var sentNow: Int
        /// Sent in all (this run and earlier ones).
        public var sent: Int
        /// Failed for good, in all.
        public var failed: [Failure]
        /// Waiting to be tried again (stopped by --limit, or out of time).
        public var waiting: Int
        /// Never tried yet (stopped by --limit).
        public var pending: Int
    }

    let personal: PersonalDigest
    let members: [Member]
    let ledger: SendLedger
    let transport: any MessageTransport
    let retry: Coalition.Retry
    let options: Options
    let clock: @Sendable () -> Double
    let sleep: @Sendable (Double) async -> Void

    /// A run sending `personal` to the subscribed ones of `members`.
    public init(
        personal: PersonalDigest, members: [Member], ledger: SendLedger, transport: any MessageTransport,
        retry: Coalition.Retry, options: Options = Options(),
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        sleep: @escaping @Sendable (Double) async -> Void = { seconds in
            try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        }
    ) {
        self.personal = personal
        self.members = members.filter(\.receivesDigest)
        self.ledger = ledger
        self.transport = transport
        self.retry = retry
        self.options = options
        self.clock = clock
        self.sleep = sleep
    }

    /// Sends what is due, waiting for retries, until every subscribed
    /// member's row is settled or the limit is reached.
    ///
    /// - Throws: ``SendError`` when the ledger cannot be written or the
    ///   relay cannot be used at all; rows already sent stay sent.
    public func run(progress: @Sendable (Progress) -> Void = { _ in }) async throws(SendError) -> Summary {
        let byKey = Dictionary(members.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let keys = Set(byKey.keys)
        do {
            try ledger.add(
                members.map { ($0.key, $0.email, $0.line, personal.messageID(for: $0)) }, now: clock())
        } catch {
            throw .output("cannot write the send ledger \(ledger.path): \(error)")
        }
        let started = clock()
        var sentNow = 0
        var failedNow = 0
        var attemptsNow = 0
        var lastStart: Double?
        var lastCheckpoint = clock()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128 * 1024)

        func left() -> Int {
            ((try? ledger.all()) ?? []).filter {
                keys.contains($0.key) && ($0.state == .pending || $0.state == .failedTemporary)
            }.count
        }
        func report(waiting: Double? = nil, left count: Int) {
            let elapsed = max(clock() - started, 0.001)
            progress(
                Progress(
                    sent: sentNow, failed: failedNow, left: count, rate: Double(sentNow) / elapsed,
                    waiting: waiting))
        }

        work: while true {
            let due: [SendLedger.Entry]
            do {
                due = try ledger.due(now: clock()).filter { keys.contains($0.key) }
            } catch {
                throw .output("cannot read the send ledger \(ledger.path): \(error)")
            }
            if due.isEmpty {
                guard let next = try? ledger.nextRetry(among: keys) else { break }
                if let limit = options.limit, attemptsNow >= limit { break }
                let wait = next - clock()
                report(waiting: max(wait, 0), left: left())
                await sleep(max(wait, 0))
                continue
            }
            var remaining = left()
            for entry in due {
                if let limit = options.limit, attemptsNow >= limit { break work }
                guard let member = byKey[entry.key] else { continue }
                if let rate = options.rate, rate > 0, let lastStart {
                    let gap = 1 / rate - (clock() - lastStart)
                    if gap > 0 { await sleep(gap) }
                }
                lastStart = clock()
                buffer.removeAll(keepingCapacity: true)
                personal.write(member, into: &buffer)
                let result = try await transport.send(from: personal.sender, to: member.email, data: buffer)
                attemptsNow += 1
                let now = clock()
                do {
                    switch result {
                    case .accepted(let reply):
                        try ledger.markSent(entry.key, reply: reply, now: now)
                        sentNow += 1
                        remaining -= 1
                    case .deferred(let reply):
                        if entry.attempts + 1 >= retry.attempts {
                            try ledger.markPermanent(
                                entry.key, reply: "gave up after \(entry.attempts + 1) attempts: \(reply)", now: now)
                            failedNow += 1
                            remaining -= 1
                        } else {
                            try ledger.markTemporary(
                                entry.key, reply: reply, nextTry: now + retry.delay(after: entry.attempts + 1),
                                now: now)
                        }
                    case .rejected(let reply):
                        try ledger.markPermanent(entry.key, reply: reply, now: now)
                        failedNow += 1
                        remaining -= 1
                    }
                    if now - lastCheckpoint >= 1 {
                        try ledger.checkpoint()
                        lastCheckpoint = now
                    }
                } catch {
                    throw .output("cannot write the send ledger \(ledger.path): \(error)")
                }
                report(left: remaining)
            }
        }
        await transport.close()
        do {
            try ledger.checkpoint()
        } catch {
            throw .output("cannot write the send ledger \(ledger.path): \(error)")
        }
        return try summary(sentNow: sentNow, keys: keys, byKey: byKey)
    }

    private func summary(sentNow: Int, keys: Set<String>, byKey: [String: Member]) throws(SendError) -> Summary {
        let rows: [SendLedger.Entry]
        do {
            rows = try ledger.all().filter { keys.contains($0.key) }
        } catch {
            throw .output("cannot read the send ledger \(ledger.path): \(error)")
        }
        let failed = rows.filter { $0.state == .failedPermanent }.map { row in
            Failure(
                line: byKey[row.key]?.line ?? row.line,
                reply: Self.redact(row.reply ?? "", address: row.address))
        }
        return Summary(
            members: members.count, sentNow: sentNow, sent: rows.filter { $0.state == .sent }.count, failed: failed,
            waiting: rows.filter { $0.state == .failedTemporary }.count,
            pending: rows.filter { $0.state == .pending }.count)
    }

    /// `reply` with every spelling of `address` replaced by `[address]`:
    /// relays often repeat the recipient in a refusal.
    public static func redact(_ reply: String, address: String) -> String {
        guard !address.isEmpty else { return reply }
        var text = reply
        while let range = text.range(of: address, options: .caseInsensitive) {
            text.replaceSubrange(range, with: "[address]")
        }
        if let at = address.lastIndex(of: "@") {
            let local = String(address[..<at])
            if local.count >= 3 {
                while let range = text.range(of: local + "@", options: .caseInsensitive) {
                    text.replaceSubrange(range, with: "[address]@")
                }
            }
        }
        return text
    }
}
