import WholeFiles

/// An exclusive lock on `send.lock` beside the month's ledger, so two
/// `send`s for one month cannot run at once.
///
/// It is a ``FileLock``: the system lets it go when the process ends in
/// any way, `kill -9` included, so a killed send never leaves a stale
/// lock. The file stays after the run and records how far the first run
/// got (``EarlierRun``): a later run that finds the ledger missing or
/// empty can tell a ledger that was lost from one that was never filled.
public final class SendLock: Sendable {
    /// What the lock file says of the runs before this one.
    public enum EarlierRun: Sendable, Equatable {
        /// There was none: the file is new.
        case none
        /// One took the lock but was stopped before it put any member in
        /// the ledger: nothing can have been sent.
        case stoppedBeforeLedger
        /// One filled the ledger (or an older version of the program,
        /// which left the file empty, ran): messages may have gone out.
        case filledLedger
    }

    private let lock: FileLock
    /// The lock file.
    public var path: String { lock.path }
    /// How far the runs before this one got.
    public let earlierRun: EarlierRun

    static let opened = "opened; no ledger yet\n"
    static let filled = "ledger filled\n"

    /// Takes the lock, or returns nil when another process holds it.
    ///
    /// - Throws: ``SendError/output(_:)`` when the file cannot be opened.
    public init?(path: String) throws(SendError) {
        let taken: FileLock?
        do throws(WriteError) {
            taken = try FileLock(path: path, wait: .never)
        } catch {
            throw .file(doing: "open the send lock", cause: error)
        }
        guard let taken else { return nil }
        lock = taken
        if taken.created {
            earlierRun = .none
        } else {
            earlierRun = taken.contents() == Self.opened ? .stoppedBeforeLedger : .filledLedger
        }
        if taken.created || earlierRun == .stoppedBeforeLedger { try write(Self.opened) }
    }

    /// Records that this month's ledger now holds its members: written and
    /// synced before the first message goes out.
    public func markFilled() throws(SendError) {
        try write(Self.filled)
    }

    private func write(_ text: String) throws(SendError) {
        do throws(WriteError) {
            try lock.write(text)
        } catch {
            throw .file(doing: "write the send lock", cause: error)
        }
    }
}
