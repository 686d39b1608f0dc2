/// A way to get involved.
public struct ActionView: Codable, Sendable, Equatable {
    /// The title, or null.
    public var title: String
    /// More about it, or null.
    public var details: String?
    /// The address.
    public var url: String?
    /// Last day open as known by the period's end, or null.
    public var until: String?
    /// True when that deadline is an extension announced by the period's end.
    public var extended: Bool
    /// `Open until 24 March 2019.` (or `Deadline extended to 24 March
    /// 2019.`), or nil.
    public var untilText: String?
    /// The day it was first announced, `YYYY-MM-DD`, or null when known
    /// from the start.
    public var announced: String?
    /// Their language tag when it is not the digest's (`lang`), else null.
    public var titleLang: String?
}
