import ListState
import Synchronization

/// The suppression list as it is now, for a send that runs for a long
/// time: before each message it reads SQLite's `data_version` (one cheap
/// query) and reads the list again when another process changed it, so
/// an address unsubscribed through `digest serve` while the month is being
/// sent gets no message from then on.
///
/// A list that cannot be read keeps the last one read: the run goes on
/// with what it knew, and the list's own error is reported by the next
/// command that opens it.
final class SuppressionWatch: Sendable {
    private let list: SuppressionList
    private let state: Mutex<(version: Int?, mailboxes: Set<String>)>

    init(list: SuppressionList, mailboxes: Set<String>) {
        self.list = list
        let version: Int?
        do {
            version = try list.version()
        } catch {
            version = nil
        }
        state = Mutex((version, mailboxes))
    }

    /// True when `mailbox` is suppressed now.
    func contains(_ mailbox: String) -> Bool {
        state.withLock { state in
            do {
                let now = try list.version()
                if now != state.version {
                    state.mailboxes = try list.mailboxes()
                    state.version = now
                }
            } catch {
                // Kept: the last list read (see the type's note).
            }
            return state.mailboxes.contains(mailbox)
        }
    }
}
