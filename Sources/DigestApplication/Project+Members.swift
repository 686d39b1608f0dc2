import CoalitionData
import DigestRender
import Foundation
import ListState
import MIME
import PostgresState

extension Project {
    /// The list's suppressions where the state is: in a folder, the folder
    /// and the file made when missing; in a database, its tables made on
    /// first use (commands that record something).
    public func suppressions(_ coalition: Coalition) throws(ProjectError) -> any ListStore {
        let list = try listIDOrFail(coalition)
        switch try stateHome(coalition) {
        case .database(let server): return PostgresListStore(server: server, list: list)
        case .folder(let state):
            do {
                try state.prepare(list: list)
            } catch {
                throw .output(error)
            }
            do {
                return try SQLiteListStore(path: state.suppressionsPath, list: list)
            } catch {
                throw .state(path: state.suppressionsPath, cause: error)
            }
        }
    }

    /// The list's suppressions as they are, for reading: nil when a state
    /// folder has none yet (or there are no mail settings). Nothing is made
    /// in a folder; a database's tables are made on first use.
    public func existingSuppressions(_ coalition: Coalition) throws(ProjectError) -> (any ListStore)? {
        guard let list = Self.listID(coalition) else { return nil }
        switch try stateHome(coalition) {
        case .database(let server): return PostgresListStore(server: server, list: list, writable: false)
        case .folder(let state):
            do {
                return try SQLiteListStore.existing(path: state.suppressionsPath, list: list)
            } catch {
                throw .state(path: state.suppressionsPath, cause: error)
            }
        }
    }

    /// The list's identity, or the error that says how to give it one.
    func listIDOrFail(_ coalition: Coalition) throws(ProjectError) -> ListID {
        guard let identifier = DigestMail.listIdentifier(coalition) else { throw .noMailSettings(.noMailSettings) }
        guard let list = ListID(identifier) else { throw .noListID(identifier) }
        return list
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
        public var suppressed: [Suppression.Reason: Int]
        /// Members the list still shows as subscribed though suppressed:
        /// `digest members sync` writes their status.
        public var suppressedButSubscribed: Int
        /// Bounces recorded, by kind.
        public var bounces: [Bounce.Kind: Int]
        /// Members who joined on the subscribe page and are not in
        /// `members.csv` (sent to all the same; `members sync` appends them).
        public var joined: Int = 0
        /// The suppression list.
        public var suppressionsPath: String
        /// The list's identity (nil without mail settings).
        public var listID: ListID?
    }

    /// The member list and the suppression list, counted. Reads only:
    /// nothing is made in the state.
    public func memberCounts() async throws(ProjectError) -> MemberCounts {
        let (dataset, path, members) = try loadMembers()
        let list = try existingSuppressions(dataset.coalition)
        let suppressionsPath = list?.location ?? stateFolder(dataset.coalition).suppressionsPath
        do {
            let suppressed = try await list?.mailboxes() ?? []
            let joined = JoinedMembers.members(try await list?.joined() ?? [], after: members)
            let recipients = MemberList.recipients(members + joined)
            var counts = MemberCounts(
                path: path, members: members.count, subscribed: members.count { $0.receivesDigest },
                recipients: recipients.count { !suppressed.contains($0.mailbox) },
                suppressed: try await list?.counts() ?? [:],
                suppressedButSubscribed: members.count { $0.receivesDigest && suppressed.contains($0.mailbox) },
                bounces: try await list?.bounceCounts() ?? [:], suppressionsPath: suppressionsPath,
                listID: Self.listID(dataset.coalition))
            counts.joined = joined.count
            return counts
        } catch {
            throw .state(path: suppressionsPath, cause: error)
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
    public func syncMembers() async throws(ProjectError) -> (
        path: String, changed: [Int: MemberStatus], appended: [Int]
    ) {
        let (dataset, path, members) = try loadMembers()
        let list = try suppressions(dataset.coalition)
        let reasons: [String: Suppression.Reason]
        let joined: [Member]
        do {
            reasons = Dictionary(
                try await list.suppressions().map { ($0.mailbox, $0.reason) }, uniquingKeysWith: { first, _ in first })
            joined = JoinedMembers.members(try await list.joined(), after: members)
        } catch {
            throw .state(path: list.location, cause: error)
        }
        // Members who joined themselves, appended for staff who keep the
        // CSV as their record (their consent stays in the state).
        let appended: [Int]
        do {
            appended = try MemberList.append(
                path: path,
                rows: joined.map { member in
                    [
                        "email": member.email, "name": member.name ?? "", "country": member.country?.name ?? "",
                        "language": member.language ?? "", "status": "subscribed",
                        "since": member.since?.description ?? "",
                    ]
                })
        } catch {
            throw .unsubscribe(error)
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
            return (path, change.changed, appended)
        } catch {
            throw .unsubscribe(error)
        }
    }

    /// Marks the member with `address` unsubscribed: on the suppression
    /// list (staff's command) and in `members.csv` (only their status
    /// cell), in that order: the list changes only once the suppression is
    /// committed, and not at all when it cannot be (a state folder that
    /// cannot be written leaves both as they were).
    public func unsubscribe(_ address: String) async throws(ProjectError) -> (
        path: String, outcome: MemberList.UnsubscribeOutcome
    ) {
        let (dataset, path, members) = try loadMembers()
        let mailbox = Suppression.mailbox(address.trimmingCharacters(in: .whitespaces))
        guard members.contains(where: { $0.mailbox == mailbox }) else {
            throw .unsubscribe(.notFound(file: path))
        }
        let list = try suppressions(dataset.coalition)
        do {
            try await list.suppress(
                mailbox, reason: .unsubscribed, source: .command, now: Date().timeIntervalSince1970)
        } catch {
            throw .state(path: list.location, cause: error)
        }
        do {
            return (path, try MemberList.unsubscribe(address, path: path))
        } catch {
            throw .unsubscribe(error)
        }
    }

    /// Resubscribes the member with `address` on staff's word: their
    /// suppression is lifted, and their rows in `members.csv` become
    /// `subscribed`.
    ///
    /// - Returns: the list's path, the lines changed, and the suppression
    ///   lifted (nil when there was none).
    public func resubscribe(_ address: String) async throws(ProjectError) -> (
        path: String, lines: [Int], lifted: Suppression?
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
            let lifted = try await list.resubscribe(mailbox, source: .command, now: Date().timeIntervalSince1970)
            return (path, change.changed.keys.sorted(), lifted)
        } catch {
            throw .state(path: list.location, cause: error)
        }
    }
}
