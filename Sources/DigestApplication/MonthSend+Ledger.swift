import CoalitionData
import DigestMailing
import DigestModel
import DigestRender
import DigestSend
import Foundation
import ListState
import MIME
import PostgresState
import SMTP
import WholeFiles

extension MonthSend {
    /// The month's ledger and lock, wherever the state is, and where an
    /// earlier version's ledger was taken from.
    struct Opened: Sendable {
        var lock: any MonthLock
        var ledger: any MonthLedger
        var adopted: String?
        /// Lets the lock go once the run is over.
        var release: @Sendable () async -> Void
    }

    /// Takes the month's lock and opens its ledger: in the state folder
    /// (``openFolder(options:transport:)``) or in the database, where the
    /// lock is an advisory lock a second send anywhere is refused by.
    func open(options: Options, transport: String, retry: Coalition.Retry) async throws(ProjectError) -> Opened {
        guard case .database(let server) = home else {
            let (lock, ledger, adopted) = try openFolder(options: options, transport: transport)
            return Opened(lock: lock, ledger: ledger, adopted: adopted, release: { withExtendedLifetime(lock) {} })
        }
        let month = self.month.description
        do throws(SendError) {
            let ledger = try await PostgresMonthLedger.open(
                server: server, list: list.value, month: month, retry: retry)
            do {
                let empty = try await ledger.isEmpty()
                if options.newLedger, !empty {
                    // Starting anew on purpose: the old rows are kept, under another name.
                    let kept = month + ".replaced-" + String(Int(Date().timeIntervalSince1970))
                    try await ledger.setAside(as: kept)
                } else if try await ledger.meta("filled") != nil, empty {
                    throw SendError.ledgerMissing(path: ledger.location, month: month)
                }
                if let recorded = try await ledger.meta("transport"), recorded != transport, !options.otherTransport,
                    !options.newLedger, !empty
                {
                    throw SendError.transportChanged(recorded: recorded, now: transport, month: month)
                }
                try await ledger.setMeta("transport", transport)
            } catch let error as SendError {
                await ledger.close()
                throw error
            } catch {
                await ledger.close()
                throw .ledger(path: ledger.location, doing: "read", cause: error)
            }
            return Opened(lock: ledger, ledger: ledger, adopted: nil, release: { await ledger.close() })
        } catch {
            throw .send(error)
        }
    }

    /// Takes the month's lock and opens its ledger: moved here from the
    /// output folder when an earlier version left it there, and this list's
    /// rows taken from the state's `sends/<month>.sqlite` when a version
    /// before lists left one; refused when an earlier run filled a ledger
    /// that is now missing or empty, or sent through another transport
    /// (unless `options` say otherwise), or is another list's.
    func openFolder(options: Options, transport: String) throws(ProjectError) -> (SendLock, SendLedger, String?) {
        let shownLedger = ledgerPath
        do throws(SendError) {
            let lockPath = state.lockPath(month: month.description, list: list)
            guard let lock = try SendLock(path: lockPath) else {
                throw .busy(month: month.description, lock: lockPath)
            }
            // An earlier version kept the ledger in output/<month>/: move it
            // here, holding that folder's lock too, so deleting output/ can
            // never lose it.
            var adopted: String?
            let oldLedger = (folder as NSString).appendingPathComponent(Self.ledgerName)
            if FileManager.default.fileExists(atPath: oldLedger) {
                let oldLockPath = (folder as NSString).appendingPathComponent(Self.lockName)
                guard let oldLock = try SendLock(path: oldLockPath) else {
                    throw .busy(month: month.description, lock: oldLockPath)
                }
                do {
                    if try state.adoptLedger(at: oldLedger, to: ledgerPath) { adopted = oldLedger }
                } catch {
                    throw .file(doing: "move the send ledger to \(shownLedger) from", cause: error)
                }
                withExtendedLifetime(oldLock) {}
            }
            let missing = !FileManager.default.fileExists(atPath: ledgerPath)
            let legacy = state.legacyLedgerPath(month: month.description)
            let hasLegacy = FileManager.default.fileExists(atPath: legacy)
            if lock.earlierRun == .filledLedger, !options.newLedger, missing, adopted == nil, !hasLegacy {
                throw .ledgerMissing(path: shownLedger, month: month.description)
            }
            if options.newLedger, !missing, adopted == nil {
                // Starting anew on purpose: the old ledger is kept beside, never deleted.
                let kept = ledgerPath + ".replaced-" + String(Int(Date().timeIntervalSince1970))
                do {
                    try StateFolder.rename(ledgerPath, to: kept)
                } catch {
                    throw .file(doing: "set the old ledger aside as \(kept), from", cause: error)
                }
            }
            let ledger: SendLedger
            do {
                ledger = try SendLedger(path: ledgerPath, list: list.value)
            } catch let error as SendError {
                throw error
            } catch {
                throw .ledger(path: shownLedger, doing: "open", cause: error)
            }
            if hasLegacy, !options.newLedger, try adoptLegacyRows(from: legacy, into: ledger) > 0 {
                adopted = legacy
                try lock.markFilled()
            }
            do {
                let empty = try ledger.isEmpty()
                if lock.earlierRun == .filledLedger, !options.newLedger, empty, adopted == nil {
                    throw SendError.ledgerMissing(path: shownLedger, month: month.description)
                }
                // Where this month's messages went: a trial through a test
                // relay must not pass for the real send (nor the reverse).
                if let recorded = try ledger.meta("transport"), recorded != transport, !options.otherTransport,
                    !empty
                {
                    throw SendError.transportChanged(recorded: recorded, now: transport, month: month.description)
                }
                try ledger.setMeta("transport", transport)
            } catch let error as SendError {
                throw error
            } catch {
                throw .ledger(path: shownLedger, doing: "read", cause: error)
            }
            return (lock, ledger, adopted)
        } catch {
            throw .send(error)
        }
    }

    /// Takes this list's rows from the ledger a version before lists kept
    /// at `state/sends/<month>.sqlite`, holding that version's lock of the
    /// month. A row is this list's when its `Message-ID` is the one this
    /// list gives that member this month (the tag is an HMAC of the list
    /// and the member); when no row is, but every row has this
    /// coalition's `Message-ID` ending (the list ID was set since), every
    /// row is. Rows of another list stay for it; the old file goes once
    /// it is empty.
    ///
    /// - Returns: how many rows were taken.
    func adoptLegacyRows(from legacy: String, into ledger: SendLedger) throws(SendError) -> Int {
        let legacyLock = state.legacyLockPath(month: month.description)
        guard let held = try SendLock(path: legacyLock) else {
            throw .busy(month: month.description, lock: legacyLock)
        }
        let personal = self.personal
        let ending = personal.messageID(forKey: "").split(separator: ".", maxSplits: 2).last.map { "." + $0 } ?? ""
        do {
            let taken = try ledger.take(from: legacy) { rows in
                let exact = rows.filter { personal.messageID(forKey: $0.key) == $0.messageID }
                if !exact.isEmpty { return Set(exact.map(\.key)) }
                let ours = rows.allSatisfy {
                    $0.messageID.hasPrefix("digest-\(month).") && !ending.isEmpty && $0.messageID.hasSuffix(ending)
                }
                return ours ? Set(rows.map(\.key)) : []
            }
            if taken.left == 0 { unlink(legacyLock) }
            withExtendedLifetime(held) {}
            return taken.taken
        } catch let error as SendError {
            throw error
        } catch {
            throw .ledger(path: legacy, doing: "move to \(ledger.path)", cause: error)
        }
    }
}
