import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file only its owner may read (mode 0600), such as a database of
/// members' addresses, with SQLite's `-wal` and `-shm` files beside it.
public enum PrivateFile {
    /// Creates `path` readable by its owner only, or makes an existing
    /// file (and SQLite's files beside it) so.
    ///
    /// - Throws: ``WriteError`` when it cannot be created or changed.
    public static func prepare(_ path: String) throws(WriteError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system(path) }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw .system(path) }
        restrictSiblings(path)
    }

    /// Makes SQLite's `-wal` and `-shm` files of `path`, when they exist,
    /// readable by their owner only. (SQLite makes them with the database's
    /// mode; one made by an earlier version may be wider.)
    public static func restrictSiblings(_ path: String) {
        for suffix in ["-wal", "-shm"] where access(path + suffix, F_OK) == 0 {
            chmod(path + suffix, 0o600)
        }
    }
}
