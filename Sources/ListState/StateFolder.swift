import Foundation
import MIME
import WholeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The state folder: what records what happened to the lists, kept where
/// deleting `output/` (which is generated) cannot reach it.
///
/// ```
/// state/
///   .gitignore                 "*": never committed, wherever the folder is
///   suppressions.sqlite        every list's suppressions, bounces, languages (a list column)
///   sends/<list id>/2019-03.sqlite   a list's send ledger of a month (DigestSend's SendLedger)
///   sends/<list id>/2019-03.lock     its lock, and how far its first run got
/// ```
///
/// It is `state/` beside the data folder unless `coalition.yaml` names
/// another (`state:`), and it is found by its real path (``resolve(dataFolder:configured:)``):
/// `data`, `data/.`, a link to `data` all find the same state. One state
/// folder holds any number of lists, each known by its ``ListID``. The
/// folder and its files are readable by their owner only. Back it up: a
/// lost ledger means a month sent twice, a lost suppression list means mail
/// to people who asked for none.
///
/// Only commands that record something make the folder; reading commands
/// (`check`, `members status`, `render`) find it or find nothing.
public struct StateFolder: Sendable, Equatable {
    /// The folder's real path.
    public let path: String

    /// The state folder at `path` (taken as it is: ``resolve(dataFolder:configured:)``
    /// finds the real one).
    public init(path: String) {
        self.path = path
    }

    /// The state folder of a data folder: `configured` (absolute, or
    /// relative to the data folder), else `state` beside the data folder;
    /// both found from the data folder's real path, and resolved to a real
    /// path themselves.
    public static func resolve(dataFolder: String, configured: String?) -> StateFolder {
        let data = RealPath.resolve(dataFolder.isEmpty ? "." : dataFolder)
        let folder: String
        if let configured, configured.hasPrefix("/") {
            folder = configured
        } else if let configured {
            folder = (data as NSString).appendingPathComponent(configured)
        } else {
            folder = ((data as NSString).deletingLastPathComponent as NSString).appendingPathComponent("state")
        }
        return StateFolder(path: RealPath.resolve(folder))
    }

    /// The folder of every list's send ledgers.
    public var sendsPath: String { (path as NSString).appendingPathComponent("sends") }

    /// The folder of `list`'s send ledgers.
    public func sendsPath(list: ListID) -> String { (sendsPath as NSString).appendingPathComponent(list.value) }

    /// `list`'s ledger of `month` (`2019-03`).
    public func ledgerPath(month: String, list: ListID) -> String {
        (sendsPath(list: list) as NSString).appendingPathComponent(month + ".sqlite")
    }

    /// The lock of `list`'s send of `month`.
    public func lockPath(month: String, list: ListID) -> String {
        (sendsPath(list: list) as NSString).appendingPathComponent(month + ".lock")
    }

    /// Where a version before lists kept a month's ledger: `sends/<month>.sqlite`.
    public func legacyLedgerPath(month: String) -> String {
        (sendsPath as NSString).appendingPathComponent(month + ".sqlite")
    }

    /// Where a version before lists kept a month's lock.
    public func legacyLockPath(month: String) -> String {
        (sendsPath as NSString).appendingPathComponent(month + ".lock")
    }

    /// The months whose ledger a version before lists left in `sends/`.
    public func legacyLedgerMonths() throws -> [String] {
        try months(in: sendsPath)
    }

    /// The suppression list (every list's).
    public var suppressionsPath: String { (path as NSString).appendingPathComponent("suppressions.sqlite") }

    /// True when the folder exists.
    public var exists: Bool { access(path, F_OK) == 0 }

    /// `list`'s months with a ledger, newest first, with `including` (the
    /// send under way) among them: the sends a member's soft bounces are
    /// counted over.
    ///
    /// - Throws: Foundation's error when the folder exists but cannot be listed.
    public func sendMonths(list: ListID, including month: String? = nil) throws -> [String] {
        var months = Set(try self.months(in: sendsPath(list: list)))
        if let month { months.insert(month) }
        return months.sorted(by: >)
    }

    /// The months of the ledgers (`YYYY-MM.sqlite`) in `folder`; none when
    /// it does not exist.
    private func months(in folder: String) throws -> [String] {
        guard access(folder, F_OK) == 0 else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".sqlite") && $0.utf8.count == 14 }
            .map { String($0.dropLast(7)) }
            .sorted(by: >)
    }

    /// The lists with a folder of ledgers here.
    public func lists() throws -> [ListID] {
        guard access(sendsPath, F_OK) == 0 else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: sendsPath).compactMap { name in
            var isFolder: ObjCBool = false
            let full = (sendsPath as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue else {
                return nil
            }
            return ListID(name)
        }.sorted()
    }

    /// What keeps git from taking the folder, wherever it is: a
    /// `.gitignore` holding `*` (as virtual environments do).
    public static let gitignore = "# The list's state: back it up, never commit it (members' addresses).\n*\n"

    /// Makes the folder, `sends/` and `list`'s ledger folder (mode 0700)
    /// when missing, and the folder's `.gitignore`.
    public func prepare(list: ListID? = nil) throws(WriteError) {
        var folders = [path, sendsPath]
        if let list { folders.append(sendsPath(list: list)) }
        for folder in folders where access(folder, F_OK) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw WriteError(path: folder, reason: .foundation(error))
            }
        }
        let ignore = (path as NSString).appendingPathComponent(".gitignore")
        if access(ignore, F_OK) != 0 {
            do {
                try WholeFile.create(Data(Self.gitignore.utf8), at: ignore, mode: 0o600)
            } catch  where access(ignore, F_OK) == 0 {
                // Another process made it at the same moment.
            }
        }
    }

    /// Moves the ledger at `old` (an earlier version's: `output/2019-03/send.sqlite`
    /// or `sends/2019-03.sqlite`), with SQLite's `-wal` and `-shm` files,
    /// to `new`, when there is no ledger at `new` yet. The caller holds
    /// both months' locks.
    ///
    /// - Returns: true when a ledger was moved.
    @discardableResult
    public func adoptLedger(at old: String, to new: String) throws(WriteError) -> Bool {
        guard access(old, F_OK) == 0, access(new, F_OK) != 0 else { return false }
        // The -wal first: a database found without its -wal would lose
        // the writes not yet checkpointed.
        for suffix in ["-wal", "-shm", ""] where access(old + suffix, F_OK) == 0 {
            try Self.move(old + suffix, to: new + suffix)
        }
        WholeFile.syncFolder((new as NSString).deletingLastPathComponent)
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
