import DigestSend
import Foundation
import ListState
import MIME
import Synchronization

/// A list's ledgers of the months reports name, each read once: from the
/// state folder's files, or from the database (waited for: this runs on
/// the reading thread, never on a task's).
struct LedgerIndex: @unchecked Sendable {
    let home: StateHome
    let list: ListID
    private var months: [String: Result<[String: SendLedger.Delivery]?, Unattributed>] = [:]

    init(home: StateHome, list: ListID) {
        self.home = home
        self.list = list
    }

    /// What the ledger of `month` records as sent, by member key; nil when
    /// the list sent nothing that month.
    mutating func deliveries(_ month: String) -> Result<[String: SendLedger.Delivery]?, Unattributed> {
        if let known = months[month] { return known }
        let result: Result<[String: SendLedger.Delivery]?, Unattributed>
        do {
            switch home {
            case .folder(let state):
                result = .success(try SendLedger.deliveries(path: state.ledgerPath(month: month, list: list)))
            case .database(let server):
                let list = self.list.value
                result = .success(try Self.wait { try await server.deliveries(list: list, month: month) })
            }
        } catch {
            result = .failure(
                Unattributed(
                    text:
                        "the ledger of \(month) cannot be read now (\(error)); if that month is being sent, read this mailbox again once it has finished"
                ))
        }
        months[month] = result
        return result
    }

    /// Waits, on this (non-task) thread, for `body` run as a task.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            box.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        guard let result = box.withLock({ $0 }) else { throw CancellationError() }
        return try result.get()
    }
}
