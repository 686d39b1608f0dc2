import CoalitionData
import Foundation
import ListState

extension Project {
    /// The suppression list of the state folder, made when missing.
    public func suppressions(_ coalition: Coalition) throws(ProjectError) -> SuppressionList {
        let state = stateFolder(coalition)
        do {
            try state.prepare()
        } catch {
            throw .output(error)
        }
        do {
            return try SuppressionList(path: state.suppressionsPath)
        } catch {
            throw .state(path: state.suppressionsPath, cause: error)
        }
    }

    /// What `digest members status` shows: counts, never an address.
    public struct MemberCounts: Sendable {
        /// Where the list is.
        public var path: String
        /// Rows in the list.
        public var members: Int
        /// Rows whose status is `subscribed`.
        public var subscribed: Int
        /// The members the next send goes to: subscribed, one a mailbox,
        /// not suppressed.
        public var recipients: Int
        /// Suppressed addresses, by reason.
        public var suppressed: [SuppressionList.Reason: Int]
        /// Members the list still shows as subscribed though suppressed:
        /// `digest members sync` writes their status.
        public var suppressedButSubscribed: Int
        /// Bounces recorded, by kind.
        public var bounces: [SuppressionList.BounceKind: Int]
        /// The suppression list.
        public var suppressionsPath: String
    }

    /// The member list and the suppression list, counted.
    public func memberCounts() throws(ProjectError) -> MemberCounts {
        let (dataset, path, members) = try loadMembers()
        let list = try suppressions(dataset.coalition)
        do {
            let suppressed = try list.mailboxes()
            let recipients = MemberList.recipients(members)
            return MemberCounts(
                path: path, members: members.count, subscribed: members.count { $0.receivesDigest },
                recipients: recipients.count { !suppressed.contains($0.mailbox) }, suppressed: try list.counts(),
                suppressedButSubscribed: members.count { $0.receivesDigest && suppressed.contains($0.mailbox) },
                bounces: try list.bounceCounts(), suppressionsPath: list.path)
        } catch {
            throw .state(path: list.path, cause: error)
        }
    }

    /// The data, the member list's path and its members, or the problems.
    func loadMembers() throws(ProjectError) -> (CoalitionDataset, String, [Member]) {
        let dataset = try loadChecked().dataset
        let path = MemberList.path(dataFolder: dataPath, coalition: dataset.coalition)
        let list = MemberList.load(path: path, required: true)
        guard let members = list.members, !list.log.hasErrors else { throw .members(list.log) }
        return (dataset, path, members)
    }

    /// Writes the suppression list into `members.csv` for staff who keep
    /// the CSV as their record: a suppressed member still `subscribed`
    /// becomes `unsubscribed` (unsubscribed, complaint, staff) or `bounced`
    /// (hard or soft bounces). Only those status cells change.
    ///
    /// - Returns: the list's path and the lines changed, with their new status.
    public func syncMembers() throws(ProjectError) -> (path: String, changed: [Int: MemberStatus]) {
        let (dataset, path, _) = try loadMembers()
        let list = try suppressions(dataset.coalition)
        let reasons: [String: SuppressionList.Reason]
        do {
            reasons = Dictionary(
                try list.all().map { ($0.mailbox, $0.reason) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw .state(path: list.path, cause: error)
        }
        do {
            let change = try MemberList.setStatus(path: path) { members in
                var changes: [Int: MemberStatus] = [:]
                for member in members where member.receivesDigest {
                    guard let reason = reasons[member.mailbox] else { continue }
                    switch reason {
                    case .hardBounce, .softBounces: changes[member.line] = .bounced
                    case .unsubscribed, .complaint, .staff: changes[member.line] = .unsubscribed
                    }
                }
                return changes
            }
            return (path, change.changed)
        } catch {
            throw .unsubscribe(error)
        }
    }

    /// Marks the member with `address` unsubscribed: on the suppression
    /// list (staff's command) and in `members.csv` (only their status cell).
    public func unsubscribe(_ address: String) throws(ProjectError) -> (
        path: String, outcome: MemberList.UnsubscribeOutcome
    ) {
        let (dataset, path, _) = try loadMembers()
        let outcome: MemberList.UnsubscribeOutcome
        do {
            outcome = try MemberList.unsubscribe(address, path: path)
        } catch {
            throw .unsubscribe(error)
        }
        let list = try suppressions(dataset.coalition)
        do {
            try list.suppress(address, reason: .unsubscribed, source: .command, now: Date().timeIntervalSince1970)
        } catch {
            throw .state(path: list.path, cause: error)
        }
        return (path, outcome)
    }

    /// Resubscribes the member with `address` on staff's word: their
    /// suppression is lifted, and their rows in `members.csv` become
    /// `subscribed`.
    ///
    /// - Returns: the list's path, the lines changed, and the suppression
    ///   lifted (nil when there was none).
    public func resubscribe(_ address: String) throws(ProjectError) -> (
        path: String, lines: [Int], lifted: SuppressionList.Entry?
    ) {
        let (dataset, path, _) = try loadMembers()
        let mailbox = address.trimmingCharacters(in: .whitespaces).lowercased()
        let change: MemberList.StatusChange
        do {
            change = try MemberList.setStatus(path: path) { members throws(MemberList.UnsubscribeError) in
                let matching = members.filter { $0.mailbox == mailbox }
                guard !matching.isEmpty else { throw .notFound(file: path) }
                return Dictionary(
                    matching.filter { !$0.receivesDigest }.map { ($0.line, MemberStatus.subscribed) },
                    uniquingKeysWith: { first, _ in first })
            }
        } catch {
            throw .unsubscribe(error)
        }
        let list = try suppressions(dataset.coalition)
        do {
            let lifted = try list.resubscribe(mailbox, source: .command, now: Date().timeIntervalSince1970)
            return (path, change.changed.keys.sorted(), lifted)
        } catch {
            throw .state(path: list.path, cause: error)
        }
    }
}
