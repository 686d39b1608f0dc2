import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder of published files (the web archive) that is written touching
/// as little as it can.
///
/// - A file whose bytes are already there is not written again (its time
///   stamp stays, so `rsync` and static hosts see no change); bytes are
///   compared, never time stamps.
/// - Each changed file is replaced whole (``WholeFile/replace(_:with:mode:)``):
///   a reader sees the old page or the new one, never half of one.
/// - The names it wrote are kept in a manifest beside the folder. A name
///   it wrote before and does not make now is removed; nothing else is ever
///   removed. A file a person put in the folder under a name it uses is not
///   overwritten unless asked: the write stops first and names it.
public struct PublishedFolder {
    /// The folder the published folder and its manifest are in.
    public let root: String
    /// The published folder's name under `root`.
    public let name: String
    /// The manifest's name under `root`.
    public let manifestName: String

    /// What a write did.
    public struct Result: Sendable {
        /// Paths written (new or changed), sorted.
        public var written: [String] = []
        /// Paths whose bytes were already right.
        public var unchanged: [String] = []
        /// Paths removed: written by an earlier run, not made now.
        public var removed: [String] = []

        /// A result.
        public init(written: [String] = [], unchanged: [String] = [], removed: [String] = []) {
            self.written = written
            self.unchanged = unchanged
            self.removed = removed
        }
    }

    /// The folder `root/name`, with its manifest `root/manifestName`.
    public init(root: String, name: String, manifestName: String) {
        self.root = root
        self.name = name
        self.manifestName = manifestName
    }

    /// The published folder's path.
    public var folder: String { (root as NSString).appendingPathComponent(name) }
    var manifest: String { (root as NSString).appendingPathComponent(manifestName) }

    /// Puts `files` (name -> bytes) in the folder.
    ///
    /// - Parameters:
    ///   - replace: overwrite files of those names that a person put there.
    ///   - foreignAdvice: what to tell the person when one is in the way.
    /// - Throws: ``WriteError``; files already renamed into place stay (each
    ///   is whole), the rest are as they were.
    public func write(_ files: [String: Data], replace: Bool = false, foreignAdvice: String) throws(WriteError)
        -> Result
    {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: folder, reason: .foundation(error))
        }
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw WriteError(path: folder, reason: .inTheWay("it is not a folder; move it away so it can be written"))
        }
        let previous = readManifest()
        var result = Result()
        var changed: [String] = []
        var foreign: [String] = []
        for name in files.keys.sorted() {
            guard Self.isSafeName(name) else {
                throw WriteError(
                    path: name, reason: .inTheWay("this is not a file name the folder can hold; this is a bug"))
            }
            guard let data = files[name] else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFREG else {
                    throw WriteError(
                        path: path,
                        reason: .inTheWay("something other than a file stands where this page goes; move it away"))
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
            throw WriteError(path: first, reason: .inTheWay("this file\(more) \(foreignAdvice)"))
        }
        var subfolders: Set<String> = []
        for name in changed {
            guard let data = files[name] else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            if name.contains("/") {
                let parent = (path as NSString).deletingLastPathComponent
                try makeSubfolder(parent)
                subfolders.insert(parent)
            }
            try WholeFile.replace(path, with: data)
            result.written.append(path)
        }
        for name in previous.subtracting(files.keys).sorted() {
            let path = (folder as NSString).appendingPathComponent(name)
            // Only a plain file: a folder or link of that name is a person's.
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, unlink(path) == 0 {
                result.removed.append(path)
            }
        }
        for parent in subfolders.sorted() { WholeFile.syncFolder(parent) }
        if !result.written.isEmpty || !result.removed.isEmpty { WholeFile.syncFolder(folder) }
        let names = Data((files.keys.sorted().joined(separator: "\n") + "\n").utf8)
        if previous != Set(files.keys) || FileManager.default.contents(atPath: manifest) != names {
            try WholeFile.replace(manifest, with: names)
            WholeFile.syncFolder(root)
        }
        return result
    }

    /// A subfolder of the folder for files (`fr/` of a language), made if
    /// missing; a link or file of that name is in the way, never followed.
    private func makeSubfolder(_ path: String) throws(WriteError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw WriteError(
                    path: path, reason: .inTheWay("a folder goes here, and something else stands there; move it away"))
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            throw WriteError(path: path, reason: .foundation(error))
        }
    }

    /// Whether `name` is one this folder may hold: a file name, or a file
    /// name in one subfolder (`fr/2019-06.html`); never `..` or an absolute path.
    static func isSafeName(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// The names written last time (the manifest), sorted; empty before the first write.
    public var publishedNames: [String] { readManifest().sorted() }

    /// The names written last time; empty before the first write.
    private func readManifest() -> Set<String> {
        guard let data = FileManager.default.contents(atPath: manifest) else { return [] }
        // Names only, one a line; anything else is not one of ours.
        return Set(
            String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter(Self.isSafeName))
    }
}
