import Foundation
import WholeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension MemberList {
    /// What ``unsubscribe(_:path:)`` did.
    public enum UnsubscribeOutcome: Sendable, Equatable {
        /// The members on these lines are now unsubscribed (one person, whose
        /// address appears on several lines in different capitals).
        case unsubscribed(lines: [Int])
        /// The members on these lines already were; nothing was written.
        case already(lines: [Int])
    }

    /// Why the list could not be changed. Messages name the file and line,
    /// never the address.
    public enum UnsubscribeError: Error, Sendable, CustomStringConvertible {
        /// The list has errors; it is not rewritten until they are fixed.
        case invalid(file: String, errors: Int)
        /// No member has that address.
        case notFound(file: String)
        /// The list could not be locked, read or written; it is as it was.
        case write(file: String, reason: String)

        /// The message as staff read it.
        public var description: String {
            switch self {
            case .invalid(let file, let errors):
                return
                    "\(file): error: the member list has \(errors) error\(errors == 1 ? "" : "s"); run digest check and fix \(errors == 1 ? "it" : "them") first"
            case .notFound(let file):
                return "\(file): error: no member has that address (capital letters do not matter)"
            case .write(let file, let reason): return "\(file): error: cannot rewrite the list: \(reason)"
            }
        }
    }

    /// Marks the member with `address` unsubscribed in the list at `path`,
    /// matching the address without regard to capital letters (every row
    /// of that mailbox changes).
    ///
    /// Only those members' `status` cells change: every other byte of the
    /// file, other rows, quoting and line ends included, stays as it was.
    /// Each cell is found by its byte offsets as the CSV reader read it, and
    /// its row's address is checked before anything is written.
    ///
    /// Safe against other writers: the list is locked (`flock` on
    /// `.members.csv.lock` beside it) from before it is read until the new
    /// file is in place, so two unsubscribes at once both take effect. The
    /// new file is written beside the old one, flushed, and renamed over
    /// it, so a reader (or a crash) sees the old list or the new one. A
    /// symbolic link is followed: the file it points to is replaced, the
    /// link stays.
    public static func unsubscribe(_ address: String, path: String) throws(UnsubscribeError) -> UnsubscribeOutcome {
        let target = resolvedPath(path)
        let lock = try ListLock(beside: target, shownAs: path)
        defer { withExtendedLifetime(lock) {} }
        guard let data = FileManager.default.contents(atPath: target) else {
            throw .write(file: path, reason: "it cannot be read")
        }
        let bytes = [UInt8](data)
        let loaded = read(bytes, file: path)
        guard let members = loaded.members else {
            throw .invalid(file: path, errors: max(1, loaded.log.all.count { $0.severity == .error }))
        }
        let mailbox = address.trimmingCharacters(in: .whitespaces).lowercased()
        let matching = members.filter { $0.mailbox == mailbox }
        guard !matching.isEmpty else { throw .notFound(file: path) }
        let lines = matching.map(\.line)
        let changing = Set(matching.filter { $0.status != .unsubscribed }.map(\.line))
        guard !changing.isEmpty else { return .already(lines: lines) }

        // Each changing row's status cell, by the reader's own offsets.
        var cells: [(start: Int, end: Int, quoted: Bool)] = []
        var emailIndex: Int?
        var statusIndex: Int?
        var headerSeen = false
        var mismatch = false
        CSVReader(bytes: bytes).forEachRecord { fields, line in
            guard headerSeen else {
                headerSeen = true
                let names = fields.map { $0.value.trimmedSpaces.lowercased() }
                emailIndex = names.firstIndex(of: "email")
                statusIndex = names.firstIndex(of: "status")
                return
            }
            guard changing.contains(line), let emailIndex, let statusIndex,
                emailIndex < fields.count, statusIndex < fields.count
            else { return }
            // The row found must be the member asked for.
            guard fields[emailIndex].value.lowercased() == mailbox else {
                mismatch = true
                return
            }
            let cell = fields[statusIndex]
            cells.append((cell.offset, cell.end, cell.offset < bytes.count && bytes[cell.offset] == UInt8(ascii: "\"")))
        }
        guard !mismatch, cells.count == changing.count else {
            throw .write(file: path, reason: "the member's status cell could not be found again; nothing was changed")
        }
        var updated = bytes
        for cell in cells.sorted(by: { $0.start > $1.start }) {
            let word = String(decoding: bytes[cell.start..<cell.end], as: UTF8.self)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\" \t")).lowercased()
            guard MemberStatus(rawValue: word) != nil else {
                throw .write(file: path, reason: "the member's status cell could not be read back; nothing was changed")
            }
            let replacement = Array((cell.quoted ? "\"unsubscribed\"" : "unsubscribed").utf8)
            updated.replaceSubrange(cell.start..<cell.end, with: replacement)
        }
        try write(updated, over: target, shownAs: path)
        return .unsubscribed(lines: lines.filter { changing.contains($0) })
    }

    /// `path` with every symbolic link resolved; `path` itself when it
    /// cannot be resolved (the error comes when it is read).
    static func resolvedPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// An exclusive `flock` on `.NAME.lock` beside the list, held from
    /// before the list is read until the new one is in place. The lock
    /// file stays: removing it would let two writers lock two files.
    final class ListLock {
        private let descriptor: Int32

        init(beside target: String, shownAs path: String) throws(UnsubscribeError) {
            let folder = (target as NSString).deletingLastPathComponent
            let name = "." + (target as NSString).lastPathComponent + ".lock"
            let lockPath = folder.isEmpty ? name : folder + "/" + name
            let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw .write(
                    file: path, reason: "cannot open its lock \(lockPath): \(String(cString: strerror(errno)))")
            }
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw .write(file: path, reason: "cannot lock it: \(reason)")
                }
            }
            self.descriptor = descriptor
        }

        deinit {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// Puts `bytes` in place of `path` in one step, keeping its permissions.
    private static func write(_ bytes: [UInt8], over path: String, shownAs shown: String) throws(UnsubscribeError) {
        do {
            try WholeFile.replace(path, with: Data(bytes))
        } catch {
            throw .write(file: shown, reason: error.why)
        }
    }
}
