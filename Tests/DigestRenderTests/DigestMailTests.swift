import CoalitionData
import DigestModel
import DigestTestSupport
import Foundation
import Testing

@testable import DigestRender

@Suite("The digest's email")
struct DigestMailTests {
    func digest(_ month: String) throws -> Digest {
        let loaded = DataFolder.load(path: repository.appendingPathComponent("data").path)
        let dataset = try #require(loaded.dataset)
        return Digest(dataset: dataset, period: try Period(parsing: month))
    }

    @Test("Date is 09:00 in the coalition's zone the day after the month, with its offset")
    func date() throws {
        #expect(DigestMail.date(digest: try digest("2020-02")) == "Sun, 01 Mar 2020 09:00:00 -0500")
        #expect(DigestMail.date(digest: try digest("2019-06")) == "Mon, 01 Jul 2019 09:00:00 -0400")
    }

    @Test("Message-ID and List-Id come from the data")
    func identifiers() throws {
        let message = try DigestMail.message(for: try digest("2020-02"), subject: "S", text: "t\n", html: "<p>h</p>\n")
        #expect(message.messageID == "digest-2020-02.justice-for-all@justiceforall2030.org")
        #expect(message.listID == "Justice For All <coalition.lists.justiceforall2030.org>")
        #expect(message.unsubscribe == ["https://www.justiceforall2030.org/coalition/unsubscribe"])
        #expect(DigestMail.slug("Justiça Para Todos — 2030!") == "justi-a-para-todos-2030")
    }

    @Test("no mail section, no email")
    func noMail() throws {
        var digest = try digest("2020-02")
        digest.coalition.mail = nil
        #expect(throws: DigestMailError.self) { try DigestMail.message(for: digest, subject: "S", text: "", html: "") }
    }

    @Test("every sample month's newsletter stays under 90 KB once encoded")
    func sizes() throws {
        let loaded = DataFolder.load(path: repository.appendingPathComponent("data").path)
        let dataset = try #require(loaded.dataset)
        let renderer = DigestRenderer(
            templates: try TemplateSet(folder: repository.appendingPathComponent("templates").path), words: english)
        var largest = 0
        for month in dataset.monthsWithData {
            let digest = Digest(dataset: dataset, period: Period(month: month))
            let html = try renderer.html(ViewValue(reflecting: renderer.view(for: digest)))
            largest = max(largest, DigestRenderer.encodedSize(html))
        }
        #expect(largest > 10_000)
        #expect(largest < DigestRenderer.htmlSizeWarning)
    }
}
