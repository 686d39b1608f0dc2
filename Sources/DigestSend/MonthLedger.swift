/// The record of one list's sending of one month, a row per member, and
/// the month's lock: what ``SendRun`` reads and writes, whatever keeps it.
/// ``SendLedger`` keeps it in an SQLite file of the state folder (its lock
/// a ``SendLock`` beside it); a database keeps it in its tables, the lock
/// an advisory lock of the session.
///
/// Every change is committed before the call returns: the run marks a
/// message `sent` only after the relay's 250, and sends the next one only
/// after that mark is kept.
public protocol MonthLedger: Sendable {
    /// Where the ledger is, as staff read it (a file's path, a database's
    /// address and the list and month).
    var location: String { get }

    /// Every row's key and state, in the order the rows were added.
    func states() async throws -> [(key: String, state: SendLedger.State)]
    /// The rows in `states`, in the order they were added.
    func entries(in states: [SendLedger.State]) async throws -> [SendLedger.Entry]
    /// Adds a `pending` row for each member not in the ledger yet; rows
    /// already there keep their state.
    func add(_ members: [(key: String, address: String, line: Int, messageID: String)], now: Double) async throws
    /// Records the relay's 250.
    func markSent(_ key: String, reply: String, now: Double) async throws
    /// Records a refusal for now, to try again at `nextTry` (nil: in the next run).
    func markTemporary(_ key: String, reply: String, nextTry: Double?, now: Double) async throws
    /// Records a refusal for good.
    func markPermanent(_ key: String, reply: String, now: Double) async throws
    /// Records a message sent whole whose end got no reply.
    func markUncertain(_ key: String, reply: String, now: Double) async throws
    /// Makes the `uncertain` rows among `keys` pending again, on staff's word.
    ///
    /// - Returns: how many rows changed.
    @discardableResult
    func releaseUncertain(among keys: Set<String>, now: Double) async throws -> Int
    /// Makes what is committed safe from a power cut, and checks that the
    /// ledger is still the one opened (its file in place, its lock held).
    func checkpoint() async throws
    /// How many rows are in each state.
    func counts() async throws -> [SendLedger.State: Int]
    /// True when the ledger has no row at all.
    func isEmpty() async throws -> Bool
    /// What the ledger records of itself (`transport`), or nil.
    func meta(_ key: String) async throws -> String?
    /// Records `value` under `key`.
    func setMeta(_ key: String, _ value: String) async throws
    /// Lets the ledger (and its lock, where the ledger holds it) go.
    func close() async
}

/// The month's lock as the run sees it: held for the whole run, and told
/// once the ledger holds every member (before the first message), so a
/// later run can tell a ledger lost from one never filled.
public protocol MonthLock: Sendable {
    /// Records that the month's ledger now holds its members.
    func markFilled() async throws
}

extension SendLedger: MonthLedger {
    /// The file's path.
    public var location: String { path }

    /// Nothing to do: the file closes with the value.
    public func close() async {}
}

extension SendLock: MonthLock {}
