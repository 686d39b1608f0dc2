import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The messages of a bounce mailbox, read and never changed: a Maildir
/// folder (its `new/` and `cur/`; `tmp/` holds messages still being
/// written), an mbox file (messages after `From ` lines, `>From `
/// unquoted), or one message in a file of its own.
///
/// Messages are handed over one at a time as they are read: an mbox is
/// streamed a megabyte at a time, so a mailbox of any size is read in the
/// memory of its largest message, and no message is kept past
/// ``maximumMessage`` bytes (a delivery report's status and the returned
/// headers come first; what is cut is the returned message's body). An
/// entry that cannot be read (its permissions, a folder where a message
/// should be, a file gone while reading) is named and skipped; the rest is
/// read.
public enum MailboxReader {
    /// One message and where it was found.
    public struct Message: Sendable {
        /// Where it is, for staff: `Maildir/new/1701…`, or `bounces.mbox`
        /// and the line its `From ` line is on.
        public var place: String
        /// Its bytes (the first ``maximumMessage`` of them).
        public var bytes: [UInt8]
        /// How long it was in all.
        public var size: Int
    }

    /// An entry that was not read, and why.
    public struct Skipped: Sendable, Equatable, CustomStringConvertible {
        /// Where it is.
        public var place: String
        /// Why it was not read.
        public var reason: String

        /// `place: reason`.
        public var description: String { "\(place): \(reason)" }
    }

    /// A mailbox that cannot be read at all.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        /// The path.
        public var path: String
        /// Why, in words.
        public var reason: String
        /// The error underneath (the system's, Foundation's), when there is one.
        public var cause: (any Error)?

        /// `path: reason`.
        public var description: String { "\(path): \(reason)" }

        /// An error.
        public init(path: String, reason: String, cause: (any Error)? = nil) {
            self.path = path
            self.reason = reason
            self.cause = cause
        }
    }

    /// The most of one message kept: 8 MiB.
    public static let maximumMessage = 8 * 1024 * 1024

    /// Every message at `path` in a stable order (Maildir: by file name),
    /// each handed to `each` as it is read; entries that cannot be read go
    /// to `skipped`.
    ///
    /// - Throws: ``ReadError`` when the mailbox itself cannot be read (then
    ///   nothing was handed over), or what `each` throws.
    public static func read(
        _ path: String, each: (Message) throws -> Void, skipped: (Skipped) -> Void
    ) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ReadError(path: path, reason: "there is nothing here; give a Maildir folder or an mbox file")
        }
        if isFolder.boolValue {
            try maildir(path, each: each, skipped: skipped)
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ReadError(path: path, reason: "the file cannot be read (\(errnoText())); check its permissions")
        }
        defer { close(descriptor) }
        var stream = ByteStream(descriptor: descriptor)
        let start: [UInt8]
        do {
            start = try stream.peek(5)
        } catch {
            throw ReadError(path: path, reason: "the file cannot be read (\(error)); check its permissions")
        }
        if start == Array("From ".utf8) {
            try mbox(&stream, path: path, each: each, skipped: skipped)
        } else {
            do {
                let (bytes, size) = try stream.readAll(keeping: maximumMessage)
                try each(Message(place: path, bytes: bytes, size: size))
            } catch let error as ByteStream.Failure {
                throw ReadError(path: path, reason: "the file cannot be read (\(error)); check its permissions")
            }
        }
    }

    /// Every message at `path`, in memory (tests and small mailboxes).
    public static func messages(at path: String) throws -> [Message] {
        var messages: [Message] = []
        try read(path, each: { messages.append($0) }, skipped: { _ in })
        return messages
    }

    private static func maildir(
        _ path: String, each: (Message) throws -> Void, skipped: (Skipped) -> Void
    ) throws {
        let manager = FileManager.default
        let folders = ["new", "cur"].map { (path as NSString).appendingPathComponent($0) }
        guard folders.contains(where: { manager.fileExists(atPath: $0) }) else {
            throw ReadError(
                path: path, reason: "this folder is not a Maildir (it has no new/ or cur/); give the Maildir itself")
        }
        for folder in folders where manager.fileExists(atPath: folder) {
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
            } catch {
                throw ReadError(path: folder, reason: "the folder cannot be listed; check its permissions")
            }
            for name in names {
                let file = (folder as NSString).appendingPathComponent(name)
                let descriptor = open(file, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    skipped(Skipped(place: file, reason: "cannot be read (\(errnoText())); check its permissions"))
                    continue
                }
                var info = stat()
                guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                    close(descriptor)
                    skipped(Skipped(place: file, reason: "is not a file (a Maildir holds one message a file)"))
                    continue
                }
                var stream = ByteStream(descriptor: descriptor)
                let read = Result { try stream.readAll(keeping: maximumMessage) }
                close(descriptor)
                switch read {
                case .success(let (bytes, size)):
                    guard size > 0 else {
                        skipped(Skipped(place: file, reason: "is empty"))
                        continue
                    }
                    try each(Message(place: file, bytes: bytes, size: size))
                case .failure(let error):
                    skipped(Skipped(place: file, reason: "cannot be read (\(error))"))
                }
            }
        }
    }

    /// The messages of an mbox: each starts at a `From ` line at the start
    /// of the file or after an empty line (mboxrd: `>From ` lines lose one `>`).
    private static func mbox(
        _ stream: inout ByteStream, path: String, each: (Message) throws -> Void, skipped: (Skipped) -> Void
    ) throws {
        var current: [UInt8] = []
        var size = 0
        var currentLine = 1
        var line = 0
        var previousEmpty = true
        var started = false
        let from = Array("From ".utf8)
        func finish() throws {
            if started {
                try each(Message(place: "\(path) (line \(currentLine))", bytes: current, size: size))
            }
        }
        while true {
            let next: ByteStream.Line?
            do {
                next = try stream.nextLine(keeping: maximumMessage)
            } catch {
                skipped(Skipped(place: "\(path) (line \(line + 1))", reason: "the rest cannot be read (\(error))"))
                break
            }
            guard let next else { break }
            line += 1
            let text = next.bytes
            if previousEmpty, text.starts(with: from) {
                try finish()
                current.removeAll(keepingCapacity: current.count < 1 << 20)
                size = 0
                currentLine = line
                started = true
            } else {
                var content = text[...]
                if content.first == UInt8(ascii: ">"),
                    content.drop(while: { $0 == UInt8(ascii: ">") }).starts(with: from)
                {
                    content = content.dropFirst()
                }
                size += content.count + 1
                let room = maximumMessage - current.count
                if room > 0 {
                    current.append(contentsOf: content.prefix(room - 1))
                    current.append(10)
                }
                size += next.dropped
            }
            previousEmpty = text.isEmpty || text == [13]
        }
        try finish()
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// A file read a megabyte at a time, line by line.
struct ByteStream {
    /// A read that failed.
    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    /// One line without its `\n`, cut to a length; `dropped` bytes past it.
    struct Line {
        var bytes: [UInt8]
        var dropped: Int
    }

    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false
    static let chunk = 1 << 20

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Reads another chunk; false at the end of the file.
    private mutating func fill() throws(Failure) -> Bool {
        guard !ended else { return false }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let old = buffer.count
        buffer.reserveCapacity(old + Self.chunk)
        var got = 0
        while true {
            buffer.append(contentsOf: repeatElement(0, count: Self.chunk))
            got = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(descriptor, raw.baseAddress?.advanced(by: old), Self.chunk)
            }
            if got < 0, errno == EINTR {
                buffer.removeLast(Self.chunk)
                continue
            }
            break
        }
        guard got >= 0 else {
            buffer.removeLast(Self.chunk)
            throw Failure(code: errno)
        }
        buffer.removeLast(Self.chunk - got)
        if got == 0 { ended = true }
        return got > 0
    }

    /// The first `count` bytes, without consuming them.
    mutating func peek(_ count: Int) throws(Failure) -> [UInt8] {
        while buffer.count - start < count, try fill() {}
        return Array(buffer[start..<min(buffer.count, start + count)])
    }

    /// The next line, its first `limit` bytes kept; nil at the end.
    mutating func nextLine(keeping limit: Int) throws(Failure) -> Line? {
        var kept: [UInt8] = []
        var dropped = 0
        while true {
            let newline = buffer.withUnsafeBytes { raw -> Int? in
                guard start < raw.count, let base = raw.baseAddress else { return nil }
                guard let found = memchr(base.advanced(by: start), 10, raw.count - start) else { return nil }
                return base.distance(to: UnsafeRawPointer(found))
            }
            let end = newline ?? buffer.count
            let piece = buffer[start..<end]
            let room = max(0, limit - kept.count)
            kept.append(contentsOf: piece.prefix(room))
            dropped += max(0, piece.count - room)
            if let newline {
                start = newline + 1
                return Line(bytes: kept, dropped: dropped)
            }
            start = buffer.count
            guard try fill() else {
                return kept.isEmpty && dropped == 0 ? nil : Line(bytes: kept, dropped: dropped)
            }
        }
    }

    /// The rest of the file: its first `limit` bytes, and its whole size.
    mutating func readAll(keeping limit: Int) throws(Failure) -> ([UInt8], Int) {
        var size = buffer.count - start
        var kept = Array(buffer[start...].prefix(limit))
        start = buffer.count
        while try fill() {
            size += buffer.count - start
            if kept.count < limit { kept.append(contentsOf: buffer[start...].prefix(limit - kept.count)) }
            start = buffer.count
        }
        return (kept, size)
    }
}
