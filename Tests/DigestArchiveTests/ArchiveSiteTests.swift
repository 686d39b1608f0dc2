import CoalitionData
import DigestModel
import DigestRender
import DigestTestSupport
import Foundation
import Testing

@testable import DigestArchive

/// The repository's root folder.
let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The web archive built in memory from the sample data (issue 12).
@Suite("The web archive")
struct ArchiveSiteTests {
    static func sample() throws -> CoalitionDataset {
        let loaded = DataFolder.load(path: repository.appendingPathComponent("data").path)
        return try #require(loaded.dataset, "sample data has errors: \(loaded.log.all)")
    }

    static func renderer() throws -> DigestRenderer {
        DigestRenderer(
            templates: try TemplateSet(folder: repository.appendingPathComponent("templates").path), words: english)
    }

    static func build(_ dataset: CoalitionDataset) throws -> ArchiveSite {
        try ArchiveSite.build(dataset: dataset, months: dataset.reportableMonths.months, renderer: try renderer())
    }

    static func text(_ site: ArchiveSite, _ name: String) throws -> String {
        String(decoding: try #require(site.files[name], "no \(name) in the site"), as: UTF8.self)
    }

    /// Every `href="…"` and `src="…"` value, unescaped.
    static func links(_ html: String) -> [String] {
        var found: [String] = []
        for attribute in ["href=\"", "src=\""] {
            var rest = html[...]
            while let start = rest.range(of: attribute) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                found.append(String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
                rest = rest[end...]
            }
        }
        return found
    }

    @Test("a page for every month render --all covers, at the address each newsletter links to")
    func everyMonth() throws {
        let dataset = try Self.sample()
        let site = try Self.build(dataset)
        let months = dataset.reportableMonths.months
        #expect(months.count == 22)
        #expect(site.months == months)
        for month in months {
            let view = DigestView(digest: Digest(dataset: dataset, period: Period(month: month)), words: english)
            // "View this digest in your browser" and "add to calendar" point into the archive.
            let web = try #require(view.webVersion)
            #expect(web == "https://www.justiceforall2030.org/coalition/digest/\(month).html")
            #expect(site.files[String(web.split(separator: "/").last ?? "")] != nil)
            if let calendar = view.nextCall?.calendarUrl {
                #expect(site.files[String(calendar.split(separator: "/").last ?? "")] != nil, "\(calendar)")
            }
        }
        let names = Set(site.files.keys)
        #expect(names.isSuperset(of: ["index.html", "feed.xml", "sitemap.xml", "call-2020-03-10.ics"]))
        // A calendar file for every month's next call but March 2020's: the schedule ended with it.
        #expect(names.count == 22 + 21 + 3)
    }

    @Test("a month's page: the newsletter without its email-only parts, linked to its neighbours")
    func monthPage() throws {
        let site = try Self.build(try Self.sample())
        let june = try Self.text(site, "2019-06.html")
        #expect(june.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(
            june.contains(
                "<link rel=\"canonical\" href=\"https://www.justiceforall2030.org/coalition/digest/2019-06.html\">"))
        #expect(
            june.contains(
                "<meta property=\"og:url\" content=\"https://www.justiceforall2030.org/coalition/digest/2019-06.html\">"
            ))
        #expect(
            june.contains(
                "<meta property=\"og:title\" content=\"Justice For All — June 2019: Rome declaration, Ottawa and HLPF planning\">"
            ))
        #expect(
            june.contains(
                "<meta name=\"description\" content=\"Rome declaration, Ottawa and HLPF planning · next call Tuesday, 9 July 2019 · 1,575 signatures · 2 new commitments\">"
            ))
        #expect(june.contains("<a rel=\"prev\" href=\"2019-05.html\">← May 2019</a>"))
        #expect(june.contains("<a rel=\"next\" href=\"2019-07.html\">July 2019 →</a>"))
        // The July call has taken place since: shown as past, with its month's page, nothing to register for.
        #expect(june.contains("This call took place on Tuesday, 9 July 2019."))
        #expect(june.contains("<a class=\"link\" href=\"2019-07.html\""))
        #expect(!june.contains("href=\"call-2019-07-09.ics\"") && !june.contains("Register for the call"))
        // The latest month: the schedule ended (schedule.until), so no call is invented after it.
        let march = try Self.text(site, "2020-03.html")
        #expect(march.contains("The monthly calls ended with the call of Tuesday, 10 March 2020."))
        #expect(!march.contains("Register for the call") && !march.contains(".ics"))
        // The same content as the newsletter.
        #expect(june.contains("Rome conference debrief"))
        #expect(june.contains("1,575"))
        // Not the email's parts: preheader, view in browser, unsubscribe
        // footer, postal address, or the table attributes only Outlook needs.
        for emailOnly in [
            "display:none", "View this digest in your browser", "Unsubscribe", "You receive this digest",
            "1000 Example Avenue", "cellpadding", "cellspacing", "border=\"0\"", "width=\"",
        ] {
            #expect(!june.contains(emailOnly), "\(emailOnly)")
        }
        let first = try Self.text(site, "2018-06.html")
        #expect(!first.contains("rel=\"prev\"") && first.contains("First digest"))
        let last = try Self.text(site, "2020-03.html")
        #expect(!last.contains("rel=\"next\"") && last.contains("Latest digest"))
    }

    @Test("every link in the site is to a file in it, an anchor on the page, or an http(s)/mailto address")
    func linksResolve() throws {
        let site = try Self.build(try Self.sample())
        for (name, data) in site.files where name.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            let ids = Set(Self.links(html.replacingOccurrences(of: "id=\"", with: "href=\"#")))
            for link in Self.links(html) {
                if link.hasPrefix("https://") || link.hasPrefix("http://") || link.hasPrefix("mailto:") { continue }
                if link.hasPrefix("#") {
                    #expect(ids.contains(link), "\(name): \(link) has no target")
                    continue
                }
                #expect(site.files[link] != nil, "\(name) links to \(link), which is not in the site")
            }
        }
    }

    @Test("the index lists every digest newest first, by year: each month once, what it held, its figures")
    func index() throws {
        let site = try Self.build(try Self.sample())
        let index = try Self.text(site, "index.html")
        let hrefs = Self.links(index).filter { $0.hasSuffix(".html") && $0.first?.isNumber == true }
        #expect(hrefs.count == 22)
        #expect(hrefs.first == "2020-03.html" && hrefs.last == "2018-06.html")
        #expect(hrefs == hrefs.sorted(by: >))
        #expect(index.contains("<h2 id=\"y2020\">2020</h2>") && index.contains("<h2 id=\"y2018\">2018</h2>"))
        #expect(index.contains("22 digests, June 2018 to March 2020"))
        #expect(index.contains("<a href=\"feed.xml\">"))
        #expect(
            index.contains(
                "<li><a class=\"entry\" href=\"2019-06.html\"><span class=\"month\">June 2019</span><span class=\"held\">Rome declaration, Ottawa and HLPF planning</span><span class=\"facts\">46 attended · 2 new commitments · 1,575 signatures</span></a></li>"
            ))
        #expect(index.components(separatedBy: "June 2019").count == 2)
        #expect(index.contains("<link rel=\"canonical\" href=\"https://www.justiceforall2030.org/coalition/digest/\">"))
    }

    @Test("the feed: Atom, newest 24, stable tag ids, dates from the data")
    func feed() throws {
        let dataset = try Self.sample()
        let site = try Self.build(dataset)
        let feed = try Self.text(site, "feed.xml")
        #expect(
            feed.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""))
        #expect(feed.components(separatedBy: "<entry>").count - 1 == 22)  // fewer than 24 digests
        #expect(
            feed.contains(
                "<id>tag:www.justiceforall2030.org,2019-06-01:justice-for-all/digest/2019-06</id>"))
        // 09:00 New York time (EDT) on 1 July 2019, the day after June.
        #expect(feed.contains("<updated>2019-07-01T13:00:00Z</updated>"))
        // The newest first; the feed's own date is its newest entry's.
        let ids = feed.components(separatedBy: "<id>").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(ids.count == 23 && Set(ids).count == 23)
        #expect(ids.dropFirst().first?.hasSuffix("/2020-03") == true)
        #expect(feed.contains("<updated>2020-04-01T13:00:00Z</updated>\n  <link rel=\"self\""))
        #expect(
            feed.contains(
                "<link rel=\"alternate\" type=\"text/html\" href=\"https://www.justiceforall2030.org/coalition/digest/2019-06.html\"/>"
            ))
        // The content is the month as an article (not the email's tables), escaped once for XML.
        #expect(feed.contains("<content type=\"html\">&lt;article lang=&quot;en&quot;&gt;"))
        #expect(!feed.contains("role=&quot;presentation&quot;"))
        // Each entry's title is its month's own headline.
        #expect(feed.contains("<title>June 2019: Rome declaration, Ottawa and HLPF planning</title>"))
        #expect(feed.contains("<title>April 2019: Coming up: OGP Global Summit</title>"))
        #expect(feed.contains("<title>January 2019: The petition at 985 signatures</title>"))

        // Thirty months: the newest 24 only.
        var months: [YearMonth] = []
        var month = try #require(YearMonth(year: 2018, month: 1))
        for _ in 0..<30 {
            months.append(month)
            month = month.adding(months: 1)
        }
        let long = try ArchiveSite.build(dataset: dataset, months: months, renderer: try Self.renderer())
        let longFeed = try Self.text(long, "feed.xml")
        #expect(longFeed.components(separatedBy: "<entry>").count - 1 == 24)
        #expect(longFeed.contains("digest/2020-06</id>") && !longFeed.contains("digest/2018-06</id>"))
    }

    @Test("same data, same bytes")
    func deterministic() throws {
        let dataset = try Self.sample()
        #expect(try Self.build(dataset).files == (try Self.build(dataset).files))
    }

    @Test("without mail.archive: no canonical address and no sitemap; links stay relative")
    func withoutArchiveAddress() throws {
        var dataset = try Self.sample()
        dataset.coalition.mail?.archive = nil
        let site = try Self.build(dataset)
        #expect(site.files["sitemap.xml"] == nil)
        let june = try Self.text(site, "2019-06.html")
        #expect(!june.contains("rel=\"canonical\"") && !june.contains("og:url"))
        let feed = try Self.text(site, "feed.xml")
        #expect(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"2019-06.html\"/>"))
        // Still minted under a host the coalition holds: its website.
        #expect(feed.contains("<id>tag:www.justiceforall2030.org,2019-06-01:justice-for-all/digest/2019-06</id>"))
    }

    @Test("the sitemap lists the index and every page by its address")
    func sitemap() throws {
        let sitemap = try Self.text(try Self.build(try Self.sample()), "sitemap.xml")
        #expect(sitemap.components(separatedBy: "<url>").count - 1 == 23)
        #expect(
            sitemap.contains(
                "<url><loc>https://www.justiceforall2030.org/coalition/digest/2019-06.html</loc><lastmod>2019-07-01</lastmod></url>"
            ))
    }

    @Test("what comes from the data is escaped in every page, the feed and the index")
    func escaping() throws {
        var dataset = try Self.sample()
        let hostile = "</title><script>alert(1)</script> \"quoted\" & 'single'"
        guard let index = dataset.calls.firstIndex(where: { $0.date.description == "2019-06-11" }) else {
            Issue.record("no June call")
            return
        }
        dataset.calls[index].title = hostile
        dataset.coalition.name = "Justice <b>For</b> All"
        let site = try Self.build(dataset)
        for (name, data) in site.files where name.hasSuffix(".html") || name.hasSuffix(".xml") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<script"), "\(name)")
            #expect(!text.contains("<b>For"), "\(name)")
        }
        let june = try Self.text(site, "2019-06.html")
        #expect(
            june.contains(
                "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;"))
        let feed = try Self.text(site, "feed.xml")
        #expect(
            feed.contains(
                "<title>June 2019: &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &apos;single&apos;</title>"
            ))
        // In the feed's HTML content, escaped twice: once as HTML, once as XML.
        #expect(feed.contains("&amp;lt;script&amp;gt;alert(1)"))
    }
}
