import Foundation
import WholeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The state folder: what records what happened to the list, kept where
/// deleting `output/` (which is generated) cannot reach it.
///
/// ```
/// state/
///   sends/2019-03.sqlite   the month's send ledger (DigestSend's SendLedger)
///   sends/2019-03.lock     its lock, and how far its first run got
///   suppressions.sqlite    addresses not to mail, bounces, preferences
/// ```
///
/// It is `state/` beside the data folder unless `coalition.yaml` names
/// another (`state:`); the folder and its files are readable by their
/// owner only. Back it up: a lost ledger means a month sent twice, a lost
/// suppression list means mail to people who asked for none.
public struct StateFolder: Sendable, Equatable {
    /// The folder.
    public let path: String

    /// The state folder at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The folder of send ledgers.
    public var sendsPath: String { (path as NSString).appendingPathComponent("sends") }

    /// The ledger of `month` (`2019-03`).
    public func ledgerPath(month: String) -> String {
        (sendsPath as NSString).appendingPathComponent(month + ".sqlite")
    }

    /// The lock of `month`'s send.
    public func lockPath(month: String) -> String {
        (sendsPath as NSString).appendingPathComponent(month + ".lock")
    }

    /// The suppression list.
    public var suppressionsPath: String { (path as NSString).appendingPathComponent("suppressions.sqlite") }

    /// The months with a ledger, newest first, with `including` (the send
    /// under way) among them: the sends a member's soft bounces are
    /// counted over.
    ///
    /// - Throws: Foundation's error when the folder exists but cannot be listed.
    public func sendMonths(including month: String? = nil) throws -> [String] {
        // No sends folder yet: no earlier sends to count over.
        let names =
            FileManager.default.fileExists(atPath: sendsPath)
            ? try FileManager.default.contentsOfDirectory(atPath: sendsPath) : []
        var months = Set(names.filter { $0.hasSuffix(".sqlite") }.map { String($0.dropLast(7)) })
        if let month { months.insert(month) }
        return months.sorted(by: >)
    }

    /// Makes the folders (mode 0700) when missing.
    public func prepare() throws(WriteError) {
        for folder in [path, sendsPath] {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw WriteError(path: folder, reason: .foundation(error))
            }
        }
    }

    /// Moves the ledger an earlier version kept at `old` (such as
    /// `output/2019-03/send.sqlite`), with SQLite's `-wal` and `-shm`
    /// files, to `month`'s place here, when there is no ledger here yet.
    /// The caller holds both months' locks.
    ///
    /// - Returns: true when a ledger was moved.
    @discardableResult
    public func adoptLedger(at old: String, month: String) throws(WriteError) -> Bool {
        let new = ledgerPath(month: month)
        guard access(old, F_OK) == 0, access(new, F_OK) != 0 else { return false }
        // The -wal first: a database found without its -wal would lose
        // the writes not yet checkpointed.
        for suffix in ["-wal", "-shm", ""] where access(old + suffix, F_OK) == 0 {
            try Self.move(old + suffix, to: new + suffix)
        }
        WholeFile.syncFolder(sendsPath)
        WholeFile.syncFolder((old as NSString).deletingLastPathComponent)
        return true
    }

    /// Renames `from` to `to`, or copies and removes it across file systems.
    public static func rename(_ from: String, to: String) throws(WriteError) {
        try move(from, to: to)
    }

    static func move(_ from: String, to: String) throws(WriteError) {
        if systemRename(from, to) == 0 { return }
        guard errno == EXDEV else { throw WriteError(path: to, reason: .system(errno)) }
        guard let data = FileManager.default.contents(atPath: from) else {
            throw WriteError(path: from, reason: .inTheWay("it cannot be read"))
        }
        try WholeFile.create(data, at: to, mode: 0o600)
        guard unlink(from) == 0 else { throw WriteError(path: from, reason: .system(errno)) }
    }
}

/// C's `rename`, which the type's own `rename` hides inside it.
private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
