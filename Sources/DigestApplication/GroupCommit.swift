import Dispatch
import Synchronization

/// Many small writes committed together: each caller waits for the commit
/// that holds its item, and items that arrive while one commit is being
/// synced go into the next. A synced SQLite commit takes about half a
/// millisecond here, so one commit a request would cap one-click
/// unsubscribes near 2,000 a second; batched, the cap is the disk's
/// rate times the batch.
///
/// Work runs on a serial dispatch queue of its own, never on the
/// cooperative pool the HTTP server's tasks need.
final class GroupCommit<Item: Sendable, Result: Sendable>: Sendable {
    private struct Waiting {
        var items: [(Item, CheckedContinuation<Result, any Error>)] = []
        var running = false
    }

    private let waiting = Mutex(Waiting())
    private let queue: DispatchQueue
    private let maximum: Int
    private let commit: @Sendable ([Item]) throws -> [Result]

    /// - Parameters:
    ///   - maximum: the most items one commit holds.
    ///   - commit: writes the items in one transaction and returns a
    ///     result for each, in order; a throw fails every item of the batch.
    init(label: String, maximum: Int = 512, commit: @escaping @Sendable ([Item]) throws -> [Result]) {
        queue = DispatchQueue(label: label)
        self.maximum = maximum
        self.commit = commit
    }

    /// Adds `item` to the next commit and returns its result once that
    /// commit is on the disk.
    func submit(_ item: Item) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let start = waiting.withLock { waiting -> Bool in
                waiting.items.append((item, continuation))
                guard !waiting.running else { return false }
                waiting.running = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let batch = waiting.withLock { waiting -> [(Item, CheckedContinuation<Result, any Error>)] in
                let batch = Array(waiting.items.prefix(maximum))
                waiting.items.removeFirst(batch.count)
                if batch.isEmpty { waiting.running = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let results = try commit(batch.map(\.0))
                for (index, (_, continuation)) in batch.enumerated() {
                    if index < results.count {
                        continuation.resume(returning: results[index])
                    } else {
                        continuation.resume(throwing: GroupCommitError.missingResult)
                    }
                }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
    }
}

/// A commit that returned fewer results than it was given items (a bug).
enum GroupCommitError: Error {
    case missingResult
}
