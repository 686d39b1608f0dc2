import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a file is, whatever its name: its device and inode. A file
/// deleted, or replaced by another (a backup restored, a rename over it),
/// has another identity, or none, at the same path: a program that keeps a
/// file open checks it before it trusts a write to be in the file others
/// read.
public struct FileIdentity: Sendable, Equatable {
    /// The device.
    public var device: UInt64
    /// The inode.
    public var inode: UInt64

    /// The identity of the file at `path`, or nil when there is none.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
