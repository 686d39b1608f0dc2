import Foundation

/// The messages of a bounce mailbox, read and never changed: a Maildir
/// folder (its `new/` and `cur/`; `tmp/` holds messages still being
/// written), an mbox file (messages after `From ` lines, `>From `
/// unquoted), or one message in a file of its own.
public enum MailboxReader {
    /// One message and where it was found.
    public struct Message: Sendable {
        /// Where it is, for staff: `Maildir/new/1701…`, or `bounces.mbox`
        /// and the line its `From ` line is on.
        public var place: String
        /// Its bytes.
        public var bytes: [UInt8]
    }

    /// A mailbox that cannot be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        /// The path.
        public var path: String
        /// Why.
        public var reason: String

        /// `path: reason`.
        public var description: String { "\(path): \(reason)" }
    }

    /// Every message at `path`, in a stable order (Maildir: by file name).
    public static func messages(at path: String) throws(ReadError) -> [Message] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ReadError(path: path, reason: "there is nothing here; give a Maildir folder or an mbox file")
        }
        if isFolder.boolValue { return try maildir(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(path: path, reason: "the file cannot be read; check its permissions")
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: Array("From ".utf8)) { return mbox(bytes, path: path) }
        return [Message(place: path, bytes: bytes)]
    }

    private static func maildir(_ path: String) throws(ReadError) -> [Message] {
        let manager = FileManager.default
        let folders = ["new", "cur"].map { (path as NSString).appendingPathComponent($0) }
        guard folders.contains(where: { manager.fileExists(atPath: $0) }) else {
            throw ReadError(
                path: path, reason: "this folder is not a Maildir (it has no new/ or cur/); give the Maildir itself")
        }
        var messages: [Message] = []
        for folder in folders where manager.fileExists(atPath: folder) {
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
            } catch {
                throw ReadError(path: folder, reason: "the folder cannot be listed; check its permissions")
            }
            for name in names {
                let file = (folder as NSString).appendingPathComponent(name)
                guard let data = manager.contents(atPath: file) else {
                    throw ReadError(path: file, reason: "the message cannot be read; check its permissions")
                }
                messages.append(Message(place: file, bytes: [UInt8](data)))
            }
        }
        return messages
    }

    /// The messages of an mbox: each starts at a `From ` line at the start
    /// of the file or after an empty line (mboxrd: `>From ` lines lose one `>`).
    static func mbox(_ bytes: [UInt8], path: String) -> [Message] {
        var messages: [Message] = []
        var current: [UInt8] = []
        var currentLine = 1
        var line = 1
        var previousEmpty = true
        var index = 0
        var started = false
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            let next = end < bytes.count ? end + 1 : end
            let text = bytes[index..<end]
            if previousEmpty, text.starts(with: Array("From ".utf8)) {
                if started { messages.append(Message(place: "\(path) (line \(currentLine))", bytes: current)) }
                current = []
                currentLine = line
                started = true
            } else {
                var content = text[...]
                if content.first == UInt8(ascii: ">"),
                    content.drop(while: { $0 == UInt8(ascii: ">") }).starts(
                        with: Array("From ".utf8))
                {
                    content = content.dropFirst()
                }
                current.append(contentsOf: content)
                current.append(10)
            }
            previousEmpty = text.isEmpty || text == [13]
            line += 1
            index = next
        }
        if started { messages.append(Message(place: "\(path) (line \(currentLine))", bytes: current)) }
        return messages
    }
}
