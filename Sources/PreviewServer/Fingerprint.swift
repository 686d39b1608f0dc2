import Foundation

/// What the preview's folders look like on disk: every file's path, size
/// and modification time. Two equal fingerprints mean nothing changed.
struct Fingerprint: Equatable, Sendable {
    private var entries: [String: String] = [:]

    /// Reads the folders; a missing folder simply adds nothing.
    init(folders: [String]) {
        let manager = FileManager.default
        for folder in folders {
            guard let enumerator = manager.enumerator(atPath: folder) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let path = folder + "/" + relative
                guard let attributes = try? manager.attributesOfItem(atPath: path) else { continue }
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                entries[path] = "\(size)/\(modified)"
            }
        }
    }
}
