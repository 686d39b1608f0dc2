import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file named in `coalition.yaml` that holds a secret (a webhook's
/// password, a signing key): found relative to the data folder, refused
/// inside it (a data folder is shared and committed) and refused when its
/// group or others may read it.
enum SecretFile {
    /// The secret's path as written, made absolute.
    static func path(_ written: String, dataFolder: String) -> String {
        URL(fileURLWithPath: written, relativeTo: URL(fileURLWithPath: dataFolder, isDirectory: true))
            .standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Whether `path` (made absolute) lies inside the data folder, where no secret may.
    static func insideDataFolder(_ path: String, dataFolder: String) -> Bool {
        let data = URL(fileURLWithPath: dataFolder).standardizedFileURL.resolvingSymlinksInPath().path
        return path == data || path.hasPrefix(data + "/")
    }

    /// The first line of the file `written`, trimmed.
    ///
    /// - Returns: the secret, or why it cannot be used (in staff's words,
    ///   to follow the file's name).
    static func read(_ written: String, dataFolder: String) -> Result<String, Problem> {
        let path = path(written, dataFolder: dataFolder)
        if insideDataFolder(path, dataFolder: dataFolder) {
            return .failure(
                Problem(
                    "is inside the data folder, which is shared and committed; move it out (such as /etc/coalition-digest/, chmod 600) and name that path"
                ))
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(Problem("cannot be read (\(String(cString: strerror(errno)))); check the path"))
        }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else {
            return .failure(Problem("can be read by others (mode \(String(mode, radix: 8))); chmod 600 it"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Problem("cannot be read; check that digest runs as a user who may read it"))
        }
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let secret = line.trimmingCharacters(in: .whitespaces)
        guard !secret.isEmpty else { return .failure(Problem("is empty; write the secret on its first line")) }
        return .success(secret)
    }

    /// Why a secret file cannot be used.
    struct Problem: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }
}
