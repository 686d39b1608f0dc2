/// The archive's `sitemap.xml` (sitemaps.org 0.9): the index and every
/// month's page, by absolute address. Written only when `mail.archive`
/// gives the site's address, which the protocol requires.
struct SiteMap {
    /// One page.
    struct Page {
        /// Its absolute address.
        var location: String
        /// `YYYY-MM-DD`, from the data.
        var lastModified: String?
    }

    var pages: [Page]

    /// The document, UTF-8, `\n` line ends.
    var xml: String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
        ]
        for page in pages {
            var line = "  <url><loc>\(XMLText.escape(page.location))</loc>"
            if let date = page.lastModified { line += "<lastmod>\(date)</lastmod>" }
            lines.append(line + "</url>")
        }
        lines.append("</urlset>")
        return lines.joined(separator: "\n") + "\n"
    }
}
