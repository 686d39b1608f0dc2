import Foundation

/// Reads the files and folders of a data folder, and says in words staff can
/// act on why one cannot be read: permission denied, a folder where a file
/// should be, a link that leads out of the data folder.
///
/// A symbolic link is followed only when its target stays inside the data
/// folder; the target of one that leads out is never opened, so its content
/// can never reach a diagnostic, an output or the preview.
struct DataFileReader {
    /// The data folder with every link resolved, to tell inside from outside.
    let root: String

    /// Creates a reader for the folder at `base` (which must exist).
    init(base: String) {
        root = Self.resolved(base) ?? base
    }

    /// What stands at a path.
    enum Entry {
        /// Nothing there.
        case missing
        /// A regular file (reached through links inside the folder, if any).
        case file
        /// A folder.
        case folder
        /// A link whose target is outside the data folder.
        case outsideLink(target: String)
        /// A link to nothing.
        case brokenLink
        /// A device, socket or pipe.
        case special
        /// `stat` failed for another reason.
        case unreadable(reason: String)
    }

    /// What stands at `path`, following links only inside the data folder.
    func entry(at path: String) -> Entry {
        var info = stat()
        if lstat(path, &info) != 0 {
            return errno == ENOENT ? .missing : .unreadable(reason: Self.reason(errno))
        }
        let isLink = info.st_mode & S_IFMT == S_IFLNK
        // Where the path really leads, links on the way included (calls/ -> /somewhere).
        guard let target = Self.resolved(path) else {
            return isLink ? .brokenLink : .unreadable(reason: "it cannot be resolved")
        }
        guard isInside(target) else { return .outsideLink(target: target) }
        if isLink, stat(target, &info) != 0 { return .unreadable(reason: Self.reason(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        default: return .special
        }
    }

    /// The bytes of a file, or nil after a diagnostic. A missing file is an
    /// error only when `required`.
    func bytes(_ file: String, at path: String, required: Bool, kind: FileKind, log: inout DiagnosticLog) -> [UInt8]? {
        switch entry(at: path) {
        case .missing:
            if required { log.error(file, 1, 1, "this file is missing; the data folder's README shows what it holds") }
            return nil
        case .folder:
            log.error(file, 1, 1, "this is a folder, but a file of that name is expected; rename or remove the folder")
            return nil
        case .outsideLink:
            log.error(file, 1, 1, Self.outsideMessage)
            return nil
        case .brokenLink:
            log.error(file, 1, 1, "this is a link to a file that does not exist; replace it with the file itself")
            return nil
        case .special:
            log.error(file, 1, 1, "this is not an ordinary file (a device or a pipe); replace it with a text file")
            return nil
        case .unreadable(let reason):
            log.error(file, 1, 1, "this file cannot be read: \(reason)")
            return nil
        case .file:
            break
        }
        let handle = open(path, O_RDONLY | O_CLOEXEC)
        guard handle >= 0 else {
            log.error(file, 1, 1, "this file cannot be read: \(Self.reason(errno))")
            return nil
        }
        defer { close(handle) }
        var bytes: [UInt8] = []
        var info = stat()
        var expected = 0
        if fstat(handle, &info) == 0, info.st_size > 0 {
            expected = Int(info.st_size)
            bytes.reserveCapacity(expected)
        }
        // A buffer the size of the file (plus one byte to see its end), at
        // most 1 MiB: zeroing a 1 MiB buffer for each small data file was a
        // tenth of loading the sample.
        let chunk = min(1 << 20, max(4096, expected + 1))
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(handle, $0.baseAddress, chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                log.error(file, 1, 1, "this file cannot be read: \(Self.reason(errno))")
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        if let problem = TextScan.firstInvalidUTF8(bytes) {
            log.error(file, problem.line, problem.column, kind.notUTF8)
            return nil
        }
        return bytes
    }

    /// The names in a folder the data contract names (`calls/`), or nil after
    /// a diagnostic. A missing folder is empty, not an error.
    func folderNames(_ display: String, at path: String, log: inout DiagnosticLog) -> [String]? {
        switch entry(at: path) {
        case .missing: return []
        case .folder: break
        case .file, .special:
            log.error(
                display, 1, 1,
                "this should be a folder holding one file per call, but it is a file; rename the file and create a folder \"calls\""
            )
            return nil
        case .outsideLink:
            log.error(display, 1, 1, Self.outsideMessage)
            return nil
        case .brokenLink:
            log.error(
                display, 1, 1, "this is a link to a folder that does not exist; replace it with the folder itself")
            return nil
        case .unreadable(let reason):
            log.error(display, 1, 1, "this folder cannot be read: \(reason)")
            return nil
        }
        guard let directory = opendir(path) else {
            log.error(display, 1, 1, "this folder cannot be read: \(Self.reason(errno))")
            return nil
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static let outsideMessage =
        "this is a link that leads outside the data folder, and is not followed; copy the file itself into the data folder"

    /// A file's kind, for the message that fits it when its text is not UTF-8.
    enum FileKind {
        case csv, yaml, markdown

        var notUTF8: String {
            switch self {
            case .csv:
                return
                    "this file is not UTF-8 text; in a spreadsheet program save it as \"CSV UTF-8\", in a text editor choose the UTF-8 encoding"
            case .yaml, .markdown:
                return "this file is not UTF-8 text; in your text editor, save it again with the UTF-8 encoding"
            }
        }
    }

    /// The path with every link resolved, or nil when it leads nowhere.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Whether a resolved path is the data folder or inside it.
    private func isInside(_ target: String) -> Bool {
        target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// `strerror`'s text with a hint for the common cases.
    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM:
            return
                "permission denied; give your user account permission to read it (or ask whoever manages this computer)"
        case EISDIR: return "it is a folder"
        case ENOTDIR: return "a part of its path is a file, not a folder"
        case ELOOP: return "it is a loop of links"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
