import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A path as the file system knows it: absolute, every symbolic link
/// followed, no `.` or `..` left. Two spellings of one folder (`data`,
/// `data/.`, `./data/calls/..`, a link to `data`) give one real path, so
/// what is found through a path (the list's state above all) is found by
/// what it is, not by how it was typed.
public enum RealPath {
    /// The real path of `path`, relative paths taken from the working
    /// folder. The part that exists is resolved by the system (`realpath`);
    /// the rest, which does not exist yet, is appended with `.` and `..`
    /// worked out, so a state folder that is still to be made has the same
    /// real path before and after it is made.
    public static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var existing = absolute
        var missing: [String] = []
        while true {
            if let real = system(existing) { return join(real, missing) }
            let parent = (existing as NSString).deletingLastPathComponent
            guard parent != existing, !parent.isEmpty else { return join("/", missing) }
            missing.insert((existing as NSString).lastPathComponent, at: 0)
            existing = parent
        }
    }

    /// `base` with `components` appended, `.` dropped and `..` going up.
    static func join(_ base: String, _ components: [String]) -> String {
        var parts = base.split(separator: "/").map(String.init)
        for component in components {
            switch component {
            case "", ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    private static func system(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
