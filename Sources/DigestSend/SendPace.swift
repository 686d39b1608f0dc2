/// How fast a send goes across its sessions, and how it slows down when
/// the relay asks and speeds up again: the sessions allowed at once, the
/// messages a second, and the time each message may start.
///
/// - The rate is kept by spacing the messages' starts `1 / rate` apart
///   across every session: a cap, never a burst above it.
/// - Sessions open one at a time (each after the one before carried its
///   first message), so a relay that takes three sessions at once is
///   asked for a fourth once, not for twelve.
/// - A refusal for too many connections makes the sessions allowed those
///   open when it came (at least one); one for a rate makes the rate half
///   of what the relay was taking (at least ``floor``).
/// - After ``recovery`` seconds of good replies without such a refusal,
///   one more session is allowed, or the rate is raised by a quarter, up
///   to what the settings ask. A refusal soon after a raise doubles the
///   wait before the next (up to ten minutes): a relay's fixed limit is
///   asked again rarely.
struct SendPace: Sendable {
    /// `mail.smtp.connections`.
    let sessionsWanted: Int
    /// `mail.smtp.per_second` or `--rate`; nil for as fast as the relay goes.
    let rateWanted: Double?
    /// Sessions allowed now.
    private(set) var sessions: Int
    /// Messages a second allowed now; nil for no cap.
    private(set) var rate: Double?
    /// Seconds of good replies before the pace goes up again.
    private(set) var recovery: Double
    /// Every slowing down, in order.
    private(set) var slowdowns: [SendRun.Slowdown] = []
    /// The most sessions open at once.
    var peakSessions = 0

    /// The least rate a rate limit lowers to (a message every 5 s).
    static let floor = 0.2
    /// Seconds after a cut before a refusal may cut the rate again.
    static let settle = 1.0
    /// The longest wait between two raises.
    static let longestRecovery = 600.0

    private var nextSlot = -Double.infinity
    private var lastChange = -Double.infinity
    private var lastRaise = -Double.infinity
    private var lastRateCut = -Double.infinity
    /// What the relay took before the first rate limit: where a send with
    /// no rate of its own stops raising and lifts the cap.
    private var ceiling: Double?
    /// The starts of the latest accepted messages, for the rate the relay takes.
    private var recent: [Double] = []
    private var recentNext = 0

    init(sessions: Int, rate: Double?, recovery: Double = 30) {
        sessionsWanted = max(1, sessions)
        rateWanted = rate.flatMap { $0 > 0 ? $0 : nil }
        self.sessions = sessionsWanted
        self.rate = rateWanted
        self.recovery = recovery
    }

    /// True while the relay's refusals hold the pace below the settings.
    var isSlowed: Bool { sessions < sessionsWanted || rate != rateWanted }

    /// The time a message may start that is ready at `now`, taken: the
    /// next one starts no sooner than `1 / rate` after it.
    mutating func start(now: Double) -> Double {
        guard let rate else { return now }
        let at = max(now, nextSlot)
        nextSlot = at + 1 / rate
        return at
    }

    /// Records a message the relay took at `now`; raises the pace when it
    /// has been good for ``recovery`` seconds.
    ///
    /// - Returns: true when the pace went up.
    mutating func accepted(now: Double) -> Bool {
        if recent.count < 64 {
            recent.append(now)
        } else {
            recent[recentNext] = now
            recentNext = (recentNext + 1) % recent.count
        }
        guard isSlowed, now - max(lastChange, lastRaise) >= recovery else { return false }
        lastRaise = now
        if sessions < sessionsWanted { sessions += 1 }
        if let current = rate, current != rateWanted {
            let raised = current * 1.25
            if let wanted = rateWanted {
                rate = min(raised, wanted)
            } else if let ceiling, raised < ceiling {
                rate = raised
            } else {
                rate = nil
            }
            nextSlot = min(nextSlot, now)
        }
        return true
    }

    /// The relay refused a session for too many at once while `open`
    /// others were open: that many are allowed from now on.
    mutating func connectionLimit(open: Int, reply: String, now: Double) {
        noteRefusal(now: now)
        sessions = max(1, min(sessions, open))
        slowdowns.append(SendRun.Slowdown(reply: reply, sessions: sessions, rate: rate))
    }

    /// The relay refused a message that started at `started` for going
    /// too fast: the rate becomes half what it was taking. Messages that
    /// started less than ``settle`` seconds after the last cut lower it no
    /// further: the sessions' refusals of one burst are one signal, not
    /// eight, and a relay that counts over the last second needs that
    /// second to see the lower rate.
    mutating func rateLimit(reply: String, started: Double, now: Double) {
        guard started >= lastRateCut + Self.settle else { return }
        lastRateCut = now
        noteRefusal(now: now)
        let taking = measured
        if ceiling == nil { ceiling = taking }
        let from = [rate, taking].compactMap { $0 }.min() ?? 1
        rate = max(Self.floor, from / 2)
        // The next message waits its turn at the lower rate.
        nextSlot = now + 1 / (rate ?? 1)
        slowdowns.append(SendRun.Slowdown(reply: reply, sessions: sessions, rate: rate))
    }

    /// A refusal soon after a raise: the limit is the relay's own, so
    /// the next raise waits twice as long.
    private mutating func noteRefusal(now: Double) {
        if now - lastRaise < recovery { recovery = min(recovery * 2, Self.longestRecovery) }
        lastChange = now
    }

    /// Messages a second the relay took lately: those of the last second
    /// (a relay that counts by the second took that many), or, at a slower
    /// pace, the latest 64 over the time they took; nil before two.
    var measured: Double? {
        guard recent.count >= 2, let first = recent.min(), let last = recent.max(), last > first else { return nil }
        let lastSecond = recent.count { $0 > last - 1 }
        if lastSecond >= 2 { return Double(lastSecond) }
        return Double(recent.count - 1) / (last - first)
    }
}
