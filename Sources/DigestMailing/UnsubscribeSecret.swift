import Foundation

/// The key that signs members' unsubscribe links and message IDs.
///
/// It is read from the environment (`DIGEST_UNSUBSCRIBE_SECRET`) or from a
/// file named in `coalition.yaml` (`mail.unsubscribe_secret_file`), which
/// must lie outside the data folder so the key is never committed with the
/// data. The website's unsubscribe handler needs the same key to check a
/// link (`digest members verify-token`). Its bytes are never printed.
public struct UnsubscribeSecret: Sendable {
    /// The environment variable read first.
    public static let environmentVariable = "DIGEST_UNSUBSCRIBE_SECRET"
    /// The fewest bytes accepted: a short key could be guessed.
    public static let minimumLength = 16

    /// The key's bytes.
    let bytes: [UInt8]

    /// A secret of the given text (tests make their own).
    public init(text: String) throws(MailingError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= Self.minimumLength else {
            throw .secretTooShort(source: "the secret", length: trimmed.utf8.count)
        }
        bytes = Array(trimmed.utf8)
    }

    /// The secret from the environment, or else from `file` (as written in
    /// `coalition.yaml`, relative to the data folder).
    ///
    /// - Returns: nil when neither gives one.
    /// - Throws: ``MailingError`` when the file is inside the data folder,
    ///   cannot be read, or the secret is shorter than 16 bytes.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment, file: String?, dataFolder: String
    ) throws(MailingError) -> UnsubscribeSecret? {
        if let value = environment[environmentVariable], !value.isEmpty {
            do {
                return try UnsubscribeSecret(text: value)
            } catch {
                throw .secretTooShort(source: environmentVariable, length: value.utf8.count)
            }
        }
        guard let file else { return nil }
        let data = URL(fileURLWithPath: dataFolder).standardizedFileURL.resolvingSymlinksInPath().path
        let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: dataFolder, isDirectory: true))
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        if path == data || path.hasPrefix(data + "/") {
            throw .secretInDataFolder(file: file)
        }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw .secretUnreadable(file: file)
        }
        let text = String(decoding: contents, as: UTF8.self)
        do {
            return try UnsubscribeSecret(text: text)
        } catch {
            throw .secretTooShort(source: file, length: text.trimmingCharacters(in: .whitespacesAndNewlines).utf8.count)
        }
    }
}
