import Testing

@testable import DigestSend

@Suite("The pace of a send across its sessions")
struct SendPaceTests {
    @Test("a rate spaces every start 1 / rate apart, whatever the sessions ask at once")
    func spacing() {
        var pace = SendPace(sessions: 8, rate: 50)
        // 1,000 messages all ready at once, by eight sessions.
        let starts = (0..<1_000).map { _ in pace.start(now: 100) }
        #expect(starts.first == 100)
        #expect(abs(starts[999] - 100 - 19.98) < 1e-6)
        #expect(zip(starts, starts.dropFirst()).allSatisfy { abs($1 - $0 - 0.02) < 1e-9 })
        // No rate: at once.
        var free = SendPace(sessions: 4, rate: nil)
        #expect(free.start(now: 5) == 5 && free.start(now: 5) == 5)
    }

    @Test("too many connections: the sessions open then, at least one; one more after 30 s of good replies")
    func sessions() {
        var pace = SendPace(sessions: 8, rate: nil)
        pace.connectionLimit(open: 3, reply: "421 4.7.0 too many connections", now: 10)
        #expect(pace.sessions == 3 && pace.isSlowed)
        #expect(pace.slowdowns == [SendRun.Slowdown(reply: "421 4.7.0 too many connections", sessions: 3, rate: nil)])
        let early = pace.accepted(now: 39)
        #expect(!early && pace.sessions == 3)
        let due = pace.accepted(now: 40)
        #expect(due && pace.sessions == 4)
        // Refused again soon after the raise: the relay's own limit; the next raise waits twice as long.
        pace.connectionLimit(open: 3, reply: "421 4.7.0 too many connections", now: 41)
        #expect(pace.sessions == 3 && pace.recovery == 60)
        let (before, after) = (pace.accepted(now: 100), pace.accepted(now: 101))
        #expect(!before && after && pace.sessions == 4)
        // None open: one.
        var alone = SendPace(sessions: 4, rate: nil)
        alone.connectionLimit(open: 0, reply: "421", now: 0)
        #expect(alone.sessions == 1)
    }

    @Test("a rate limit halves what the relay was taking; the rate comes back a quarter at a time to the settings")
    func rate() {
        var pace = SendPace(sessions: 4, rate: 100)
        // The relay took 40 a second.
        for index in 0..<40 { _ = pace.accepted(now: 10 + Double(index) / 40) }
        #expect(abs((pace.measured ?? 0) - 40) < 1.1)
        pace.rateLimit(reply: "454 Throttling failure: Maximum sending rate exceeded.", started: 10.9, now: 11)
        #expect(abs((pace.rate ?? 0) - 20) < 0.6 && pace.sessions == 4 && pace.isSlowed)
        // The other sessions' refusals of the same burst (started before the cut) cut no further.
        pace.rateLimit(reply: "454 Throttling failure: Maximum sending rate exceeded.", started: 10.95, now: 11.01)
        #expect(abs((pace.rate ?? 0) - 20) < 0.6 && pace.slowdowns.count == 1)
        pace.rateLimit(reply: "454 Throttling failure: Maximum sending rate exceeded.", started: 11.5, now: 11.6)
        #expect(pace.slowdowns.count == 1)
        // A second later the relay has seen the lower rate: a refusal then cuts again, and the rate goes back up from there.
        pace.rateLimit(reply: "454 Throttling failure: Maximum sending rate exceeded.", started: 12.1, now: 12.2)
        #expect(abs((pace.rate ?? 0) - 10) < 0.3 && pace.slowdowns.count == 2)
        // The next message waits its turn at the lower rate.
        let next = pace.start(now: 11)
        #expect(next > 11.04)
        var rate = pace.rate ?? 0
        var now = 12.2
        while pace.rate != 100 {
            now += 30.5
            let went = pace.accepted(now: now)
            #expect(went)
            let raised = pace.rate ?? 0
            #expect(raised == min(rate * 1.25, 100))
            rate = raised
        }
        #expect(!pace.isSlowed)
        // Never below a message every five seconds.
        var slow = SendPace(sessions: 1, rate: 0.3)
        slow.rateLimit(reply: "454", started: 0, now: 0)
        #expect(slow.rate == SendPace.floor)
    }

    @Test("with no rate set, a rate limit caps the send until the cap passes what the relay took before")
    func noRate() {
        var pace = SendPace(sessions: 2, rate: nil)
        for index in 0..<11 { _ = pace.accepted(now: Double(index) / 10) }
        pace.rateLimit(reply: "421 4.7.0 too many messages", started: 1, now: 1)
        #expect(abs((pace.rate ?? 0) - 5) < 0.01)
        var now = 1.0
        var raises = 0
        while pace.rate != nil {
            now += 30.5
            _ = pace.accepted(now: now)
            raises += 1
        }
        // 5 → 6.25 → 7.8 → 9.8 → past 10: the cap is lifted.
        #expect(raises == 4 && !pace.isSlowed)
    }
}
