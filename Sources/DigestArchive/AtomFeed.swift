/// The archive's `feed.xml`: Atom 1.0 (RFC 4287), the newest digests first.
///
/// Same data, same bytes: every `updated` is a digest's own date (the
/// morning after its month, as in its calendar invitation), never the
/// clock, and ids are tag URIs (RFC 4151) made of the archive's host, the
/// digest's month and the coalition's name, so they stay the same from run
/// to run and when the site moves.
struct AtomFeed {
    /// One digest in the feed.
    struct Entry {
        /// `2019-06`.
        var month: String
        /// The subject line.
        var title: String
        /// The preheader.
        var summary: String
        /// The page: absolute when the archive has an address, else relative.
        var link: String
        /// `tag:…`.
        var id: String
        /// RFC 3339, UTC: `2019-07-01T13:00:00Z`.
        var updated: String
        /// The newsletter as HTML (escaped once more in the feed).
        var html: String
    }

    /// The newest this many digests are in the feed.
    static let limit = 24

    /// The language of the entries (`xml:lang`), such as `en`.
    var language: String
    var title: String
    var subtitle: String?
    var id: String
    var author: String
    /// `feed.xml`'s own address.
    var selfLink: String
    /// The index page's address.
    var alternateLink: String
    /// Newest first.
    var entries: [Entry]

    /// The feed document, UTF-8, `\n` line ends.
    var xml: String {
        let updated = entries.map(\.updated).max() ?? "1970-01-01T00:00:00Z"
        var lines = [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(XMLText.escape(language))\">",
            "  <title>\(XMLText.escape(title))</title>",
        ]
        if let subtitle { lines.append("  <subtitle>\(XMLText.escape(subtitle))</subtitle>") }
        lines += [
            "  <id>\(XMLText.escape(id))</id>",
            "  <updated>\(updated)</updated>",
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(XMLText.escape(selfLink))\"/>",
            "  <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLText.escape(alternateLink))\"/>",
            "  <author><name>\(XMLText.escape(author))</name></author>",
            "  <generator>Coalition Digest</generator>",
        ]
        for entry in entries.prefix(Self.limit) {
            lines += [
                "  <entry>",
                "    <title>\(XMLText.escape(entry.title))</title>",
                "    <id>\(XMLText.escape(entry.id))</id>",
                "    <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLText.escape(entry.link))\"/>",
                "    <published>\(entry.updated)</published>",
                "    <updated>\(entry.updated)</updated>",
                "    <summary>\(XMLText.escape(entry.summary))</summary>",
                "    <content type=\"html\">\(XMLText.escape(entry.html))</content>",
                "  </entry>",
            ]
        }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A tag URI (RFC 4151): `tag:www.justiceforall2030.org,2019-06-01:justice-for-all/digest/2019-06`.
    ///
    /// - Parameters:
    ///   - authority: a host name the coalition holds.
    ///   - date: a day on which it held it, `YYYY-MM-DD`.
    ///   - specific: the rest, of letters, digits and `-._/`.
    static func tag(authority: String, date: String, specific: String) -> String {
        "tag:\(authority),\(date):\(specific)"
    }
}
