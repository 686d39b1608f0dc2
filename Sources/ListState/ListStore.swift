import MIME

/// Where a list's state is kept: its suppressions (with their history),
/// bounces and the members' chosen languages. An instance speaks for one
/// ``list``; one store may hold many lists, and a hard bounce (the mailbox
/// does not exist) is kept for every list (``ListID/everyList``).
///
/// Everything above the store (the send, `digest serve`, `digest bounces
/// read`, `digest members`) uses this protocol and nothing else of it, so
/// a store in SQLite (``SQLiteListStore``, the default: a file in the
/// state folder) and one in a database server are used alike.
///
/// Every change is committed, where every later reader sees it, before the
/// call returns: a one-click unsubscribe answered 200 is kept. Calls are
/// `async`: a server's request, or the send between two messages, waits
/// for the store without holding a thread.
public protocol ListStore: Sendable {
    /// The list this instance speaks for.
    var list: ListID { get }
    /// Where the state is, as staff read it in a message (a file's path,
    /// a database's address without its password).
    var location: String { get }

    /// The suppression of `address` for this list, if any (its own before
    /// every list's).
    func suppression(of address: String) async throws -> Suppression?
    /// Every suppression in force for this list, one a mailbox, oldest first.
    func suppressions() async throws -> [Suppression]
    /// Every mailbox suppressed for this list.
    func mailboxes() async throws -> Set<String>
    /// A number that changes whenever the list's suppressions may have
    /// changed: cheap to read before each message, so a send learns of an
    /// unsubscribe made while it runs.
    func changeMark() async throws -> Int

    /// Suppresses every address of `requests` in one transaction (an
    /// address already suppressed keeps its first reason; the event is
    /// still kept).
    ///
    /// - Returns: for each request, in order, the suppression in force,
    ///   whether this request made it, and the language the member chose.
    func suppress(_ requests: [Suppression.Request], now: Double) async throws -> [Suppression.Applied]
    /// Lifts the suppression of `address` for this list (and a hard
    /// bounce's, kept for every list): only on the member's own action or
    /// staff's word.
    ///
    /// - Returns: the suppression lifted, if there was one.
    @discardableResult
    func resubscribe(_ address: String, source: Suppression.Source, now: Double) async throws -> Suppression?

    /// The language a member chose on this list's preferences page, if any.
    func language(of address: String) async throws -> String?
    /// Every language members chose on this list's preferences page, by mailbox.
    func languages() async throws -> [String: String]
    /// Records the language a member chose for this list.
    func setLanguage(_ language: String, of address: String, now: Double) async throws

    /// Records `bounces` in one transaction (applied whole or not at all),
    /// and suppresses each address whose bounces meet `limits`
    /// (``Bounce/Limits/reason(after:hardBounces:softMonths:sends:)``):
    /// `sends` are the months this list sent, newest first.
    ///
    /// - Returns: each bounce's outcome, in order.
    func recordBounces(
        _ bounces: [Bounce], source: Suppression.Source, limits: Bounce.Limits, sends: [String], now: Double
    ) async throws -> [Bounce.Outcome]
    /// How many bounces of each kind are recorded for this list.
    func bounceCounts() async throws -> [Bounce.Kind: Int]

    /// The lists this store has held, and which one took the rows of a
    /// store made before lists were told apart (`adopted`).
    func lists() async throws -> [(id: String, adopted: Bool)]

    /// Records a request to join, unless one for the same mailbox was made
    /// since `since` (one confirmation an address an hour).
    ///
    /// - Returns: false when refused for that reason (nothing recorded).
    func requestJoin(_ pending: Join.Pending, unlessRequestedSince since: Double) async throws -> Bool
    /// Withdraws the request of `tokenHash` (its message could not be sent).
    func withdrawJoin(tokenHash: String) async throws
    /// The request whose token has the SHA-256 `tokenHash`, still valid at `now`.
    func pendingJoin(tokenHash: String, now: Double) async throws -> Join.Pending?
    /// Makes the request of `tokenHash` a member, in one transaction: the
    /// record of consent kept, the request spent, and a suppression of the
    /// address for this list (or for every list) lifted: joining again is
    /// the member's own confirmed action.
    ///
    /// - Returns: the member, or nil when no valid request has that token.
    func confirmJoin(tokenHash: String, now: Double) async throws -> Join.Confirmed?
    /// Every member who joined this list themselves, in the order they confirmed.
    func joined() async throws -> [Join.Confirmed]

    /// Records a webhook's one-time `token` of `provider` as seen at `now`
    /// (Mailgun's: a request seen before is a replay), forgetting tokens
    /// older than an hour (their signed timestamps are refused anyway).
    ///
    /// - Returns: false when the token was seen before.
    func spendWebhookToken(_ token: String, provider: String, now: Double) async throws -> Bool
    /// Forgets a token spent by a request whose events could not be
    /// recorded: the provider's retry of it is no replay.
    func releaseWebhookToken(_ token: String, provider: String) async throws
}

extension ListStore {
    /// Suppresses `address` for this list, committed before it returns.
    ///
    /// - Returns: true when the address was not suppressed before.
    @discardableResult
    public func suppress(
        _ address: String, reason: Suppression.Reason, source: Suppression.Source, detail: String? = nil,
        now: Double
    ) async throws -> Bool {
        let request = Suppression.Request(address: address, reason: reason, source: source, detail: detail)
        return try await suppress([request], now: now).first?.isNew ?? false
    }

    /// How many addresses are suppressed for this list, by reason.
    public func counts() async throws -> [Suppression.Reason: Int] {
        var counts: [Suppression.Reason: Int] = [:]
        for suppression in try await suppressions() { counts[suppression.reason, default: 0] += 1 }
        return counts
    }

    /// Records one bounce (``recordBounces(_:source:limits:sends:now:)``).
    public func recordBounce(
        _ bounce: Bounce, source: Suppression.Source, limits: Bounce.Limits, sends: [String], now: Double
    ) async throws -> Bounce.Outcome {
        let outcomes = try await recordBounces([bounce], source: source, limits: limits, sends: sends, now: now)
        return outcomes.first ?? Bounce.Outcome(counted: false, suppressed: nil)
    }
}
