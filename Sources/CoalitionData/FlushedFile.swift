#if canImport(Glibc)
    import Glibc
#endif

/// Creates a new file with given bytes and flushes it to the disk: the
/// first half of every atomic replacement here (write beside, then rename
/// over), shared by the output folders and the member list.
public enum FlushedFile {
    /// Writes `bytes` to a new file at `path` (which must not exist) with
    /// permissions `mode`, retrying interrupted writes, then `fsync`s it.
    ///
    /// - Returns: 0, or the `errno` of the step that failed (the file may
    ///   then exist, partly written; the caller removes it).
    public static func create(_ bytes: UnsafeRawBufferPointer, at path: String, mode: mode_t = 0o644) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let written = write(descriptor, bytes.baseAddress?.advanced(by: done), bytes.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += written
        }
        return fsync(descriptor) == 0 ? 0 : errno
    }
}
