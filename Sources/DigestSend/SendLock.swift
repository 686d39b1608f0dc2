#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on `send.lock` beside the month's ledger, so two
/// `send`s for one month cannot run at once.
///
/// It is an advisory `flock`: the system lets it go when the process ends
/// in any way, `kill -9` included, so a killed send never leaves a stale
/// lock. The file stays after the run and records how far the first run
/// got (``EarlierRun``): a later run that finds the ledger missing or
/// empty can tell a ledger that was lost from one that was never filled.
public final class SendLock: Sendable {
    /// What the lock file says of the runs before this one.
    public enum EarlierRun: Sendable, Equatable {
        /// There was none: the file is new.
        case none
        /// One took the lock but was stopped before it put any member in
        /// the ledger: nothing can have been sent.
        case stoppedBeforeLedger
        /// One filled the ledger (or an older version of the program,
        /// which left the file empty, ran): messages may have gone out.
        case filledLedger
    }

    private let descriptor: Int32
    /// The lock file.
    public let path: String
    /// How far the runs before this one got.
    public let earlierRun: EarlierRun

    static let opened = "opened; no ledger yet\n"
    static let filled = "ledger filled\n"

    /// Takes the lock, or returns nil when another process holds it.
    ///
    /// - Throws: ``SendError/output(_:)`` when the file cannot be opened.
    public init?(path: String) throws(SendError) {
        var created = false
        var descriptor = open(path, O_RDWR | O_CLOEXEC)
        if descriptor < 0, errno == ENOENT {
            descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            created = descriptor >= 0
            if descriptor < 0, errno == EEXIST { descriptor = open(path, O_RDWR | O_CLOEXEC) }
        }
        guard descriptor >= 0 else {
            throw .output("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.path = path
        if created {
            earlierRun = .none
        } else {
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
            let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
            earlierRun = text == Self.opened ? .stoppedBeforeLedger : .filledLedger
        }
        if created || earlierRun == .stoppedBeforeLedger { try write(Self.opened) }
    }

    /// Records that this month's ledger now holds its members: written and
    /// synced before the first message goes out.
    public func markFilled() throws(SendError) {
        try write(Self.filled)
    }

    private func write(_ text: String) throws(SendError) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count, ftruncate(descriptor, off_t(bytes.count)) == 0, fsync(descriptor) == 0 else {
            throw .output("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
