import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation
import ListState
import MIME
import SMTP
import WholeFiles

extension MonthSend {
    /// What a dry run wrote.
    public struct Outbox: Sendable {
        /// Messages written.
        public var written: Int
        /// Members the digest goes to.
        public var recipients: Int
        /// The outbox folder.
        public var folder: String
        /// The relay's pace from `coalition.yaml` (`mail.smtp.per_second`),
        /// for the dry run's estimate; nil when none is set.
        public var perSecond: Double? = nil
        /// SMTP sessions at once (`mail.smtp.connections`); nil for sendmail.
        public var sessions: Int? = nil
        /// Messages a session carries (`mail.smtp.per_connection`), if limited.
        public var perConnection: Int? = nil

        /// How long sending `recipients` messages takes at `rate` messages a
        /// second, in words: "about 42 minutes".
        public static func duration(_ messages: Int, rate: Double) -> String {
            let seconds = Double(messages) / rate
            let whole = max(1, Int(seconds.rounded()))
            if seconds < 90 { return whole == 1 ? "about 1 second" : "about \(whole) seconds" }
            let minutes = Int((seconds / 60).rounded())
            if minutes < 90 { return "about \(minutes) minutes" }
            return "about \(minutes / 60) h \(minutes % 60) min"
        }
    }

    /// Writes the first `limit` members' messages to `output/<month>/outbox/`
    /// (named by their line in `members.csv`, the folder 0700 and each
    /// file 0600 whatever the umask: they hold addresses), replacing the
    /// messages there. The members are exactly those the real send would
    /// mail now: subscribed, one a mailbox, not suppressed. Nothing is sent,
    /// and nothing is made in the state.
    public func writeOutbox(limit: Int = 50) async throws(ProjectError) -> Outbox {
        let outbox = (folder as NSString).appendingPathComponent("outbox")
        let members = try await outboxMembers()
        let count = min(limit, members.count)
        do {
            try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
            guard chmod(outbox, 0o700) == 0 else { throw WriteError(path: outbox, reason: .system(errno)) }
            for name in try FileManager.default.contentsOfDirectory(atPath: outbox) where name.hasSuffix(".eml") {
                try FileManager.default.removeItem(atPath: (outbox as NSString).appendingPathComponent(name))
            }
        } catch let error as WriteError {
            throw .output(error)
        } catch {
            throw .output(WriteError(path: outbox, reason: .foundation(error)))
        }
        for member in members.prefix(count) {
            let path = (outbox as NSString).appendingPathComponent(String(format: "line-%05d.eml", member.line))
            do throws(WriteError) {
                try WholeFile.replace(path, with: Data(personal.message(for: member)), mode: 0o600)
                guard chmod(path, 0o600) == 0 else { throw WriteError(path: path, reason: .system(errno)) }
            } catch {
                throw .output(error)
            }
        }
        let relay = mailing.dataset.coalition.mail?.smtp
        return Outbox(
            written: count, recipients: members.count, folder: outbox, perSecond: relay?.perSecond,
            sessions: relay?.connections, perConnection: relay?.perConnection)
    }

    /// The members the outbox shows: those the real send would mail now
    /// (``recipients`` less the suppressed), with their chosen languages.
    /// The state is only read (a dry run makes nothing there).
    public func outboxMembers() async throws(ProjectError) -> [Member] {
        guard let existing = try project.existingSuppressions(mailing.dataset.coalition) else { return recipients }
        let suppressed: Set<String>
        do {
            suppressed = try await existing.mailboxes()
        } catch {
            throw .state(path: existing.location, cause: error)
        }
        return try await Self.withChosenLanguages(
            recipients.filter { !suppressed.contains($0.mailbox) }, list: existing)
    }
}
