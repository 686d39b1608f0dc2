import Foundation
import SMTP
import WholeFiles

/// Why `digest send` stopped. No case carries a member's address; each
/// keeps the error that caused it.
public enum SendError: Error, Sendable, CustomStringConvertible {
    /// Another send for the month holds the lock.
    case busy(month: String, lock: String)
    /// Another send of the month, on another host or here, holds the
    /// month's lock in the state database: where, which process, since when
    /// (seconds since 1970).
    case runningElsewhere(month: String, host: String, process: Int, since: Double)
    /// The state database went away during the send and did not come back
    /// within the retries: what is recorded stays; a rerun goes on from it.
    case stateUnavailable(location: String, cause: any Error)
    /// The ledger could not be opened, read or written.
    case ledger(path: String, doing: String, cause: any Error)
    /// The ledger was deleted or replaced while the run used it: what this
    /// run recorded since then is not in the file at `path`.
    case ledgerReplaced(path: String)
    /// An earlier run of the month left its lock (and recorded messages)
    /// but the ledger is missing or empty: starting anew would send the
    /// month again to everyone it reached.
    case ledgerMissing(path: String, month: String)
    /// The month's ledger records that its messages went through
    /// `recorded`, and this run would use `now`.
    case transportChanged(recorded: String, now: String, month: String)
    /// The ledger at `path` is another list's (`recorded`): two lists
    /// sharing a state folder each keep their own.
    case otherList(path: String, recorded: String, now: String)
    /// The suppression list could not be read or written.
    case state(path: String, cause: any Error)
    /// A file of the send (the lock, a ledger moved or set aside) cannot
    /// be used: what was being done, and the error with its path and cause.
    case file(doing: String, cause: WriteError)
    /// The relay cannot be used with these settings, or cannot be trusted.
    case relay(SMTPError)
    /// The sendmail program cannot be run.
    case sendmail(program: String, cause: any Error)
    /// The run was cancelled while it waited (for the relay, or its rate):
    /// what was sent is in the ledger, and a rerun goes on from there.
    case interrupted
    /// A message could not be signed with a `mail.dkim` key (the
    /// cryptography library refused): nothing unsigned was sent.
    case signing(cause: any Error)

    /// The message as people read it. An error of the relay says what the
    /// relay did; the application layer adds which setting to change.
    public var description: String {
        switch self {
        case .busy(let month, let lock):
            return "another digest send for \(month) is running; wait for it to finish (it holds \(lock))"
        case .runningElsewhere(let month, let host, let process, let since):
            let started = Date(timeIntervalSince1970: since).formatted(
                .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                    .timeSeparator(.colon))
            return
                "another digest send for \(month) is running on \(host) (process \(process), since \(started) UTC); wait for it to finish, or stop it there"
        case .stateUnavailable(let location, let cause):
            return
                "the send stopped: the state database \(location) went away and did not come back in time (\(cause)); what was sent is recorded there: run digest send again once it is back"
        case .ledger(let path, let doing, let cause):
            return "cannot \(doing) the send ledger \(path): \(cause)"
        case .ledgerReplaced(let path):
            return
                "the send ledger \(path) was deleted or replaced while the send ran; the run stopped. Put the file back from a backup if you have one: without it, a new run would send the month again to everyone"
        case .ledgerMissing(let path, let month):
            return
                "an earlier digest send for \(month) recorded its messages in \(path), but that file is missing or empty; restore it from a backup. Only if you are sure nothing was sent (or want the month sent again to everyone) run digest send --month \(month) --new-ledger"
        case .transportChanged(let recorded, let now, let month):
            return
                "the \(month) ledger records messages sent through \(recorded), and this send would go through \(now). If those were a trial (a test relay), run digest send --month \(month) --new-ledger to start the month anew (the trial's ledger is set aside); if the list moved to another relay mid-month, run it with --other-relay to carry on where the ledger stands"
        case .otherList(let path, let recorded, let now):
            return
                "the send ledger \(path) belongs to the list \(recorded), not to \(now); each list keeps its ledgers in its own folder of the state, so this file was put in the wrong place: move it back"
        case .state(let path, let cause): return "cannot use the suppression list \(path): \(cause)"
        case .file(let doing, let cause): return "cannot \(doing) \(cause.path): \(cause.why)"
        case .relay(let error): return error.description
        case .sendmail(let program, let cause): return "cannot run mail.sendmail \(program): \(cause)"
        case .interrupted:
            return
                "the send was stopped while it waited; what was sent is in the ledger: run digest send again to go on"
        case .signing(let cause):
            return
                "a message could not be signed with the mail.dkim key (\(cause)); nothing unsigned was sent. Check the key with digest check, then run digest send again"
        }
    }
}
