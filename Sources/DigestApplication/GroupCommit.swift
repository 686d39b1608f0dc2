import Synchronization

/// Many small writes committed together: each caller waits for the commit
/// that holds its item, and items that arrive while one commit is being
/// synced go into the next. A synced SQLite commit takes about half a
/// millisecond here, so one commit a request would cap one-click
/// unsubscribes near 2,000 a second; batched, the cap is the disk's
/// rate times the batch.
///
/// One task at a time drains the waiting items; the store's own async API
/// does the writing off the cooperative pool (GRDB's writer queue), so the
/// HTTP server's tasks never wait on a disk sync.
final class GroupCommit<Item: Sendable, Result: Sendable>: Sendable {
    private struct Waiting {
        var items: [(Item, CheckedContinuation<Result, any Error>)] = []
        var running = false
    }

    private let waiting = Mutex(Waiting())
    private let maximum: Int
    private let commit: @Sendable ([Item]) async throws -> [Result]

    /// - Parameters:
    ///   - maximum: the most items one commit holds.
    ///   - commit: writes the items in one transaction and returns a
    ///     result for each, in order; a throw fails every item of the batch.
    init(maximum: Int = 512, commit: @escaping @Sendable ([Item]) async throws -> [Result]) {
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
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = waiting.withLock { waiting -> [(Item, CheckedContinuation<Result, any Error>)] in
                let batch = Array(waiting.items.prefix(maximum))
                waiting.items.removeFirst(batch.count)
                if batch.isEmpty { waiting.running = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let results = try await commit(batch.map(\.0))
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
