import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a set of files into `root/<name>/` as one change: readers see the
/// whole old set or the whole new set, never a mix.
///
/// The new set is assembled in a temporary folder beside the real one:
/// every new file, plus a hard link to each entry already there that this
/// change does not replace (a send ledger, an outbox, a screenshot). The
/// two folders are then swapped in one step (`renameat2` with
/// `RENAME_EXCHANGE` on Linux) and the old one is removed. A failure before
/// the swap removes the temporary folder and leaves the folder as it was; a
/// process killed before the swap leaves only a temporary folder, which the
/// next run removes (``TemporaryName``).
public struct FolderSwap {
    /// The folder the named folders live in, such as `output`.
    public let root: String

    /// Asked before a folder that exists is replaced: throw to refuse (a
    /// program is working in it), or return something to hold until the
    /// swap is done (a lock), or nil.
    public var guardFolder: (_ folder: String) throws(WriteError) -> AnyObject?

    /// For tests: fail as if the disk were full after writing this many new files.
    public var failAfterFiles: Int?

    /// The writer for `root`.
    public init(root: String, guardFolder: @escaping (String) throws(WriteError) -> AnyObject? = { _ in nil }) {
        self.root = root
        self.guardFolder = guardFolder
    }

    /// Replaces the files of `root/<name>/` given in `files` (file name ->
    /// bytes), keeping every other entry of the folder.
    ///
    /// - Parameter removing: names the caller is responsible for that it did
    ///   not make this time: they leave the folder with the rest of the change.
    /// - Returns: the paths written, sorted.
    /// - Throws: ``WriteError``; the folder is then as it was.
    public func replace(_ name: String, files: [String: Data], removing: Set<String> = []) throws(WriteError)
        -> [String]
    {
        let target = (root as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: root, reason: .foundation(error))
        }
        let exists = try checkTarget(target, replacing: files.keys)
        let held = exists ? try guardFolder(target) : nil
        defer { withExtendedLifetime(held) {} }
        let staging = TemporaryName.path(in: root)
        guard mkdir(staging, 0o755) == 0 else { throw .system(staging) }
        do throws(WriteError) {
            if exists { try linkEntries(from: target, to: staging, except: Set(files.keys).union(removing)) }
            var count = 0
            for fileName in files.keys.sorted() {
                guard let data = files[fileName] else { continue }
                if let limit = failAfterFiles, count >= limit {
                    throw .system((target as NSString).appendingPathComponent(fileName), ENOSPC)
                }
                try WholeFile.create(data, at: (staging as NSString).appendingPathComponent(fileName))
                count += 1
            }
            WholeFile.syncFolder(staging)
            try swap(staging, into: target, exists: exists)
        } catch {
            Self.removeQuietly(staging)
            throw error
        }
        // `staging` now holds the old set.
        Self.removeQuietly(staging)
        WholeFile.syncFolder(root)
        return files.keys.sorted().map { (target as NSString).appendingPathComponent($0) }
    }

    /// Removes what killed runs left behind: temporary folders and files in
    /// `root`, in each folder directly under it, and in the system's
    /// temporary folder.
    @discardableResult
    public func removeStaleTemporaryFiles() -> [String] {
        var folders = [root]
        // An output folder that cannot be listed (or is not there yet) holds nothing of ours.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for name in names where !name.hasPrefix(".") {
            var isFolder: ObjCBool = false
            let path = (root as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                folders.append(path)
            }
        }
        return TemporaryName.removeStale(in: folders + [NSTemporaryDirectory()])
    }

    /// Whether the target folder exists; refuses when something a person
    /// put there would be lost: a file where the folder should be, or a
    /// folder where a new file goes.
    private func checkTarget(_ target: String, replacing names: Dictionary<String, Data>.Keys) throws(WriteError)
        -> Bool
    {
        var info = stat()
        guard lstat(target, &info) == 0 else {
            if errno == ENOENT { return false }
            throw .system(target)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw WriteError(
                path: target, reason: .inTheWay("it is a file, not a folder; move it away so the folder can be written")
            )
        }
        for name in names {
            let path = (target as NSString).appendingPathComponent(name)
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                throw WriteError(
                    path: path,
                    reason: .inTheWay("a folder stands where this file goes; move the folder away and render again"))
            }
        }
        return true
    }

    /// Recreates `source`'s entries in `destination` (but `except`): files as
    /// hard links (copies where linking is refused), folders recursively,
    /// symbolic links as links.
    private func linkEntries(from source: String, to destination: String, except: Set<String>) throws(WriteError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: source)
        } catch {
            throw WriteError(path: source, reason: .foundation(error))
        }
        for name in names where !except.contains(name) && !name.hasPrefix(TemporaryName.prefix) {
            let from = (source as NSString).appendingPathComponent(name)
            let to = (destination as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(from, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard mkdir(to, info.st_mode & 0o7777) == 0 else { throw .system(to) }
                try linkEntries(from: from, to: to, except: [])
            case S_IFLNK:
                let target: String
                do {
                    target = try FileManager.default.destinationOfSymbolicLink(atPath: from)
                } catch {
                    throw WriteError(path: from, reason: .foundation(error))
                }
                guard symlink(target, to) == 0 else { throw .system(to) }
            default:
                if link(from, to) != 0 {
                    do {
                        try FileManager.default.copyItem(atPath: from, toPath: to)
                    } catch {
                        throw WriteError(path: from, reason: .foundation(error))
                    }
                }
            }
        }
    }

    /// Puts `staging` in place of `target` in one step; afterwards `staging`
    /// holds the old folder (or nothing, when there was none).
    private func swap(_ staging: String, into target: String, exists: Bool) throws(WriteError) {
        guard exists else {
            if rename(staging, target) != 0 { throw .system(target) }
            return
        }
        if let exchange = Self.renameExchange {
            if exchange(AT_FDCWD, staging, AT_FDCWD, target, Self.renameExchangeFlag) == 0 { return }
            // Filesystems without the exchange answer EINVAL; fall back below.
            if errno != EINVAL && errno != ENOSYS { throw .system(target) }
        }
        // Two renames: the folder is briefly absent, never mixed.
        let old = TemporaryName.path(in: root)
        guard rename(target, old) == 0 else { throw .system(target) }
        guard rename(staging, target) == 0 else {
            let failure = errno
            _ = rename(old, target)
            throw .system(target, failure)
        }
        _ = rename(old, staging)
    }

    /// Removes a temporary folder; one that cannot be removed is left for
    /// the next run's ``removeStaleTemporaryFiles()``.
    private static func removeQuietly(_ path: String) {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            return
        }
    }

    private typealias RenameAt2 =
        @convention(c) (
            Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
        ) -> Int32

    /// glibc's `renameat2`, which Swift's Glibc module does not declare
    /// (it needs `_GNU_SOURCE`); looked up once, nil where it is missing.
    private static let renameExchange: RenameAt2? = {
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    /// `RENAME_EXCHANGE` from `<linux/fs.h>`.
    private static let renameExchangeFlag: UInt32 = 1 << 1
}
