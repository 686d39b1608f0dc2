import CoalitionData
import DigestSend
import DonorReport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a period's files into `output/<period>/` as one change: readers
/// see the whole old set or the whole new set, never a mix.
///
/// The new set is assembled in a temporary folder beside the real one:
/// every new file, plus a hard link to each file already there that this
/// render does not replace (a send ledger, an outbox, a screenshot). The
/// two folders are then swapped in one step (`renameat2` with
/// `RENAME_EXCHANGE` on Linux) and the old one is removed. A failure before
/// the swap removes the temporary folder and leaves the month as it was; a
/// process killed before the swap leaves only a temporary folder, which the
/// next run removes (``TemporaryFiles``).
struct OutputFolder {
    /// The output folder, such as `output`.
    let root: String

    /// For tests: fail as if the disk were full after writing this many new files.
    var failAfterFiles: Int?

    /// Creates the writer for `root`.
    init(root: String) {
        self.root = root
    }

    /// Replaces the files of `output/<name>/` given in `files` (file name ->
    /// bytes), keeping every other entry of the folder.
    ///
    /// - Returns: the paths written, sorted.
    /// - Throws: ``ProjectError/output(path:reason:)``; the folder is then as it was.
    ///
    /// - Parameter removing: names this render is responsible for that it
    ///   did not make this time (a calendar file when no call is planned):
    ///   they leave the folder with the rest of the change.
    func replace(_ name: String, files: [String: Data], removing: Set<String> = []) throws(ProjectError) -> [String] {
        let target = (root as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .output(path: root, reason: Self.reason(of: error))
        }
        let exists = try checkTarget(target, replacing: files.keys)
        // A digest send writes its ledger in this folder: swapping the folder
        // under it could lose the ledger's last writes, so wait for it.
        let lockPath = (target as NSString).appendingPathComponent("send.lock")
        var sendLock: SendLock?
        if exists, FileManager.default.fileExists(atPath: lockPath) {
            do {
                sendLock = try SendLock(path: lockPath)
            } catch {
                throw .output(path: lockPath, reason: error.description)
            }
            if sendLock == nil {
                throw .output(
                    path: target,
                    reason: "digest send is sending this month now; render it again when the send has finished")
            }
        }
        defer { withExtendedLifetime(sendLock) {} }
        let staging = TemporaryFiles.path(in: root)
        guard mkdir(staging, 0o755) == 0 else { throw .output(path: staging, reason: Self.strerror(errno)) }
        do throws(ProjectError) {
            if exists { try linkEntries(from: target, to: staging, except: Set(files.keys).union(removing)) }
            var count = 0
            for fileName in files.keys.sorted() {
                guard let data = files[fileName] else { continue }
                if let limit = failAfterFiles, count >= limit {
                    throw .output(
                        path: (target as NSString).appendingPathComponent(fileName), reason: "no space left on device")
                }
                try Self.writeFile(data, to: (staging as NSString).appendingPathComponent(fileName))
                count += 1
            }
            Self.sync(staging)
            try swap(staging, into: target, exists: exists)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        // `staging` now holds the old set.
        try? FileManager.default.removeItem(atPath: staging)
        Self.sync(root)
        return files.keys.sorted().map { (target as NSString).appendingPathComponent($0) }
    }

    /// Removes what killed runs left behind: temporary folders and files in
    /// the output folder and in each folder directly under it.
    @discardableResult
    func removeStaleTemporaryFiles() -> [String] {
        var folders = [root]
        if let names = try? FileManager.default.contentsOfDirectory(atPath: root) {
            for name in names where !name.hasPrefix(".") {
                var isFolder: ObjCBool = false
                let path = (root as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                    folders.append(path)
                }
            }
        }
        return TemporaryFiles.removeStale(in: folders + [NSTemporaryDirectory()])
    }

    /// Whether the target folder exists; refuses when something a person
    /// put there would be lost: a file where the folder should be, or a
    /// folder where a new file goes.
    private func checkTarget(_ target: String, replacing names: Dictionary<String, Data>.Keys) throws(ProjectError)
        -> Bool
    {
        var info = stat()
        guard lstat(target, &info) == 0 else {
            if errno == ENOENT { return false }
            throw .output(path: target, reason: Self.strerror(errno))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .output(
                path: target, reason: "it is a file, not a folder; move it away so the folder can be written")
        }
        for name in names {
            let path = (target as NSString).appendingPathComponent(name)
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                throw .output(
                    path: path, reason: "a folder stands where this file goes; move the folder away and render again")
            }
        }
        return true
    }

    /// Recreates `source`'s entries in `destination` (but `except`): files as
    /// hard links (copies where linking is refused), folders recursively,
    /// symbolic links as links.
    private func linkEntries(from source: String, to destination: String, except: Set<String>) throws(ProjectError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: source)
        } catch {
            throw .output(path: source, reason: Self.reason(of: error))
        }
        for name in names where !except.contains(name) && !name.hasPrefix(TemporaryFiles.prefix) {
            let from = (source as NSString).appendingPathComponent(name)
            let to = (destination as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(from, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard mkdir(to, info.st_mode & 0o7777) == 0 else {
                    throw .output(path: to, reason: Self.strerror(errno))
                }
                try linkEntries(from: from, to: to, except: [])
            case S_IFLNK:
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: from),
                    symlink(target, to) == 0
                else { throw .output(path: to, reason: Self.strerror(errno)) }
            default:
                if link(from, to) != 0 {
                    do {
                        try FileManager.default.copyItem(atPath: from, toPath: to)
                    } catch {
                        throw .output(path: from, reason: Self.reason(of: error))
                    }
                }
            }
        }
    }

    /// Puts `staging` in place of `target` in one step; afterwards `staging`
    /// holds the old folder (or nothing, when there was none).
    private func swap(_ staging: String, into target: String, exists: Bool) throws(ProjectError) {
        guard exists else {
            if rename(staging, target) != 0 { throw .output(path: target, reason: Self.strerror(errno)) }
            return
        }
        if let exchange = Self.renameExchange {
            if exchange(AT_FDCWD, staging, AT_FDCWD, target, Self.renameExchangeFlag) == 0 { return }
            // Filesystems without the exchange answer EINVAL; fall back below.
            if errno != EINVAL && errno != ENOSYS { throw .output(path: target, reason: Self.strerror(errno)) }
        }
        // Two renames: the month is briefly absent, never mixed.
        let old = TemporaryFiles.path(in: root)
        guard rename(target, old) == 0 else { throw .output(path: target, reason: Self.strerror(errno)) }
        guard rename(staging, target) == 0 else {
            let failure = errno
            _ = rename(old, target)
            throw .output(path: target, reason: Self.strerror(failure))
        }
        _ = rename(old, staging)
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

    /// Writes a new file and flushes it to the disk.
    static func writeFile(_ data: Data, to path: String) throws(ProjectError) {
        let failure = data.withUnsafeBytes { FlushedFile.create($0, at: path) }
        if failure != 0 { throw .output(path: path, reason: strerror(failure)) }
    }

    /// Flushes a folder's entries to the disk.
    static func sync(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func strerror(_ code: Int32) -> String {
        String(cString: Glibc.strerror(code)).lowercased()
    }

    static func reason(of error: Error) -> String {
        ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription
            ?? (error as NSError).localizedDescription
    }
}
