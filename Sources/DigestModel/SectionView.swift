/// One of the coalition's own sections of the newsletter
/// (`coalition.yaml`'s `sections:`), with the entries shared this month.
public struct SectionView: Codable, Sendable, Equatable {
    /// One entry.
    public struct Item: Codable, Sendable, Equatable {
        /// The day it appeared, `YYYY-MM-DD`.
        public var date: String
        /// That day in words.
        public var dateText: String
        /// What it is.
        public var title: String
        /// More about it, or null.
        public var details: String?
        /// Where to find it, or null.
        public var url: String?
        /// Their language tag when it is not the digest's (`lang`), else null.
        public var titleLang: String?
    }

    /// The section's name (`resources`), the same in every language.
    public var name: String
    /// Its heading in the digest's language.
    public var heading: String
    /// The entries, in the file's order.
    public var items: [Item]
}
