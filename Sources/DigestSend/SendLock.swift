#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on `send.lock` in the month's folder, so two `send`s
/// for one month cannot run at once.
///
/// It is an advisory `flock`: the system lets it go when the process ends
/// in any way, `kill -9` included, so a killed send never leaves a stale lock.
public final class SendLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock, or returns nil when another process holds it.
    ///
    /// - Throws: ``SendError/output(_:)`` when the file cannot be opened.
    public init?(path: String) throws(SendError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .output("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
