import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing one file so that a reader, or a crash, sees the old bytes or
/// the new ones, never part of either: the new bytes go to a temporary
/// file beside it (``TemporaryName``), are flushed to the disk, and the
/// temporary file is renamed over the old one.
public enum WholeFile {
    /// Writes `bytes` to a new file at `path` (which must not exist) with
    /// permissions `mode`, retrying interrupted writes, then `fsync`s it.
    ///
    /// - Throws: ``WriteError`` with the step's `errno`; the file may then
    ///   exist, partly written, and the caller removes it.
    public static func create(_ bytes: UnsafeRawBufferPointer, at path: String, mode: mode_t = 0o644)
        throws(WriteError)
    {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .system(path) }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let written = write(descriptor, bytes.baseAddress?.advanced(by: done), bytes.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                throw .system(path)
            }
            done += written
        }
        guard fsync(descriptor) == 0 else { throw .system(path) }
    }

    /// ``create(_:at:mode:)`` for `Data`.
    public static func create(_ data: Data, at path: String, mode: mode_t = 0o644) throws(WriteError) {
        let result: Result<Void, WriteError> = data.withUnsafeBytes { bytes in
            do throws(WriteError) {
                try create(bytes, at: path, mode: mode)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Puts `data` at `path` in one step: written to a temporary file
    /// beside it, flushed, and renamed over it. An existing file keeps its
    /// permissions; a new one gets `mode`.
    ///
    /// - Throws: ``WriteError``; `path` is then as it was, and no temporary
    ///   file is left.
    public static func replace(_ path: String, with data: Data, mode: mode_t = 0o644) throws(WriteError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = TemporaryName.path(in: folder)
        var info = stat()
        let keptMode = stat(path, &info) == 0 ? info.st_mode & 0o777 : mode
        do throws(WriteError) {
            try create(data, at: temporary, mode: keptMode)
            guard rename(temporary, path) == 0 else { throw .system(path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Flushes a folder's entries (new names, renames) to the disk.
    public static func syncFolder(_ folder: String) {
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
