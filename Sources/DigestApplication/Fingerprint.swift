#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the preview's folders look like on disk: a hash of every file's
/// path, size and modification time. Two equal fingerprints mean nothing
/// changed.
///
/// Taken on every request, so it uses `readdir` and `stat` directly:
/// FileManager's attribute dictionaries made it the slowest part of serving
/// a cached page.
struct Fingerprint: Equatable, Sendable {
    private var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    private var files = 0

    /// Reads the folders; a missing folder simply adds nothing.
    init(folders: [String]) {
        for folder in folders { visit(folder, depth: 0) }
    }

    private mutating func mix<T>(_ value: T) {
        withUnsafeBytes(of: value) { bytes in
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
    }

    private mutating func mix(_ text: String) {
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }

    private mutating func visit(_ path: String, depth: Int) {
        guard depth < 8, let directory = opendir(path) else { return }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let child = path + "/" + name
            var info = stat()
            guard stat(child, &info) == 0 else { continue }
            mix(child)
            mix(info.st_size)
            #if canImport(Darwin)
                mix(info.st_mtimespec.tv_sec)
                mix(info.st_mtimespec.tv_nsec)
            #else
                mix(info.st_mtim.tv_sec)
                mix(info.st_mtim.tv_nsec)
            #endif
            files += 1
            if (info.st_mode & S_IFMT) == S_IFDIR { visit(child, depth: depth + 1) }
        }
    }
}
