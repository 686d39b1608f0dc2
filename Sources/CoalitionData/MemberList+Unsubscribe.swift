import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension MemberList {
    /// What ``unsubscribe(_:path:)`` did.
    public enum UnsubscribeOutcome: Sendable, Equatable {
        /// The member on this line is now unsubscribed.
        case unsubscribed(line: Int)
        /// The member on this line already was; nothing was written.
        case already(line: Int)
    }

    /// Why the list could not be changed. Messages name the file and line,
    /// never the address.
    public enum UnsubscribeError: Error, Sendable, CustomStringConvertible {
        /// The list has errors; it is not rewritten until they are fixed.
        case invalid(file: String, errors: Int)
        /// No member has that address.
        case notFound(file: String)
        /// The new file could not be written; the list is as it was.
        case write(file: String, reason: String)

        /// The message as staff read it.
        public var description: String {
            switch self {
            case .invalid(let file, let errors):
                return
                    "\(file): error: the member list has \(errors) error\(errors == 1 ? "" : "s"); run digest check and fix \(errors == 1 ? "it" : "them") first"
            case .notFound(let file):
                return "\(file): error: no member has that address (the part after the @ may differ in case only)"
            case .write(let file, let reason): return "\(file): error: cannot rewrite the list: \(reason)"
            }
        }
    }

    /// Marks the member with `address` unsubscribed in the list at `path`.
    ///
    /// Only that member's `status` cell changes: every other byte of the
    /// file, other rows, quoting and line ends included, stays as it was. The
    /// new file is written beside the old one, flushed, and renamed over it,
    /// so a reader (or a crash) sees the old list or the new one.
    public static func unsubscribe(_ address: String, path: String) throws(UnsubscribeError) -> UnsubscribeOutcome {
        let loaded = load(path: path, required: true)
        guard let members = loaded.members else {
            throw .invalid(file: path, errors: max(1, loaded.log.all.count { $0.severity == .error }))
        }
        let key = Member(email: address, status: .subscribed, line: 0).key
        guard let member = members.first(where: { $0.key == key }) else { throw .notFound(file: path) }
        if member.status == .unsubscribed { return .already(line: member.line) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .write(file: path, reason: "it cannot be read")
        }
        let bytes = [UInt8](data)
        // Where the status cell of the member's row starts: line and column.
        var statusCell: (line: Int, column: Int)?
        var statusIndex: Int?
        var headerSeen = false
        CSVReader(bytes: bytes).forEachRecord { fields, line in
            guard headerSeen else {
                headerSeen = true
                statusIndex = fields.firstIndex { $0.value.trimmedSpaces.lowercased() == "status" }
                return
            }
            if line == member.line, let index = statusIndex, index < fields.count {
                // The cell's own line: a quoted cell before it may span lines.
                statusCell = (fields[index].line, fields[index].column)
            }
        }
        guard let (cellLine, column) = statusCell else {
            throw .write(file: path, reason: "the member's status cell was not found")
        }
        // The byte offset of that line, then of the column (columns count
        // characters: UTF-8 continuation bytes are skipped).
        var offset = 0
        var line = 1
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
        while line < cellLine, offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "\n") { line += 1 }
            offset += 1
        }
        var characters = 1
        while characters < column, offset < bytes.count {
            offset += 1
            if offset < bytes.count, bytes[offset] & 0xC0 != 0x80 { characters += 1 }
        }
        // The cell: a status word, bare or in quotes (it holds no comma).
        var end = offset
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            end += 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            end = min(end + 1, bytes.count)
        } else {
            while end < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[end]) {
                end += 1
            }
        }
        let cell = String(decoding: bytes[offset..<end], as: UTF8.self)
        let word = cell.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased()
        guard MemberStatus(rawValue: word) != nil else {
            throw .write(file: path, reason: "the member's status cell could not be read back")
        }
        let replacement = Array((cell.hasPrefix("\"") ? "\"unsubscribed\"" : "unsubscribed").utf8)
        let updated = Array(bytes[..<offset]) + replacement + Array(bytes[end...])
        try write(updated, over: path)
        return .unsubscribed(line: member.line)
    }

    /// Writes `bytes` to a temporary file beside `path` with its
    /// permissions, flushes it, and renames it over `path`.
    private static func write(_ bytes: [UInt8], over path: String) throws(UnsubscribeError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary =
            (folder.isEmpty ? "" : folder + "/") + ".digest-tmp-\(getpid())-" + UUID().uuidString.prefix(8).lowercased()
        var info = stat()
        let mode = stat(path, &info) == 0 ? info.st_mode & 0o777 : 0o644
        var failure = bytes.withUnsafeBytes { FlushedFile.create($0, at: temporary, mode: mode) }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw .write(file: path, reason: String(cString: strerror(failure)))
        }
    }
}
