import ListState
import Synchronization

/// The suppression list as it is now, for a send that runs for a long
/// time: before each message ``refresh()`` reads the store's change mark
/// (one cheap query) and reads the list again when another process
/// changed it, so an address unsubscribed through `digest serve` while the
/// month is being sent gets no message from then on.
///
/// A list that cannot be read again keeps the last one read: the run goes
/// on with what it knew, and ``problem`` says why, for the run's report.
final class SuppressionWatch: Sendable {
    private let list: any ListStore
    private let state: Mutex<(mark: Int?, mailboxes: Set<String>, problem: String?)>

    /// A watch that starts from `mailboxes`, read at `mark`.
    init(list: any ListStore, mark: Int?, mailboxes: Set<String>) {
        self.list = list
        state = Mutex((mark, mailboxes, nil))
    }

    /// Reads the list again when it changed since the last read.
    func refresh() async {
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
