import DonorReport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes the web archive into `output/site/`, touching as little as it can.
///
/// - A file whose bytes are already there is not written again (its time
///   stamp stays, so `rsync` and static hosts see no change); bytes are
///   compared, never time stamps.
/// - Each changed file is written to a temporary file beside it, flushed to
///   the disk, then renamed over the old one: a reader sees the old page or
///   the new one, never half of one.
/// - The names it wrote are kept in `output/.site-files`, outside the site.
///   A name it wrote before and does not make now is removed; nothing else
///   is ever removed. A file a person put in the folder under a name the
///   archive uses is not overwritten unless asked (`--replace`): the run
///   stops first and names it.
struct SiteFolder {
    /// `output`.
    let root: String
    /// The folder's name under `root`.
    static let name = "site"
    /// The list of names the archive wrote, beside the folder.
    static let manifestName = ".site-files"

    /// What a run did.
    struct Result {
        /// Paths written (new or changed), sorted.
        var written: [String] = []
        /// Paths whose bytes were already right.
        var unchanged: [String] = []
        /// Paths removed: written by an earlier run, not made now.
        var removed: [String] = []
    }

    var folder: String { (root as NSString).appendingPathComponent(Self.name) }
    var manifest: String { (root as NSString).appendingPathComponent(Self.manifestName) }

    /// Puts `files` (name -> bytes) in the site folder.
    ///
    /// - Parameter replace: overwrite files of those names that a person put there.
    /// - Throws: ``ProjectError/output(path:reason:)``; files already
    ///   renamed into place stay (each is whole), the rest are as they were.
    func write(_ files: [String: Data], replace: Bool = false) throws(ProjectError) -> Result {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .output(path: folder, reason: OutputFolder.reason(of: error))
        }
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .output(path: folder, reason: "it is not a folder; move it away so the archive can be written")
        }
        let previous = readManifest()
        var result = Result()
        var changed: [String] = []
        var foreign: [String] = []
        for name in files.keys.sorted() {
            guard let data = files[name] else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFREG else {
                    throw .output(
                        path: path, reason: "something other than a file stands where this page goes; move it away")
                }
                if FileManager.default.contents(atPath: path) == data {
                    result.unchanged.append(path)
                    continue
                }
                if !previous.contains(name) && !replace { foreign.append(path) }
            }
            changed.append(name)
        }
        if let first = foreign.first {
            let more = foreign.count > 1 ? " (and \(foreign.count - 1) more)" : ""
            throw .output(
                path: first,
                reason:
                    "this file\(more) was not written by digest archive, and the archive has a page of that name; move it away, or run digest archive --replace to overwrite it"
            )
        }
        for name in changed {
            guard let data = files[name] else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            let temporary = TemporaryFiles.path(in: folder)
            do throws(ProjectError) {
                try OutputFolder.writeFile(data, to: temporary)
                guard rename(temporary, path) == 0 else {
                    throw .output(path: path, reason: OutputFolder.strerror(errno))
                }
            } catch {
                unlink(temporary)
                throw error
            }
            result.written.append(path)
        }
        for name in previous.subtracting(files.keys).sorted() {
            let path = (folder as NSString).appendingPathComponent(name)
            // Only a plain file: a folder or link of that name is a person's.
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, unlink(path) == 0 {
                result.removed.append(path)
            }
        }
        if !result.written.isEmpty || !result.removed.isEmpty { OutputFolder.sync(folder) }
        let names = files.keys.sorted().joined(separator: "\n") + "\n"
        if previous != Set(files.keys) || FileManager.default.contents(atPath: manifest) != Data(names.utf8) {
            let temporary = TemporaryFiles.path(in: root)
            do throws(ProjectError) {
                try OutputFolder.writeFile(Data(names.utf8), to: temporary)
                guard rename(temporary, manifest) == 0 else {
                    throw .output(path: manifest, reason: OutputFolder.strerror(errno))
                }
            } catch {
                unlink(temporary)
                throw error
            }
            OutputFolder.sync(root)
        }
        return result
    }

    /// The names the archive wrote last time; empty before the first run.
    private func readManifest() -> Set<String> {
        guard let data = FileManager.default.contents(atPath: manifest) else { return [] }
        // Names only, one a line; anything with a slash is not one of ours.
        return Set(
            String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter {
                !$0.isEmpty && !$0.contains("/") && $0 != "." && $0 != ".."
            })
    }
}
