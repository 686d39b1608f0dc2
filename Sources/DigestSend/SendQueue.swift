import CoalitionData
import DigestMailing
import Foundation

/// The counts and limits of one run, kept as it goes.
struct RunState {
    var started: Double
    var left: Int
    var sentNow = 0
    var failedNow = 0
    var relayFailures = 0
    var droppedMeanwhile = 0
    var attempts: [String: Int] = [:]
    var stop: SendRun.Stop?

    init(started: Double, left: Int) {
        self.started = started
        self.left = left
    }
}

/// The keys to send now, in ledger order, and those waiting for a retry.
struct SendQueue {
    private var now: [String]
    private var head = 0
    private var front: [String] = []
    /// Retries, soonest last (so the soonest is taken from the end).
    private var later: [(time: Double, key: String)] = []

    init(_ keys: [String]) { now = keys }

    var count: Int { now.count - head + front.count + later.count }

    /// The time the next retry is due, when only retries are left.
    var nextRetry: Double? { later.last?.time }

    /// The next key to send at `time`: a retry that is due, else the next
    /// in line.
    mutating func next(now time: Double) -> String? {
        if let key = front.popLast() { return key }
        if let last = later.last, last.time <= time {
            later.removeLast()
            return last.key
        }
        guard head < now.count else { return nil }
        head += 1
        return now[head - 1]
    }

    /// Puts `key` first in line again.
    mutating func pushFront(_ key: String) { front.append(key) }

    /// Tries `key` again at `time`.
    mutating func schedule(_ key: String, at time: Double) {
        let index = later.firstIndex { $0.time < time } ?? later.count
        later.insert((time, key), at: index)
    }
}

extension SendRun {
    /// The rows of members new to the ledger, added a chunk at a time in
    /// the order they will be sent.
    struct Rows {
        let members: [Member]
        /// The new members, as positions in `members`, in sending order.
        let fresh: [Int]
        let chunk: Int
        private let position: [String: Int]
        /// How many of `fresh` have their row.
        var added = 0

        init(members: [Member], fresh: [Int], chunk: Int) {
            self.members = members
            self.fresh = fresh
            self.chunk = chunk
            position = Dictionary(
                fresh.enumerated().map { (members[$1].key, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// Whether `key` is a new member whose row is not added yet.
        func needsAdding(_ key: String) -> Bool {
            guard let index = position[key] else { return false }
            return index >= added
        }

        /// The rows to add, whole chunks, until `key`'s is among them, and
        /// the new ``added`` once they are.
        func batch(
            upTo key: String, messageID: (Member) -> String
        ) -> (rows: [(key: String, address: String, line: Int, messageID: String)], end: Int) {
            guard let index = position[key] else { return ([], added) }
            let end = min(fresh.count, max(added + chunk, index + 1))
            return (fresh[added..<end].map { members[$0] }.map { ($0.key, $0.email, $0.line, messageID($0)) }, end)
        }
    }
}
