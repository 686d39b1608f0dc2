import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DKIMKey {
    /// Reads the key in the file at `path`, which must be private: a key
    /// its group or others may read is refused before it is read.
    public static func load(path: String) throws(Problem) -> DKIMKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .cannotRead(String(cString: strerror(errno))) }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else { throw .notPrivate(mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotRead("not a readable file")
        }
        return try DKIMKey(pem: String(decoding: data, as: UTF8.self))
    }
}
