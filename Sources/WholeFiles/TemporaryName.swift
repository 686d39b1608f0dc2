import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Names and clears the project's temporary files and folders.
///
/// Every one is named `.digest-tmp-<pid>-<random>`: hidden, recognisable,
/// and marked with the process that made it. A process killed with
/// `kill -9` cannot remove its own; the next run removes those whose
/// process no longer exists (``removeStale(in:)``), and never one of a
/// process still running.
public enum TemporaryName {
    /// The start of every temporary name.
    public static let prefix = ".digest-tmp-"

    /// A new, unused path in `folder`: `.digest-tmp-<pid>-<random>`.
    public static func path(in folder: String) -> String {
        let name = "\(prefix)\(getpid())-\(UUID().uuidString.prefix(13).lowercased())"
        return folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
    }

    /// Removes, in each of `folders`, the temporary files and folders of
    /// processes that no longer exist.
    ///
    /// - Returns: the paths removed.
    @discardableResult
    public static func removeStale(in folders: [String]) -> [String] {
        var removed: [String] = []
        for folder in folders {
            // A folder that cannot be listed has nothing of ours to remove.
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where name.hasPrefix(prefix) {
                guard let pid = processID(in: name), !isRunning(pid) else { continue }
                let path = (folder as NSString).appendingPathComponent(name)
                do {
                    try FileManager.default.removeItem(atPath: path)
                    removed.append(path)
                } catch {
                    // Left for the next run; nothing depends on it being gone.
                    continue
                }
            }
        }
        return removed
    }

    /// The process id in a temporary name, or nil when the name is not one.
    public static func processID(in name: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { return nil }
        return pid
    }

    /// Whether a process with this id exists (owned by anyone).
    static func isRunning(_ pid: pid_t) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
