import Foundation
import Synchronization

/// What a run's sessions share, each change made under one lock: the
/// queue of members (a member is given to one session at a time), the
/// counts, the pace, the sessions open, and the rows added so far.
///
/// Nothing here waits or writes: the sessions do that outside the lock
/// and come back to record what happened.
final class SendBoard: Sendable {
    struct Shared {
        var queue: SendQueue
        var state: RunState
        var pace: SendPace
        var rows: SendRun.Rows
        /// The ledger's rows of the fresh members being added, and where they end.
        var adding: (task: Task<Void, any Error>, end: Int)?
        /// Whether the lock records the ledger as filled.
        var filled: Bool
        /// Sessions open now.
        var open = 0
        /// A session is opening (they open one at a time).
        var opening = false
        /// No new session before this time (after a failure of the relay).
        var notBefore = -Double.infinity
        /// Messages given to sessions and not yet settled.
        var inFlight = 0
        /// Attempts started in this run (for `--limit`): those given out,
        /// less those not offered (no connection, a refusal for pace).
        var claimed = 0
        /// Refusals for pace since the last accepted message.
        var throttledInARow = 0
        /// What the relay last said when it failed.
        var problem: String?
        var lastCheckpoint: Double
    }

    /// What a session does next.
    enum Next: Equatable {
        /// Send to this member.
        case member(String)
        /// Nothing to do for this many seconds (a retry is due later).
        case wait(Double)
        /// Nothing left for this session.
        case done
    }

    let shared: Mutex<Shared>
    let limit: Int?

    init(_ shared: Shared, limit: Int?) {
        self.shared = Mutex(shared)
        self.limit = limit
    }

    /// The next member to send to, or how long to wait, or nothing.
    func next(now: Double) -> Next {
        shared.withLock { shared in
            guard shared.state.stop == nil else { return .done }
            let more = shared.queue.count > 0
            if let limit, shared.claimed >= limit {
                if more { shared.state.stop = .limit }
                return .done
            }
            if let key = shared.queue.next(now: now) {
                shared.claimed += 1
                shared.inFlight += 1
                return .member(key)
            }
            if let due = shared.queue.nextRetry { return .wait(due - now) }
            return .done
        }
    }

    /// Whether a session that has no connection may open one now: one at a
    /// time, no more than the pace allows, not before the wait after a
    /// failure of the relay.
    ///
    /// - Returns: nil to go ahead (the session is then the one opening,
    ///   until ``opened(_:)``), or how long to wait, or `.infinity` when
    ///   there is nothing left to send.
    func mayOpen(now: Double) -> Double? {
        shared.withLock { shared in
            if shared.state.stop != nil || shared.queue.count == 0 { return .infinity }
            if shared.notBefore > now { return shared.notBefore - now }
            // Another session opening is a matter of a round trip or two:
            // look again soon. All the sessions allowed open is a matter of
            // the pace going up, 30 s away at the soonest.
            guard shared.open < shared.pace.sessions else { return 0.1 }
            guard !shared.opening else { return 0.002 }
            shared.opening = true
            return nil
        }
    }

    /// How long a session whose relay just failed waits before it goes
    /// on (the wait ``relayFailed(_:now:wait:limit:)`` set); nil for none,
    /// or when the run is stopping.
    func mayOpenAfterFailure(now: Double) -> Double? {
        shared.withLock { shared in
            guard shared.state.stop == nil, shared.notBefore > now else { return nil }
            return shared.notBefore - now
        }
    }

    /// The session that was opening is done opening; `open` says whether
    /// it has a connection now.
    func opened(_ open: Bool) {
        shared.withLock { shared in
            shared.opening = false
            if open {
                shared.open += 1
                shared.pace.peakSessions = max(shared.pace.peakSessions, shared.open)
            }
        }
    }

    /// A session's connection closed (the relay's limit of messages, a drop, the end).
    func closed() {
        shared.withLock { $0.open = max(0, $0.open - 1) }
    }

    /// When the message may start (the pace's next slot).
    func start(now: Double) -> Double {
        shared.withLock { $0.pace.start(now: now) }
    }

    /// The member was not sent to: unsubscribed meanwhile, or not on the list.
    func dropped(meanwhile: Bool) {
        shared.withLock { shared in
            shared.inFlight -= 1
            shared.claimed -= 1
            if meanwhile { shared.state.droppedMeanwhile += 1 }
            shared.state.left -= 1
        }
    }

    /// A message the relay answered (taken, or refused with a reply):
    /// settled for this run, and the relay is working.
    func settled(now: Double, _ count: (inout RunState) -> Void) {
        shared.withLock { shared in
            count(&shared.state)
            shared.inFlight -= 1
            shared.state.left -= 1
            shared.state.relayFailures = 0
            shared.throttledInARow = 0
            _ = shared.pace.accepted(now: now)
        }
    }

    /// A message settled for this run whose fate the relay left unclear
    /// (`uncertain`): out of the queue, not a sign the relay works.
    func settledUnclear() {
        shared.withLock { shared in
            shared.inFlight -= 1
            shared.state.left -= 1
        }
    }

    /// A message refused for now: tried again at `time`, or (nil) left for
    /// the next run; `relayWorking` when the relay answered it (a 4xx), not
    /// when it failed.
    func retry(_ key: String, at time: Double?, relayWorking: Bool) {
        shared.withLock { shared in
            shared.inFlight -= 1
            if let time {
                shared.queue.schedule(key, at: time)
            } else {
                shared.state.left -= 1
            }
            if relayWorking { shared.state.relayFailures = 0 }
        }
    }

    /// A message not offered (no connection): first in line again, no attempt charged.
    func putBack(_ key: String) {
        shared.withLock { shared in
            shared.inFlight -= 1
            shared.claimed -= 1
            shared.queue.pushFront(key)
        }
    }

    /// The relay refused `key`'s message for its pace: the message goes
    /// back first in line, not charged, and the rate goes down. When the
    /// rate has gone down `limit` times in a row with nothing taken
    /// between (a second apart at least: a minute or more), the relay
    /// takes nothing at any pace (a daily quota used up), and the run stops.
    func throttled(_ key: String, reply: String, started: Double, now: Double, limit: Int) {
        shared.withLock { shared in
            shared.inFlight -= 1
            shared.claimed -= 1
            shared.queue.pushFront(key)
            let cuts = shared.pace.slowdowns.count
            shared.pace.rateLimit(reply: reply, started: started, now: now)
            if shared.pace.slowdowns.count > cuts { shared.throttledInARow += 1 }
            if shared.throttledInARow >= limit, shared.state.stop == nil {
                shared.state.stop = .relayUnavailable(failures: shared.throttledInARow, last: reply)
            }
        }
    }

    /// The relay refused a session for too many at once. With others
    /// open, that many are allowed from now on, and the message goes back
    /// in line for them: true. With none open, it is a failure of the
    /// relay like any other: false.
    func refusedSession(_ key: String, reply: String, now: Double) -> Bool {
        shared.withLock { shared in
            shared.pace.connectionLimit(open: shared.open, reply: reply, now: now)
            guard shared.open > 0 else { return false }
            shared.inFlight -= 1
            shared.claimed -= 1
            shared.queue.pushFront(key)
            return true
        }
    }

    /// The relay itself failed (`reason`): counted, and the run stops at
    /// `limit` in a row; otherwise, with `wait`, no session connects again
    /// before `wait(failures)` seconds.
    func relayFailed(_ reason: String, now: Double, wait: ((Int) -> Double)?, limit: Int) {
        shared.withLock { shared in
            shared.state.relayFailures += 1
            shared.problem = reason
            let failures = shared.state.relayFailures
            if failures >= limit {
                if shared.state.stop == nil { shared.state.stop = .relayUnavailable(failures: failures, last: reason) }
            } else if let wait {
                shared.notBefore = max(shared.notBefore, now + wait(failures))
            }
        }
    }

    /// What the relay last said when it failed.
    var problem: String? { shared.withLock { $0.problem } }

    /// The attempts `key` has had in this run, this one counted.
    func countAttempt(_ key: String) -> Int {
        shared.withLock { shared in
            let attempts = (shared.state.attempts[key] ?? 0) + 1
            shared.state.attempts[key] = attempts
            return attempts
        }
    }

    /// Whether the ledger is due a checkpoint (a second since the last).
    func checkpointDue(now: Double) -> Bool {
        shared.withLock { shared in
            guard now - shared.lastCheckpoint >= 1 else { return false }
            shared.lastCheckpoint = now
            return true
        }
    }

    /// Where the run stands now.
    func progress(now: Double, waiting: Double? = nil, problem: String? = nil) -> SendRun.Progress {
        shared.withLock { shared in
            let state = shared.state
            let elapsed = max(now - state.started, 0.001)
            var progress = SendRun.Progress(
                sent: state.sentNow, failed: state.failedNow, left: state.left,
                rate: Double(state.sentNow) / elapsed, waiting: waiting, problem: problem)
            progress.sessions = shared.open
            if shared.pace.isSlowed, let last = shared.pace.slowdowns.last {
                progress.slowdown = SendRun.Slowdown(
                    reply: last.reply, sessions: shared.pace.sessions, rate: shared.pace.rate)
            }
            return progress
        }
    }
}
