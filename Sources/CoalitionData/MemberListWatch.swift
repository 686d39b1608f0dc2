import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The member list as it is now, for a send that runs for a long time:
/// before each message it looks at the file (one `stat`), and reads it
/// again when it changed, so a member who unsubscribes while the month is
/// being sent gets no message from then on.
///
/// A list changed into one with errors (half edited) is not used: the last
/// list without errors stands until the file is fixed.
public final class MemberListWatch: Sendable {
    /// A file's identity and version: device, inode, size, modification time.
    public struct Signature: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int

        /// The signature of the file at `path` now; nil when it cannot be read.
        public init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            #if canImport(Darwin)
                seconds = Int(info.st_mtimespec.tv_sec)
                nanoseconds = Int(info.st_mtimespec.tv_nsec)
            #else
                seconds = Int(info.st_mtim.tv_sec)
                nanoseconds = Int(info.st_mtim.tv_nsec)
            #endif
        }
    }

    private struct State {
        var signature: Signature?
        /// Mailboxes (``Member/mailbox``) that receive the digest.
        var receiving: Set<String>
    }

    private let path: String
    private let state: Mutex<State>

    /// Watches the list at `path`, starting from `members`, which were
    /// loaded when the file had `signature` (taken before loading it).
    public init(path: String, members: [Member], signature: Signature?) {
        self.path = path
        state = Mutex(State(signature: signature, receiving: Self.receiving(members)))
    }

    /// True when `member` still receives the digest in the list as it is now.
    public func stillReceives(_ member: Member) -> Bool {
        state.withLock { state in
            let now = Signature(path: path)
            if now != state.signature {
                state.signature = now
                if now != nil, let members = MemberList.load(path: path, required: true).members {
                    state.receiving = Self.receiving(members)
                }
            }
            return state.receiving.contains(member.mailbox)
        }
    }

    private static func receiving(_ members: [Member]) -> Set<String> {
        Set(MemberList.recipients(members).map(\.mailbox))
    }
}
