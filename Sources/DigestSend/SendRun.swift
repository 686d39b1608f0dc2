import CoalitionData
import DKIM
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
///
/// What the run does with each other answer:
/// - a 5xx: `failed-permanent`, never tried again;
/// - a 4xx, or a connection lost before the relay took the message:
///   `failed-temporary`, tried again in this run after a growing wait, up
///   to `retry.attempts` times, then left for the next run (a relay's
///   outage never turns into a refusal);
/// - anything but a well-formed reply to the end of the message (none in
///   time, one that cannot be read, the connection closed): `uncertain`,
///   never tried again unless staff ask (``Options/retryUncertain``), since
///   the relay may have delivered it;
/// - no connection at all: the message is not charged an attempt.
///
/// After ``Options/relayFailureLimit`` consecutive failures of the relay
/// itself (no connection, a lost connection, a 421, replies out of step,
/// an unclear answer to a message's end), counted a message at a time, the
/// run stops, so a relay that is down costs seconds, not members ×
/// attempts × timeout. After a failure before a message's end the run
/// waits `retry.wait` (doubling with each failure in a row) before it
/// connects again.
public final class SendRun: Sendable {
    /// How fast and how much.
    public struct Options: Sendable {
        /// At most this many messages a second; nil for as fast as the relay takes them.
        public var rate: Double?
        /// At most this many messages offered to the relay in this run; nil for all.
        public var limit: Int?
        /// Send again the messages left `uncertain` by earlier runs.
        public var retryUncertain: Bool
        /// Consecutive failures of the relay after which the run stops.
        public var relayFailureLimit: Int
        /// The longest the run stays silent while it waits: progress is
        /// reported at least this often.
        public var progressInterval: Double

        /// Options (the command line's `--rate`, `--limit` and `--retry-uncertain`).
        public init(
            rate: Double? = nil, limit: Int? = nil, retryUncertain: Bool = false, relayFailureLimit: Int = 3,
            progressInterval: Double = 30
        ) {
            self.rate = rate
            self.limit = limit
            self.retryUncertain = retryUncertain
            self.relayFailureLimit = relayFailureLimit
            self.progressInterval = progressInterval
        }
    }

    let personal: PersonalDigest
    let members: [Member]
    let ledger: any MonthLedger
    let transport: any MessageTransport
    let retry: Coalition.Retry
    let options: Options
    let lock: (any MonthLock)?
    let signer: DKIMSigner?
    let beforeEach: @Sendable () async -> Void
    let stillWanted: @Sendable (Member) -> Bool
    let refused: @Sendable (Member, String) async throws -> Void
    let clock: @Sendable () -> Double
    let sleep: @Sendable (Double) async throws -> Void

    /// A run sending `personal` to the subscribed ones of `members`.
    ///
    /// - Parameters:
    ///   - lock: the month's lock, marked once the ledger holds every
    ///     member (``SendLock/markFilled()``), before the first message.
    ///   - signer: signs each message as it is sent (`mail.dkim`); nil
    ///     sends them unsigned.
    ///   - beforeEach: awaited before each message is considered (to read
    ///     the suppression list again when it changed).
    ///   - stillWanted: asked just before each message; false skips the
    ///     member (unsubscribed since the run began). The row stays `pending`.
    ///   - refused: told of each message refused for good (a 5xx), with the
    ///     relay's reply, once its row is recorded: to suppress an address
    ///     that does not exist. Its error stops the run.
    ///   - sleep: waits; a cancelled task's sleep throws, and the run stops
    ///     with ``SendError/interrupted``.
    public init(
        personal: PersonalDigest, members: [Member], ledger: any MonthLedger, transport: any MessageTransport,
        retry: Coalition.Retry, options: Options = Options(), lock: (any MonthLock)? = nil,
        signer: DKIMSigner? = nil, beforeEach: @escaping @Sendable () async -> Void = {},
        stillWanted: @escaping @Sendable (Member) -> Bool = { _ in true },
        refused: @escaping @Sendable (Member, String) async throws -> Void = { _, _ in },
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        sleep: @escaping @Sendable (Double) async throws -> Void = { seconds in
            try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        }
    ) {
        self.personal = personal
        self.members = MemberList.recipients(members)
        self.ledger = ledger
        self.transport = transport
        self.retry = retry
        self.options = options
        self.lock = lock
        self.signer = signer
        self.beforeEach = beforeEach
        self.stillWanted = stillWanted
        self.refused = refused
        self.clock = clock
        self.sleep = sleep
    }

    /// Sends what is due, waiting for retries, until every subscribed
    /// member's row is settled for this run, the limit is reached, or the
    /// relay has failed too often in a row.
    ///
    /// - Throws: ``SendError`` when the ledger cannot be read or written, or
    ///   is replaced, or the relay cannot be used with these settings; rows
    ///   already sent stay sent.
    public func run(progress: @Sendable (Progress) -> Void = { _ in }) async throws(SendError) -> Summary {
        do {
            let summary = try await work(progress: progress)
            await transport.close()
            return summary
        } catch {
            await transport.close()
            throw error
        }
    }

    private func work(progress: @Sendable (Progress) -> Void) async throws(SendError) -> Summary {
        // One array of members; everything else holds positions in it (a
        // dictionary of 100,000 members copied would cost tens of MB).
        let byKey = Dictionary(members.indices.map { (members[$0].key, $0) }, uniquingKeysWith: { first, _ in first })
        let keys = Set(byKey.keys)
        if options.retryUncertain {
            _ = try await record("write") { try await ledger.releaseUncertain(among: keys, now: clock()) }
        }
        // Rows an earlier run of the month made come first, in their order;
        // then the members the ledger does not have yet, in the list's.
        let existing = try await record("read") { try await ledger.states() }
        let known = Set(existing.map(\.key))
        var rows = Rows(
            members: members, fresh: members.indices.filter { !known.contains(members[$0].key) }, chunk: Self.chunk)
        var queue = SendQueue(
            existing.filter {
                keys.contains($0.key) && ($0.state == .pending || $0.state == .failedTemporary)
            }.map(\.key) + rows.fresh.map { members[$0].key })
        // The lock records that the ledger was filled once it has rows.
        var filled = rows.fresh.isEmpty
        if filled { try await record("write the lock of") { try await lock?.markFilled() } }
        var state = RunState(started: clock(), left: queue.count)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128 * 1024)
        var lastCheckpoint = clock()
        // The next message, made and signed ahead (with DKIM keys only).
        var ahead: (key: String, task: Task<[UInt8], any Error>)?
        defer { ahead?.task.cancel() }

        func report(waiting: Double? = nil, problem: String? = nil) {
            let elapsed = max(clock() - state.started, 0.001)
            progress(
                Progress(
                    sent: state.sentNow, failed: state.failedNow, left: state.left,
                    rate: Double(state.sentNow) / elapsed, waiting: waiting, problem: problem))
        }
        /// Sleeps `seconds`, reporting at least every progress interval.
        func wait(_ seconds: Double, problem: String?) async throws(SendError) {
            var remaining = max(seconds, 0)
            repeat {
                report(waiting: remaining, problem: problem)
                let step = min(remaining, options.progressInterval)
                do {
                    try await sleep(step)
                } catch {
                    throw .interrupted
                }
                remaining -= step
            } while remaining > 0
        }

        work: while true {
            guard let key = queue.next(now: clock()) else {
                guard let due = queue.nextRetry else { break }
                if let limit = options.limit, state.attemptsNow >= limit {
                    state.stop = .limit
                    break
                }
                try await wait(due - clock(), problem: nil)
                continue
            }
            if let limit = options.limit, state.attemptsNow >= limit {
                state.stop = .limit
                break
            }
            guard let position = byKey[key] else { continue }
            let member = members[position]
            // The member's row exists before their message goes out: the
            // rows of new members are added a chunk at a time, so the first
            // message of a large list leaves within a second.
            if rows.needsAdding(key) {
                let batch = rows.batch(upTo: key) { personal.messageID(for: $0) }
                try await record("write") { try await ledger.add(batch.rows, now: clock()) }
                rows.added = batch.end
                if !filled {
                    try await record("write the lock of") { try await lock?.markFilled() }
                    filled = true
                }
            }
            await beforeEach()
            guard stillWanted(member) else {
                state.droppedMeanwhile += 1
                state.left -= 1
                continue
            }
            if let rate = options.rate, rate > 0, let lastStart = state.lastStart {
                let gap = 1 / rate - (clock() - lastStart)
                if gap > 0 {
                    do {
                        try await sleep(gap)
                    } catch {
                        throw SendError.interrupted
                    }
                }
            }
            state.lastStart = clock()
            if let signer {
                // Signed as sent (the transport dot-stuffs after this). The
                // next message is made and signed on another core while
                // this one goes to the relay: an RSA signature costs more
                // than the relay's round trip.
                let made: Result<[UInt8], any Error>
                if let ahead, ahead.key == key {
                    made = await ahead.task.result
                } else {
                    made = Self.signed(personal, member, signer: signer, time: Int(clock()))
                }
                ahead = nil
                switch made {
                case .success(let bytes): buffer = bytes
                case .failure(let error): throw SendError.signing(cause: error)
                }
                if let next = queue.upcoming, next != key, let at = byKey[next] {
                    let (personal, upcoming, time) = (personal, members[at], Int(clock()))
                    ahead = (
                        next, Task.detached { try Self.signed(personal, upcoming, signer: signer, time: time).get() }
                    )
                }
            } else {
                buffer.removeAll(keepingCapacity: true)
                personal.write(member, into: &buffer)
            }
            let result = try await transport.send(from: personal.sender(for: member), to: member.email, data: buffer)
            let now = clock()
            var relayFailure: String?
            try await record("write") {
                switch result {
                case .accepted(let reply):
                    try await ledger.markSent(key, reply: reply, now: now)
                    state.sentNow += 1
                    state.left -= 1
                case .rejected(let reply):
                    try await ledger.markPermanent(key, reply: reply, now: now)
                    state.failedNow += 1
                    state.left -= 1
                case .deferred(let reply):
                    try await retryLater(key, reply: reply, now: now, queue: &queue, state: &state)
                case .lost(let reason):
                    relayFailure = reason
                    try await retryLater(key, reply: reason, now: now, queue: &queue, state: &state)
                case .uncertain(let reason):
                    relayFailure = reason
                    try await ledger.markUncertain(key, reply: reason, now: now)
                    state.left -= 1
                case .unreachable(let reason):
                    // Not offered: no attempt charged, first in line again.
                    relayFailure = reason
                    queue.pushFront(key)
                }
                if now - lastCheckpoint >= 1 {
                    try await ledger.checkpoint()
                    lastCheckpoint = now
                }
            }
            if case .rejected(let reply) = result {
                do {
                    try await refused(member, reply)
                } catch {
                    throw SendError.state(path: "the suppression list", cause: error)
                }
            }
            if case .unreachable = result {} else { state.attemptsNow += 1 }
            if let relayFailure {
                state.relayFailures += 1
                if state.relayFailures >= options.relayFailureLimit {
                    state.stop = .relayUnavailable(failures: state.relayFailures, last: relayFailure)
                    break work
                }
                switch result {
                case .unreachable, .lost:
                    // The relay failed before the message's end (no
                    // connection, a drop, a 421): give it `retry.wait`,
                    // doubling, before the next connection.
                    try await wait(retry.delay(after: state.relayFailures), problem: relayFailure)
                default: break
                }
            } else {
                state.relayFailures = 0
            }
            report()
        }
        try await record("write") { try await ledger.checkpoint() }
        let notAdded = rows.fresh[rows.added...].count { stillWanted(members[$0]) }
        return try await summary(state: state, keys: keys, byKey: byKey, notAdded: notAdded)
    }

    /// `member`'s message signed at `time`.
    static func signed(_ personal: PersonalDigest, _ member: Member, signer: DKIMSigner, time: Int) -> Result<
        [UInt8], any Error
    > {
        Result { try signer.sign(personal.message(for: member), time: time) }
    }

    /// How many new members' rows are added at a time.
    static let chunk = 1_000

    /// Records a refusal for now: tried again in this run after a wait,
    /// or, once this run's attempts are used up, left for the next run.
    private func retryLater(
        _ key: String, reply: String, now: Double, queue: inout SendQueue, state: inout RunState
    ) async throws {
        let attempts = (state.attempts[key] ?? 0) + 1
        state.attempts[key] = attempts
        if attempts >= retry.attempts {
            try await ledger.markTemporary(key, reply: reply, nextTry: nil, now: now)
            state.left -= 1
        } else {
            let next = now + retry.delay(after: attempts)
            try await ledger.markTemporary(key, reply: reply, nextTry: next, now: now)
            queue.schedule(key, at: next)
        }
    }

    /// Runs `body`, turning a ledger failure into ``SendError`` with its cause.
    private func record<T>(_ doing: String, _ body: () async throws -> T) async throws(SendError) -> T {
        do {
            return try await body()
        } catch let error as SendError {
            throw error
        } catch {
            throw .ledger(path: ledger.location, doing: doing, cause: error)
        }
    }

    private func summary(
        state: RunState, keys: Set<String>, byKey: [String: Int], notAdded: Int
    ) async throws(SendError) -> Summary {
        // Every row's state, column by column; whole rows only for those the
        // summary names (refused, uncertain): a few, not 100,000.
        let states = try await record("read") { try await ledger.states().filter { keys.contains($0.key) } }
        let needStaff = try await record("read") {
            try await ledger.entries(in: [.failedPermanent, .uncertain]).filter { keys.contains($0.key) }
        }
        func named(_ row: SendLedger.Entry) -> Failure {
            Failure(
                line: byKey[row.key].map { members[$0].line } ?? row.line,
                reply: Self.redact(row.reply ?? "", address: row.address))
        }
        return Summary(
            members: members.count, sentNow: state.sentNow, sent: states.count { $0.state == .sent },
            failed: needStaff.filter { $0.state == .failedPermanent }.map(named),
            uncertain: needStaff.filter { $0.state == .uncertain }.map(named),
            waiting: states.count { $0.state == .failedTemporary },
            pending: states.count { $0.state == .pending && (byKey[$0.key].map { stillWanted(members[$0]) } ?? false) }
                + notAdded,
            droppedMeanwhile: state.droppedMeanwhile, stop: state.stop)
    }
}
