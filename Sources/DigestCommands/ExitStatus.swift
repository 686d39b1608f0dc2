import ArgumentParser

/// The exit statuses of `digest`, documented in the README.
public enum ExitStatus {
    /// Everything worked.
    public static let success: Int32 = 0
    /// The data or a template has errors; nothing was written.
    public static let dataErrors: Int32 = 1
    /// Output could not be written (permissions, full disk).
    public static let outputFailed: Int32 = 73
    // 64 (usage error) comes from swift-argument-parser.
}
