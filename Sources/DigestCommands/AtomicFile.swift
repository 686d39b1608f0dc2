import Foundation

/// Writes a file so that readers see the old file or the new one, never half.
enum AtomicFile {
    /// Writes `data` to a temporary file beside `path`, flushes it, then
    /// renames it over `path` (rename is atomic within a folder on POSIX).
    static func write(_ data: Data, to path: String) throws(ProjectError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(".\(name).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw .output(path: path, reason: "cannot create a file in \(directory)")
        }
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            close(descriptor)
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .output(path: path, reason: reason)
        }
    }
}
