#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a file or a folder, held until
/// the instance goes away: the one lock of the program (a month's send,
/// the member list while its status cells change, a database while it is
/// opened and its schema brought up to date).
///
/// The system lets an `flock` go when the process ends in any way, `kill
/// -9` included, so a killed program never leaves a stale lock. A lock
/// file stays after use: removing it would let two processes lock two
/// files of one name.
///
/// `flock` and SQLite's own (POSIX) locks do not see each other, but
/// closing any descriptor of a database file drops SQLite's locks on it:
/// lock the database's folder (or a file beside it), never the database.
public final class FileLock: Sendable {
    private let descriptor: Int32
    /// The file or folder locked.
    public let path: String
    /// True when this lock made the file (it was not there before).
    public let created: Bool

    /// How to take the lock.
    public enum Wait: Sendable {
        /// Wait for another holder to let go (the kernel wakes this one).
        case untilFree
        /// Return nil at once when another holder has it.
        case never
    }

    /// Locks `path`: a folder, or a file made (mode 0600) when missing.
    ///
    /// - Returns: nil when `wait` is ``Wait/never`` and another process
    ///   (or another lock in this one) holds it.
    /// - Throws: ``WriteError`` when the file cannot be opened or made.
    public init?(path: String, wait: Wait) throws(WriteError) {
        var created = false
        var descriptor = open(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        if descriptor < 0, errno == ENOTDIR {
            descriptor = open(path, O_RDWR | O_CLOEXEC)
        }
        if descriptor < 0, errno == ENOENT {
            descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            created = descriptor >= 0
            if descriptor < 0, errno == EEXIST { descriptor = open(path, O_RDWR | O_CLOEXEC) }
        }
        guard descriptor >= 0 else { throw .system(path) }
        let operation = wait == .never ? LOCK_EX | LOCK_NB : LOCK_EX
        while flock(descriptor, operation) != 0 {
            let error = errno
            if error == EINTR { continue }
            close(descriptor)
            if error == EWOULDBLOCK { return nil }
            throw WriteError(path: path, reason: .system(error))
        }
        self.descriptor = descriptor
        self.path = path
        self.created = created
    }

    /// Locks `path`, waiting for another holder to let go.
    ///
    /// - Throws: ``WriteError`` when it cannot be opened, made or locked.
    public static func waiting(for path: String) throws(WriteError) -> FileLock {
        guard let lock = try FileLock(path: path, wait: .untilFree) else {
            throw WriteError(path: path, reason: .inTheWay("it stays locked"))  // not reached: untilFree waits
        }
        return lock
    }

    /// The file's first `limit` bytes as text ("" for a folder or an empty file).
    public func contents(limit: Int = 64) -> String {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    /// Replaces the file's contents with `text`, synced to the disk.
    ///
    /// - Throws: ``WriteError`` when it cannot be written.
    public func write(_ text: String) throws(WriteError) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count, ftruncate(descriptor, off_t(bytes.count)) == 0, fsync(descriptor) == 0 else {
            throw .system(path)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
