import ListState
import Synchronization

/// The suppression list as it is now, for a send that runs for a long
/// time: before each message ``refresh()`` reads the store's change mark
/// (one cheap query) and reads the list again when another process
/// changed it, so an address unsubscribed through `digest serve` while the
/// month is being sent gets no message from then on.
///
/// The mark is read at most every tenth of a second (``interval``): a
/// database is a round trip away, and a send of 1,500 messages a second
/// would otherwise spend a third of its time asking. An unsubscribe is
/// honoured by every message that starts a tenth of a second after it.
///
/// A list that cannot be read again keeps the last one read: the run goes
/// on with what it knew, and ``problem`` says why, for the run's report.
final class SuppressionWatch: Sendable {
    private let list: any ListStore
    private let state: Mutex<(mark: Int?, mailboxes: Set<String>, problem: String?)>
    private let lastRead = Mutex<ContinuousClock.Instant?>(nil)
    /// The least time between two reads of the change mark.
    let interval: Duration

    /// A watch that starts from `mailboxes`, read at `mark`.
    init(list: any ListStore, mark: Int?, mailboxes: Set<String>, interval: Duration = .milliseconds(100)) {
        self.list = list
        self.interval = interval
        state = Mutex((mark, mailboxes, nil))
        lastRead.withLock { $0 = .now }
    }

    /// Reads the list again when it changed since the last read (at most
    /// every ``interval``).
    func refresh() async {
        let now = ContinuousClock.now
        let due = lastRead.withLock { last -> Bool in
            if let last, now - last < interval { return false }
            last = now
            return true
        }
        guard due else { return }
        do {
            let now = try await list.changeMark()
            guard now != state.withLock({ $0.mark }) else { return }
            let mailboxes = try await list.mailboxes()
            state.withLock { state in
                state.mailboxes = mailboxes
                state.mark = now
            }
        } catch {
            state.withLock { $0.problem = "\(list.location): \(error)" }
        }
    }

    /// True when `mailbox` was suppressed at the last read.
    func contains(_ mailbox: String) -> Bool {
        state.withLock { $0.mailboxes.contains(mailbox) }
    }

    /// Why the list could not be read again, the last time it could not.
    var problem: String? { state.withLock { $0.problem } }
}
