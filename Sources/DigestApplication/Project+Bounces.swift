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
        /// Complaint reports (RFC 5965, `Feedback-Type: abuse`) among them.
        public var complaintReports = 0
        /// Other feedback reports (fraud, virus, not-spam): nothing recorded.
        public var otherFeedback = 0
        /// Complaints attributed to a member, in the order read: the
        /// member's line in `members.csv` and the month.
        public var complaints: [(line: Int, month: String)] = []
        /// Complaints about a member already suppressed (a report read
        /// again, or a member who had left): nothing new recorded.
        public var complaintsAlreadyKnown = 0
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
            (done: CheckedContinuation<Result<([Bounce], [Suppression.Request], BounceReading), ProjectError>, Never>)
            in
            Thread {
                done.resume(
                    returning: Result { () throws(ProjectError) in
                        try Self.readReports(
                            paths, mailing: mailing, ledgers: LedgerIndex(home: home, list: mailing.listID))
                    })
            }.start()
        }
        var (bounces, complaints, reading) = try read.get()
        guard record, !bounces.isEmpty || !complaints.isEmpty else {
            for bounce in bounces { reading.failures[bounce.kind, default: 0] += 1 }
            return reading
        }
        let list = try suppressions(coalition)
        if !complaints.isEmpty {
            // A complaint suppresses the member on this list at once.
            do {
                for applied in try await list.suppress(complaints, now: Date().timeIntervalSince1970) {
                    if applied.isNew {
                        reading.suppressed[.complaint, default: 0] += 1
                    } else {
                        reading.complaintsAlreadyKnown += 1
                    }
                }
            } catch {
                throw .state(path: list.location, cause: error)
            }
        }
        guard !bounces.isEmpty else { return reading }
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

extension Project {
    /// Bytes in lower-case hexadecimal.
    /// Reads the mailboxes and attributes each report (blocking: run on a
    /// thread of its own).
    static func readReports(
        _ paths: [String], mailing: Mailing, ledgers: LedgerIndex
    ) throws(ProjectError) -> ([Bounce], [Suppression.Request], BounceReading) {
        let coalition = mailing.dataset.coalition
        var ledgers = ledgers
        var index = BounceIndex(
            members: mailing.members, tokens: mailing.tokens,
            bounces: coalition.mail?.bounces.flatMap(BounceAddress.init))
        var reading = BounceReading()
        var bounces: [Bounce] = []
        var complaints: [Suppression.Request] = []
        for path in paths {
            do {
                try MailboxReader.read(
                    path,
                    each: { message in
                        reading.messages += 1
                        if let feedback = FeedbackReport.read(message.bytes) {
                            guard feedback.isComplaint else {
                                reading.otherFeedback += 1
                                return
                            }
                            reading.complaintReports += 1
                            switch index.attribute(feedback, ledgers: &ledgers) {
                            case .success(let found):
                                reading.complaints.append((found.member.line, found.month))
                                complaints.append(
                                    Suppression.Request(
                                        address: found.member.email, reason: .complaint, source: .feedbackReport,
                                        detail: "complaint report about \(found.month)"))
                            case .failure(let why):
                                reading.unattributedCount += 1
                                if reading.unattributed.count < BounceReading.listed {
                                    reading.unattributed.append((message.place, why.text))
                                }
                            }
                            return
                        }
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
        return (bounces, complaints, reading)
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
