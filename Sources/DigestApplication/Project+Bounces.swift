import CoalitionData
import Crypto
import DeliveryReports
import DigestMailing
import DigestSend
import Foundation
import ListState
import MIME
import Synchronization

extension Project {
    /// What `digest bounces read` found and did. Places are file names
    /// (and mbox lines); no address is kept here.
    public struct BounceReading: Sendable {
        /// Messages read.
        public var messages = 0
        /// Delivery reports among them.
        public var reports = 0
        /// Failures attributed to a member, by kind.
        public var failures: [Bounce.Kind: Int] = [:]
        /// Reports about delays or deliveries (no failure): nothing recorded.
        public var notFailures = 0
        /// Failures recorded before (the same report read again).
        public var alreadyRead = 0
        /// Members suppressed now, by reason.
        public var suppressed: [Suppression.Reason: Int] = [:]
        /// Messages that are not delivery reports (auto-replies, answers).
        public var otherMessages = 0
        /// Reports not about a message this list sent to a member: nothing
        /// is recorded for them.
        public var unattributedCount = 0
        /// The first ``listed`` of them, by place, each with why (a mailbox
        /// of any size is read in the memory of one message: places are not
        /// all kept).
        public var unattributed: [(place: String, why: String)] = []
        /// How many places of each kind are kept to show.
        public static let listed = 50
        /// Entries of a mailbox that could not be read, by place, with why.
        public var skipped: [MailboxReader.Skipped] = []
        /// Bounces attributed, in the order read: the member's line in
        /// `members.csv`, the month, the kind (for tests and staff's own
        /// checks; never an address).
        public var attributed: [(line: Int, month: String, kind: Bounce.Kind)] = []
    }

    /// Reads delivery reports from the Maildir folders and mbox files at
    /// `paths` (streamed: a mailbox of any size is read in the memory of
    /// one message), and records in this list's suppressions, in one
    /// transaction, those about a message this list sent to a member:
    /// one whose VERP tag (the address the report came back to) verifies,
    /// or whose returned `Message-ID` is in the list's ledger of that
    /// month *and* whose `Final-Recipient` or `Original-Recipient` is the
    /// address that message went to. The ledger must record the message as
    /// sent (or uncertain). Every other report is listed as unattributed,
    /// with why. One hard bounce suppresses (for every list); soft bounces
    /// in enough of the last sends suppress (`mail.bounce_limits`). The
    /// mailboxes are only read; a report read again counts nothing; an
    /// entry that cannot be read is named and skipped.
    ///
    /// - Parameter record: false to read and attribute without recording.
    public func readBounces(_ paths: [String], record: Bool = true) async throws(ProjectError) -> BounceReading {
        let mailing = try Mailing.load(self)
        let coalition = mailing.dataset.coalition
        let home = try stateHome(coalition)
        // The mailboxes are read on a thread of their own: reading is
        // blocking work, and a database's ledgers are fetched from it.
        let read = await withCheckedContinuation {
            (done: CheckedContinuation<Result<([Bounce], BounceReading), ProjectError>, Never>) in
            Thread {
                done.resume(
                    returning: Result { () throws(ProjectError) in
                        try Self.readReports(
                            paths, mailing: mailing, ledgers: LedgerIndex(home: home, list: mailing.listID))
                    })
            }.start()
        }
        var (bounces, reading) = try read.get()
        guard record, !bounces.isEmpty else {
            for bounce in bounces { reading.failures[bounce.kind, default: 0] += 1 }
            return reading
        }
        let list = try suppressions(coalition)
        let limits = coalition.mail?.bounceLimits ?? Coalition.BounceLimits()
        do {
            let outcomes = try await list.recordBounces(
                bounces, source: .deliveryReport, limits: Bounce.Limits(limits),
                sends: try await sendMonths(home, list: mailing.listID), now: Date().timeIntervalSince1970)
            for (bounce, outcome) in zip(bounces, outcomes) {
                guard outcome.counted else {
                    reading.alreadyRead += 1
                    continue
                }
                reading.failures[bounce.kind, default: 0] += 1
                if let reason = outcome.suppressed { reading.suppressed[reason, default: 0] += 1 }
            }
        } catch {
            throw .state(path: list.location, cause: error)
        }
        return reading
    }
}

/// Why a report was not attributed to a member, in staff's words.
struct Unattributed: Error {
    let text: String
}

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

extension Project {
    /// Bytes in lower-case hexadecimal.
    /// Reads the mailboxes and attributes each report (blocking: run on a
    /// thread of its own).
    static func readReports(
        _ paths: [String], mailing: Mailing, ledgers: LedgerIndex
    ) throws(ProjectError) -> ([Bounce], BounceReading) {
        let coalition = mailing.dataset.coalition
        var ledgers = ledgers
        var index = BounceIndex(
            members: mailing.members, tokens: mailing.tokens,
            bounces: coalition.mail?.bounces.flatMap(BounceAddress.init))
        var reading = BounceReading()
        var bounces: [Bounce] = []
        for path in paths {
            do {
                try MailboxReader.read(
                    path,
                    each: { message in
                        reading.messages += 1
                        guard let report = DeliveryReport.read(message.bytes) else {
                            reading.otherMessages += 1
                            return
                        }
                        reading.reports += 1
                        let failed = report.recipients.filter { $0.kind != nil }
                        guard !failed.isEmpty else {
                            reading.notFailures += 1
                            return
                        }
                        let found: (member: Member, month: String)
                        switch index.attribute(report, ledgers: &ledgers) {
                        case .success(let attributed): found = attributed
                        case .failure(let why):
                            reading.unattributedCount += 1
                            if reading.unattributed.count < BounceReading.listed {
                                reading.unattributed.append((message.place, why.text))
                            }
                            return
                        }
                        // One member a report: with VERP each message had one
                        // recipient. The worst of the failures counts.
                        let kind: Bounce.Kind = failed.contains { $0.kind == .hard } ? .hard : .soft
                        let status = failed.first { $0.kind == .hard }?.status ?? failed.first?.status
                        reading.attributed.append((found.member.line, found.month, kind))
                        bounces.append(
                            Bounce(
                                address: found.member.email, month: found.month, kind: kind, status: status,
                                report: Self.hex(SHA256.hash(data: message.bytes))))
                    },
                    skipped: { reading.skipped.append($0) })
            } catch let error as MailboxReader.ReadError {
                throw .bounces(error)
            } catch {
                throw .bounces(MailboxReader.ReadError(path: path, reason: String(describing: error), cause: error))
            }
        }
        return (bounces, reading)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Finds the member a delivery report is about: by the VERP tag of the
/// address it was delivered to, else by the returned `Message-ID`. Each
/// month's tags are made once, the first time a report names that month.
struct BounceIndex {
    let members: [Member]
    let tokens: MemberTokens
    let bounces: BounceAddress?
    private var byBounceTag: [String: [String: Member]] = [:]
    private var byMessageTag: [String: [String: Member]] = [:]

    init(members: [Member], tokens: MemberTokens, bounces: BounceAddress?) {
        self.members = members
        self.tokens = tokens
        self.bounces = bounces
    }

    /// The member and month of `report`, when it is about a message this
    /// list sent: by a VERP tag that verifies, or by a returned
    /// `Message-ID` in the ledger whose recipient the report names; else why not.
    mutating func attribute(_ report: DeliveryReport, ledgers: inout LedgerIndex) -> Result<
        (member: Member, month: String), Unattributed
    > {
        if let bounces {
            for address in report.deliveredTo {
                guard let (month, tag) = bounces.tag(in: address), YearMonth(iso: month) != nil else { continue }
                if byBounceTag[month] == nil {
                    byBounceTag[month] = Dictionary(
                        members.map { (tokens.bounceTag(for: $0, month: month), $0) }, uniquingKeysWith: { a, _ in a })
                }
                guard let member = byBounceTag[month]?[tag] else { continue }
                switch ledgers.deliveries(month) {
                case .failure(let why): return .failure(why)
                case .success(nil):
                    return .failure(
                        Unattributed(text: "its bounce address is for \(month), which this list has not sent"))
                case .success(let sent?):
                    guard sent[member.key] != nil else {
                        return .failure(
                            Unattributed(
                                text:
                                    "the ledger of \(month) records no message sent to the member its bounce address names (members.csv line \(member.line))"
                            ))
                    }
                    return .success((member, month))
                }
            }
        }
        guard let id = report.returnedMessageID else {
            return .failure(Unattributed(text: "it carries no bounce address of this list and no returned Message-ID"))
        }
        guard let (month, tag) = Self.messageTag(id) else {
            return .failure(Unattributed(text: "its returned Message-ID is not one this program made"))
        }
        if byMessageTag[month] == nil {
            byMessageTag[month] = Dictionary(
                members.map { (tokens.messageTag(for: $0, month: month), $0) }, uniquingKeysWith: { a, _ in a })
        }
        guard let member = byMessageTag[month]?[tag] else {
            return .failure(Unattributed(text: "its returned Message-ID is no member's of this list for \(month)"))
        }
        let sent: [String: SendLedger.Delivery]
        switch ledgers.deliveries(month) {
        case .failure(let why): return .failure(why)
        case .success(nil):
            return .failure(Unattributed(text: "it names a message of \(month), which this list has not sent"))
        case .success(let found?): sent = found
        }
        guard let delivery = sent[member.key], delivery.messageID == id else {
            return .failure(
                Unattributed(text: "the ledger of \(month) records no message with its returned Message-ID"))
        }
        guard report.recipients.contains(where: { $0.kind != nil && $0.names(delivery.address) }) else {
            return .failure(
                Unattributed(
                    text:
                        "its Final-Recipient and Original-Recipient are not the address that message went to (members.csv line \(member.line))"
                ))
        }
        return .success((member, month))
    }

    /// The month and tag of a `Message-ID` this program made:
    /// `digest-2019-06.0123456789abcdef.justice-for-all@…`. A test send's
    /// (`test-…`) is no month's.
    static func messageTag(_ id: String) -> (String, String)? {
        guard id.hasPrefix("digest-") else { return nil }
        let parts = id.dropFirst(7).split(separator: ".", maxSplits: 2)
        guard parts.count >= 2, YearMonth(iso: String(parts[0])) != nil, parts[1].count == 16,
            parts[1].allSatisfy(\.isHexDigit)
        else { return nil }
        return (String(parts[0]), parts[1].lowercased())
    }
}
