import CoalitionData
import DKIM
import DigestMailing
import Foundation

/// One run of `digest send` for a month: each subscribed member whose
/// ledger row is not settled gets their message, over one or more SMTP
/// sessions at once (`mail.smtp.connections`), each session taking the
/// next member no other session has.
///
/// The order of work for each message is what makes it exactly once: the
/// ledger row exists (pending) before the message goes out, and becomes
/// `sent` only after the relay's 250, in a committed transaction, before
/// that session's next message starts. A member is given to one session at
/// a time. A run killed between a 250 and its commit leaves that message
/// for the next run to send again: the only duplicate possible, at most
/// one a session.
///
/// What the run does with each other answer:
/// - a 5xx: `failed-permanent`, never tried again;
/// - a 4xx, or a connection lost before the relay took the message:
///   `failed-temporary`, tried again in this run after a growing wait, up
///   to `retry.attempts` times, then left for the next run (a relay's
///   outage never turns into a refusal);
/// - a 4xx or 421 that says the send goes too fast (``RelaySignal``): not
///   charged; the message goes back in line and the send slows down
///   (fewer sessions, or a lower rate), speeding up again while replies
///   are good (``SendPace``);
/// - anything but a well-formed reply to the end of the message (none in
///   time, one that cannot be read, the connection closed): `uncertain`,
///   never tried again unless staff ask (``Options/retryUncertain``), since
///   the relay may have delivered it;
/// - no connection at all: the message is not charged an attempt.
///
/// After ``Options/relayFailureLimit`` consecutive failures of the relay
/// itself (no connection, a lost connection, a 421, replies out of step,
/// an unclear answer to a message's end), counted a message at a time
/// across the sessions, the run stops, so a relay that is down costs
/// seconds, not members × attempts × timeout. After a failure before a
/// message's end no session connects again before `retry.wait` (doubling
/// with each failure in a row).
public final class SendRun: Sendable {
    /// How fast and how much.
    public struct Options: Sendable {
        /// At most this many messages a second, across the sessions; nil
        /// for as fast as the relay takes them.
        public var rate: Double?
        /// SMTP sessions at once (`mail.smtp.connections`); one when the
        /// run has no way to open more.
        public var sessions: Int
        /// At most this many messages offered to the relay in this run; nil for all.
        public var limit: Int?
        /// Send again the messages left `uncertain` by earlier runs.
        public var retryUncertain: Bool
        /// Consecutive failures of the relay after which the run stops.
        public var relayFailureLimit: Int
        /// Times in a row the rate goes down for the relay's refusals, with
        /// nothing accepted between, after which the run stops: the relay
        /// takes nothing at any pace.
        public var throttleLimit: Int
        /// The longest the run stays silent while it waits: progress is
        /// reported at least this often.
        public var progressInterval: Double
        /// Seconds of good replies after a slowing down before the pace
        /// goes up again.
        public var recovery: Double

        /// Options (the command line's `--rate`, `--limit` and `--retry-uncertain`).
        public init(
            rate: Double? = nil, sessions: Int = 1, limit: Int? = nil, retryUncertain: Bool = false,
            relayFailureLimit: Int = 3, throttleLimit: Int = 12, progressInterval: Double = 30, recovery: Double = 30
        ) {
            self.rate = rate
            self.sessions = sessions
            self.limit = limit
            self.retryUncertain = retryUncertain
            self.relayFailureLimit = relayFailureLimit
            self.throttleLimit = throttleLimit
            self.progressInterval = progressInterval
            self.recovery = recovery
        }
    }

    let personal: PersonalDigest
    let members: [Member]
    let ledger: any MonthLedger
    let transport: any MessageTransport
    let newTransport: (@Sendable () -> any MessageTransport)?
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
    ///   - transport: the first session's transport.
    ///   - newTransport: makes the transport of each further session, up
    ///     to ``Options/sessions``; nil sends over `transport` alone.
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
        newTransport: (@Sendable () -> any MessageTransport)? = nil, retry: Coalition.Retry,
        options: Options = Options(), lock: (any MonthLock)? = nil, signer: DKIMSigner? = nil,
        beforeEach: @escaping @Sendable () async -> Void = {},
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
        self.newTransport = newTransport
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
        // One array of members; everything else holds positions in it (a
        // dictionary of 100,000 members copied would cost tens of MB).
        let byKey = Dictionary(members.indices.map { (members[$0].key, $0) }, uniquingKeysWith: { first, _ in first })
        if options.retryUncertain {
            let keys = Set(byKey.keys)
            _ = try await record("write") { try await ledger.releaseUncertain(among: keys, now: clock()) }
        }
        // Rows an earlier run of the month made come first, in their order;
        // then the members the ledger does not have yet, in the list's.
        let existing = try await record("read") { try await ledger.states() }
        let known = Set(existing.map(\.key))
        let rows = Rows(
            members: members, fresh: members.indices.filter { !known.contains(members[$0].key) }, chunk: Self.chunk)
        let queue = SendQueue(
            existing.compactMap {
                byKey[$0.key] != nil && ($0.state == .pending || $0.state == .failedTemporary) ? $0.key : nil
            } + rows.fresh.map { members[$0].key })
        // The lock records that the ledger was filled once it has rows.
        let filled = rows.fresh.isEmpty
        if filled { try await record("write the lock of") { try await lock?.markFilled() } }
        let started = clock()
        let sessions = newTransport == nil ? 1 : min(max(options.sessions, 1), max(queue.count, 1))
        let board = SendBoard(
            SendBoard.Shared(
                queue: queue, state: RunState(started: started, left: queue.count),
                pace: SendPace(sessions: sessions, rate: options.rate, recovery: options.recovery), rows: rows,
                filled: filled, lastCheckpoint: started),
            limit: options.limit)
        try await withoutActuallyEscaping(progress) { progress async throws(SendError) in
            try await sendAll(board: board, sessions: sessions, byKey: byKey, progress: progress)
        }
        try await record("write") { try await ledger.checkpoint() }
        let (state, pace, added) = board.shared.withLock { ($0.state, $0.pace, $0.rows.added) }
        let notAdded = rows.fresh[added...].count { stillWanted(members[$0]) }
        var summary = try await summary(state: state, byKey: byKey, notAdded: notAdded)
        summary.sessions = pace.peakSessions
        summary.slowdowns = pace.slowdowns
        summary.seconds = max(clock() - started, 0)
        if pace.isSlowed {
            summary.endedSlowed = Slowdown(
                reply: pace.slowdowns.last?.reply ?? "", sessions: pace.sessions, rate: pace.rate)
        }
        return summary
    }

    /// Runs the sessions side by side until each is done; the first error
    /// stops them all (each closes its connection) and is thrown.
    private func sendAll(
        board: SendBoard, sessions: Int, byKey: [String: Int], progress: @escaping @Sendable (Progress) -> Void
    ) async throws(SendError) {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<sessions {
                    let transport = number == 0 ? transport : (newTransport?() ?? transport)
                    group.addTask {
                        try await self.session(transport, board: board, byKey: byKey, progress: progress)
                    }
                }
                try await group.waitForAll()
            }
        } catch let error as SendError {
            throw error
        } catch {
            throw .interrupted
        }
    }

    /// `member`'s message signed at `time`.
    static func signed(_ personal: PersonalDigest, _ member: Member, signer: DKIMSigner, time: Int) -> Result<
        [UInt8], any Error
    > {
        Result { try signer.sign(personal.message(for: member), time: time) }
    }

    /// How many new members' rows are added at a time.
    static let chunk = 1_000

    /// Runs `body`, turning a ledger failure into ``SendError`` with its cause.
    func record<T>(_ doing: String, _ body: () async throws -> T) async throws(SendError) -> T {
        do {
            return try await body()
        } catch let error as SendError {
            throw error
        } catch {
            throw .ledger(path: ledger.location, doing: doing, cause: error)
        }
    }

    private func summary(state: RunState, byKey: [String: Int], notAdded: Int) async throws(SendError) -> Summary {
        // Every row's state, column by column; whole rows only for those the
        // summary names (refused, uncertain): a few, not 100,000.
        // Counted in one pass over the rows, no copy of them (a filtered
        // copy of 100,000 rows was the send's peak of memory).
        var (sent, waiting, pending) = (0, 0, notAdded)
        for (key, state) in try await record("read", { try await ledger.states() }) {
            guard let position = byKey[key] else { continue }
            switch state {
            case .sent: sent += 1
            case .failedTemporary: waiting += 1
            case .pending where stillWanted(members[position]): pending += 1
            default: break
            }
        }
        let needStaff = try await record("read") {
            try await ledger.entries(in: [.failedPermanent, .uncertain]).filter { byKey[$0.key] != nil }
        }
        func named(_ row: SendLedger.Entry) -> Failure {
            Failure(
                line: byKey[row.key].map { members[$0].line } ?? row.line,
                reply: Self.redact(row.reply ?? "", address: row.address))
        }
        return Summary(
            members: members.count, sentNow: state.sentNow, sent: sent,
            failed: needStaff.filter { $0.state == .failedPermanent }.map(named),
            uncertain: needStaff.filter { $0.state == .uncertain }.map(named), waiting: waiting, pending: pending,
            droppedMeanwhile: state.droppedMeanwhile, stop: state.stop)
    }
}
