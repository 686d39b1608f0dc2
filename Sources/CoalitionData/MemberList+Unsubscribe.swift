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
        let mailbox = address.trimmingCharacters(in: .whitespaces).lowercased()
        let result = try setStatus(path: path) { members throws(UnsubscribeError) in
            let matching = members.filter { $0.mailbox == mailbox }
            guard !matching.isEmpty else { throw .notFound(file: path) }
            return Dictionary(
                matching.filter { $0.status != .unsubscribed }.map { ($0.line, MemberStatus.unsubscribed) },
                uniquingKeysWith: { first, _ in first })
        }
        if result.changed.isEmpty { return .already(lines: result.matched(mailbox)) }
        return .unsubscribed(lines: result.changed.keys.sorted())
    }

    /// What ``setStatus(path:_:)`` did.
    public struct StatusChange: Sendable {
        /// The lines whose status cell changed, and to what.
        public var changed: [Int: MemberStatus]
        /// The members as they were read (under the lock).
        public var members: [Member]

        /// The lines of the rows of `mailbox`.
        func matched(_ mailbox: String) -> [Int] { members.filter { $0.mailbox == mailbox }.map(\.line) }
    }

    /// Changes the `status` cells `decide` asks for (line -> new status),
    /// with the list locked from reading to writing, every other byte kept
    /// (see ``unsubscribe(_:path:)``). Nothing is written when `decide`
    /// asks for no change.
    public static func setStatus(
        path: String, _ decide: ([Member]) throws(UnsubscribeError) -> [Int: MemberStatus]
    ) throws(UnsubscribeError) -> StatusChange {
        let (target, lock, bytes, members) = try lockedRead(path)
        defer { withExtendedLifetime(lock) {} }
        let changes = try decide(members)
        guard !changes.isEmpty else { return StatusChange(changed: [:], members: members) }
        let mailboxes = Dictionary(members.map { ($0.line, $0.mailbox) }, uniquingKeysWith: { first, _ in first })

        // Each changing row's status cell, by the reader's own offsets.
        var cells: [(start: Int, end: Int, quoted: Bool, status: MemberStatus)] = []
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
            guard let status = changes[line], let emailIndex, let statusIndex,
                emailIndex < fields.count, statusIndex < fields.count
            else { return }
            // The row found must be the member the change was decided for.
            guard fields[emailIndex].value.lowercased() == mailboxes[line] else {
                mismatch = true
                return
            }
            let cell = fields[statusIndex]
            let quoted = cell.offset < bytes.count && bytes[cell.offset] == UInt8(ascii: "\"")
            cells.append((cell.offset, cell.end, quoted, status))
        }
        guard !mismatch, cells.count == changes.count else {
            throw .write(file: path, reason: "a member's status cell could not be found again; nothing was changed")
        }
        var updated = bytes
        for cell in cells.sorted(by: { $0.start > $1.start }) {
            let word = String(decoding: bytes[cell.start..<cell.end], as: UTF8.self)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\" \t")).lowercased()
            guard MemberStatus(rawValue: word) != nil else {
                throw .write(file: path, reason: "a member's status cell could not be read back; nothing was changed")
            }
            let text = cell.status.rawValue
            updated.replaceSubrange(cell.start..<cell.end, with: Array((cell.quoted ? "\"\(text)\"" : text).utf8))
        }
        try write(updated, over: target, shownAs: path)
        return StatusChange(changed: changes, members: members)
    }

    /// The list at `path` read under its lock: its real path, the lock
    /// (held until the caller lets it go), its bytes and its members.
    static func lockedRead(_ path: String) throws(UnsubscribeError) -> (
        target: String, lock: FileLock, bytes: [UInt8], members: [Member]
    ) {
        let target = resolvedPath(path)
        let lock = try Self.lock(beside: target, shownAs: path)
        guard let data = FileManager.default.contents(atPath: target) else {
            throw .write(file: path, reason: "it cannot be read")
        }
        let bytes = [UInt8](data)
        let loaded = read(bytes, file: path)
        guard let members = loaded.members else {
            throw .invalid(file: path, errors: max(1, loaded.log.all.count { $0.severity == .error }))
        }
        return (target, lock, bytes, members)
    }

    /// `path` with every symbolic link resolved; `path` itself when it
    /// cannot be resolved (the error comes when it is read).
    static func resolvedPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// An exclusive ``FileLock`` on `.NAME.lock` beside the list, held
    /// from before the list is read until the new one is in place.
    static func lock(beside target: String, shownAs path: String) throws(UnsubscribeError) -> FileLock {
        let folder = (target as NSString).deletingLastPathComponent
        let name = "." + (target as NSString).lastPathComponent + ".lock"
        let lockPath = folder.isEmpty ? name : folder + "/" + name
        do throws(WriteError) {
            return try FileLock.waiting(for: lockPath)
        } catch {
            throw .write(file: path, reason: "cannot lock it (\(lockPath)): \(error.why)")
        }
    }

    /// Puts `bytes` in place of `path` in one step, keeping its permissions.
    static func write(_ bytes: [UInt8], over path: String, shownAs shown: String) throws(UnsubscribeError) {
        do {
            try WholeFile.replace(path, with: Data(bytes))
        } catch {
            throw .write(file: shown, reason: error.why)
        }
    }
}
