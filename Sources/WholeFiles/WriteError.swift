import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file or folder could not be written whole, and where. The cause
/// is kept: the system's error number, the Foundation error, or the reason
/// something in the way was left alone.
public struct WriteError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable {
        /// A system call failed with this `errno`.
        case system(Int32)
        /// Foundation could not do it.
        case foundation(any Error)
        /// Something a person put there (a file, a folder, a running send)
        /// is in the way; it is left as it is.
        case inTheWay(String)
    }

    /// The file or folder concerned.
    public var path: String
    /// What went wrong.
    public var reason: Reason

    /// An error at `path`.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// An error at `path` from the current `errno`.
    static func system(_ path: String, _ code: Int32 = errno) -> WriteError {
        WriteError(path: path, reason: .system(code))
    }

    /// The reason in words: "no space left on device", "it is a file, not a
    /// folder; move it away so the folder can be written".
    public var why: String {
        switch reason {
        case .system(let code): return Self.text(of: code)
        case .foundation(let error):
            let error = error as NSError
            return (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription
                ?? error.localizedDescription
        case .inTheWay(let text): return text
        }
    }

    /// `path: why`.
    public var description: String { "\(path): \(why)" }

    /// `strerror`'s text in lower case.
    public static func text(of code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
