import Crypto
import Foundation
import WholeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the web archive was last made from, so an unchanged re-run
/// (a cron job publishing every hour) need not render every page to find
/// that nothing changed: a hash of the program, the time-zone data, every
/// file of the data and templates folders, and one of the site's files as
/// they were left (their names, sizes and modification times). Any
/// difference, a file edited or deleted in the site included, and the
/// archive is made and compared as before.
///
/// Kept in `output/.site-inputs`, beside the site's manifest; deleting it
/// only costs one full run.
struct ArchiveInputs: Equatable {
    /// The inputs' hash.
    var inputs: String
    /// The published files' hash.
    var outputs: String

    static let fileName = ".site-inputs"

    /// The record's text: two lines.
    var text: String { "inputs \(inputs)\noutputs \(outputs)\n" }

    /// A record read back, or nil.
    init?(text: String) {
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1) }
        guard lines.count == 2, lines[0].count == 2, lines[1].count == 2, lines[0][0] == "inputs",
            lines[1][0] == "outputs"
        else { return nil }
        inputs = String(lines[0][1])
        outputs = String(lines[1][1])
    }

    init(inputs: String, outputs: String) {
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The hash of everything the archive is made from, or nil when a file
    /// cannot be read (then the archive is simply made).
    static func fingerprint(folders: [String], excluding: [String]) -> String? {
        var hash = SHA256()
        // The program itself: another build may write other bytes.
        guard let program = stamp("/proc/self/exe") ?? CommandLine.arguments.first.flatMap(stamp) else { return nil }
        hash.update(data: Data(program.utf8))
        hash.update(data: Data((TimeZone.timeZoneDataVersion).utf8))
        for folder in folders {
            guard let names = FileManager.default.subpaths(atPath: folder) else { return nil }
            hash.update(data: Data("folder \(folder)\n".utf8))
            for name in names.sorted() {
                let path = (folder as NSString).appendingPathComponent(name)
                if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if excluding.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
                if isFolder.boolValue { continue }
                guard let bytes = FileManager.default.contents(atPath: path) else { return nil }
                hash.update(data: Data("file \(name) \(bytes.count)\n".utf8))
                hash.update(data: bytes)
            }
        }
        return hex(hash.finalize())
    }

    /// The hash of the published files as they are now: each name, size
    /// and modification time; nil when one is missing.
    static func published(folder: String, names: [String]) -> String? {
        var hash = SHA256()
        for name in names {
            guard let stamp = stamp((folder as NSString).appendingPathComponent(name)) else { return nil }
            hash.update(data: Data("\(name) \(stamp)\n".utf8))
        }
        return hex(hash.finalize())
    }

    /// `size mtime` of the file at `path` (nanoseconds), or nil.
    static func stamp(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        return "\(info.st_size) \(time.tv_sec).\(time.tv_nsec)"
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
