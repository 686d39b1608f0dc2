import Dispatch
import Foundation
import Testing

@testable import PostgresState

/// A call to the database is bounded even when the work ignores
/// cancellation: the caller goes on at the deadline (a send once hung while
/// PostgreSQL restarted, in a task group that waited for its stuck child).
@Suite("Deadlines that hold")
struct DeadlineTests {
    /// Answers after `seconds` whatever happens: no cancellation reaches it.
    static func deaf(_ seconds: Double) async -> Int {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume(returning: 7) }
        }
    }

    @Test("work that never hears the cancel: Passed at the deadline, not when the work ends")
    func deafWork() async {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: Deadline.Passed.self) {
            try await Deadline.run(limit: .milliseconds(200)) { await Self.deaf(90) }
        }
        // Long before the work's 90 seconds (generous: the suites run side by
        // side on two cores, and a task may wait its turn for seconds).
        #expect(clock.now - start < .seconds(45))
    }

    @Test("a value or an error in time passes through")
    func inTime() async throws {
        #expect(try await Deadline.run(limit: .seconds(5)) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await Deadline.run(limit: .seconds(5)) { throw Refused() } }
    }

    /// Counts the deadlines' timers that stopped before their time.
    final class Timers: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func stopped() { lock.withLock { count += 1 } }
        var stoppedCount: Int { lock.withLock { count } }
    }

    @Test("the timer stops once the work answers (an hour's timer a query held 75 MB in a 20,000-member send)")
    func timerStops() async throws {
        let timers = Timers()
        for number in 0..<100 {
            let value = try await Deadline.run(
                limit: .seconds(3600),
                sleep: { limit in
                    do {
                        try await Task.sleep(for: limit)
                    } catch {
                        timers.stopped()
                        throw error
                    }
                }
            ) { number }
            #expect(value == number)
        }
        let clock = ContinuousClock()
        let start = clock.now
        while timers.stoppedCount < 100, clock.now - start < .seconds(20) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(timers.stoppedCount == 100)
    }

    @Test("cancelling the caller ends the wait at once")
    func cancelled() async {
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task { try await Deadline.run(limit: .seconds(600)) { await Self.deaf(90) } }
        try? await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(clock.now - start < .seconds(45))
    }
}
