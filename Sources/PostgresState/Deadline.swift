import Synchronization

/// Runs work that must not wait without end: its result, or ``Deadline/Passed``
/// once the time is up, whether or not the work heeds cancellation.
///
/// A task group would not do: it returns only when every child has, and a
/// query on a connection the server dropped at the wrong moment may never
/// return nor notice it is cancelled (seen as a `digest send` that hung
/// while PostgreSQL restarted). Here the work runs in a task of its own,
/// cancelled when the time is up and left to end by itself; the caller goes
/// on at once. Cancelling the caller cancels the work.
enum Deadline {
    /// The time ran out before the work answered.
    struct Passed: Error {}

    /// The continuation, resumed once: by the work, the deadline or a cancel.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var work: Task<Void, Never>?
            var timer: Task<Void, Never>?
            var finished = false
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        func keep(_ work: Task<Void, Never>) {
            state.withLock { $0.work = work }
        }

        /// Keeps the deadline's timer, to stop it once the race is over;
        /// stops it at once when the race already is.
        func keep(timer: Task<Void, Never>) {
            let over = state.withLock { current -> Bool in
                current.timer = timer
                return current.finished
            }
            if over { timer.cancel() }
        }

        /// Resumes with `result` if nothing has yet; returns whether it did.
        /// The timer is stopped either way: a timer left sleeping for the
        /// whole limit after each query held tens of megabytes in a send of
        /// 20,000 messages.
        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let (continuation, timer) = state.withLock {
                current -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?) in
                defer {
                    current.continuation = nil
                    current.timer = nil
                    current.finished = true
                }
                return (current.continuation, current.timer)
            }
            timer?.cancel()
            guard let continuation else { return false }
            continuation.resume(with: result)
            return true
        }

        /// Cancels the work (the time ran out, or the caller was cancelled).
        func cancelWork() {
            state.withLock { $0.work }?.cancel()
        }
    }

    /// `body`'s value, or ``Passed`` after `limit` (`sleep` waits for it;
    /// the tests watch it stop).
    static func run<T: Sendable>(
        limit: Duration,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                let work = Task {
                    do {
                        race.finish(.success(try await body()))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                race.keep(work)
                race.keep(
                    timer: Task {
                        // Cancelled once the work answers: then it ends here.
                        guard (try? await sleep(limit)) != nil else { return }
                        if race.finish(.failure(Passed())) { race.cancelWork() }
                    })
            }
        } onCancel: {
            race.cancelWork()
            race.finish(.failure(CancellationError()))
        }
    }
}
