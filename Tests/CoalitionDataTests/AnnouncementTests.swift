import Foundation
import Testing

@testable import CoalitionData

/// What the record says about when things became known (issue 11): the
/// `announced` dates of events and actions, an action's extended deadline,
/// a commitment's region and the UN's count of countries presenting VNRs.
@Suite("Announced dates, extended deadlines, regions and VNR counts")
struct AnnouncementTests {
    static func date(_ text: String) throws -> LocalDate { try #require(LocalDate(iso: text)) }

    @Test("events and actions read their announced dates; empty is known from the start")
    func announcedRead() throws {
        let result = try DataFolderFixture([
            "events.csv": """
            start,end,title,announced
            2019-04-29,2019-05-02,World Justice Forum,2019-03-12
            2019-07-09,2019-07-18,HLPF,

            """,
            "actions.csv": """
            title,until,announced,extended,extended_announced
            Apply for the prize,2019-03-10,2019-02-19,2019-03-24,2019-03-12
            Sign the petition,,,,

            """,
        ]).load()
        #expect(result.log.all.isEmpty)
        let dataset = try #require(result.dataset)
        #expect(dataset.events.map { $0.announced?.description } == ["2019-03-12", nil])
        let prize = try #require(dataset.actions.first)
        #expect(prize.announced == (try Self.date("2019-02-19")))
        #expect(prize.until == (try Self.date("2019-03-10")))
        #expect(prize.extended == (try Self.date("2019-03-24")))
        #expect(prize.extendedAnnounced == (try Self.date("2019-03-12")))
        #expect(dataset.actions[1].announced == nil)
    }

    @Test("an action as known on a day: not before it is announced; the deadline known then")
    func asKnown() throws {
        let prize = Action(
            title: "Prize", details: nil, url: nil, from: nil, until: try Self.date("2019-03-10"),
            announced: try Self.date("2019-02-19"), extended: try Self.date("2019-03-24"),
            extendedAnnounced: try Self.date("2019-03-12"))
        #expect(prize.asKnown(by: try Self.date("2019-02-18")) == nil)
        let february = try #require(prize.asKnown(by: try Self.date("2019-02-28")))
        #expect(february.until == (try Self.date("2019-03-10")))
        #expect(!february.isExtended)
        #expect(february.isOpen(on: try Self.date("2019-03-10")))
        #expect(!february.isOpen(on: try Self.date("2019-03-11")))
        let twelfth = try #require(prize.asKnown(by: try Self.date("2019-03-12")))
        #expect(twelfth.until == (try Self.date("2019-03-24")))
        #expect(twelfth.isExtended)
        #expect(twelfth.isOpen(on: try Self.date("2019-03-24")))
        // An extension with no date of its own is known with the action.
        var plain = prize
        plain.extendedAnnounced = nil
        #expect(plain.asKnown(by: try Self.date("2019-02-19"))?.until == (try Self.date("2019-03-24")))
    }

    @Test("an extended deadline must come after until, and say what it extends")
    func extendedErrors() throws {
        let diagnostics = try DataFolderFixture([
            "actions.csv": """
            title,until,announced,extended,extended_announced
            No first deadline,,,2019-03-24,
            Earlier,2019-03-10,,2019-03-01,
            Same day,2019-03-10,,2019-03-10,
            Nothing extended,2019-03-10,,,2019-03-12
            Extended before announced,2019-03-10,2019-02-19,2019-03-24,2019-02-01
            Announced after closing,2019-03-10,2019-04-01,,

            """
        ]).diagnostics()
        #expect(
            diagnostics == [
                "actions.csv:2:21: error: extended is the new deadline after until, and until is empty; write the first deadline in until, or move this date to until",
                "actions.csv:3:21: error: extended 2019-03-01 is not after until 2019-03-10; extended is the later deadline that replaced until",
                "actions.csv:4:22: error: extended 2019-03-10 is not after until 2019-03-10; extended is the later deadline that replaced until",
                "actions.csv:5:31: error: extended_announced is the day a new deadline was announced, and extended is empty; write the new deadline in extended, or empty this cell",
                "actions.csv:6:60: error: extended_announced 2019-02-01 is before the action was announced (2019-02-19); correct one of them",
                "actions.csv:7:36: warning: announced 2019-04-01 is after the action closed (2019-03-10), so no digest will list it; write the day it was first announced, or leave announced empty",
            ])
    }

    @Test("a commitment may concern a region instead of a country, by its UN name")
    func regions() throws {
        let header = "date,country,region,actor,framework,title,status\n"
        let good = try DataFolderFixture([
            "commitments.csv": header + """
                2018-09-27,,latin america & the caribbean,government,Escazú Agreement,Opens for signature,in progress
                2019-01-01,,Western Africa,civil society,Summit,Paralegal summit,announced
                2019-01-02,,,civil society,Declaration,A global one,announced

                """
        ]).load()
        #expect(good.log.all.isEmpty)
        let commitments = try #require(good.dataset?.commitments)
        #expect(commitments.map(\.region) == ["Latin America and the Caribbean", "Western Africa", nil])
        #expect(commitments.map(\.scopeCode) == ["Latin America and the Caribbean", "Western Africa", "global"])

        let bad = try DataFolderFixture([
            "commitments.csv": header + """
                2018-09-27,,Latin Amerca,government,Escazú Agreement,Opens,in progress
                2018-09-27,Chile,South America,government,Escazú Agreement,Signs,in progress

                """
        ]).diagnostics()
        #expect(
            bad == [
                "commitments.csv:2:13: error: unknown region \"Latin Amerca\"; did you mean \"Latin America and the Caribbean\"? write a UN region (Africa, Americas, Asia, Europe, Oceania), a sub-region such as Western Africa, or Latin America and the Caribbean",
                "commitments.csv:3:18: error: a commitment concerns one country or one region: country is \"Chile\" and region is \"South America\"; empty one of them",
            ])
    }

    @Test("vnr.csv lead_announced and notes_announced: dates on or after the engagement's, named at their cell")
    func vnrFieldDates() throws {
        let good = try DataFolderFixture([
            "vnr.csv":
                "year,country,engagement,lead,announced,lead_announced\n2019,South Africa,host,@l,2019-02-19,2019-03-12\n"
        ]).load()
        let review = try #require(good.dataset?.reviews.first)
        #expect(review.leadAnnounced == LocalDate(iso: "2019-03-12"))
        let diagnostics = try DataFolderFixture([
            "vnr.csv":
                "year,country,engagement,lead,announced,lead_announced,notes_announced\n2019,South Africa,host,@l,2019-02-19,2019-01-08,March\n"
        ]).diagnostics()
        #expect(
            diagnostics == [
                "vnr.csv:2:38: error: lead_announced 2019-01-08 is before the engagement was announced (2019-02-19); give the lead a date on or after it, or leave lead_announced empty",
                "vnr.csv:2:49: error: notes_announced \"March\" is not a date; write the first call that gave the notes, as YYYY-MM-DD",
            ])
    }

    @Test("vnr_presenting: years and counts, read and checked against vnr.csv")
    func presenting() throws {
        let good = try DataFolderFixture([
            "coalition.yaml": DataFolderFixture.coalition + "\nvnr_presenting: {2019: 47, 2020: \"47\"}\n",
            "vnr.csv": "year,country\n2019,Indonesia\n2019,Chile\n",
        ]).load()
        #expect(good.log.all.isEmpty)
        let coalition = try #require(good.dataset?.coalition)
        #expect(coalition.presenting(in: 2019) == 47)
        #expect(coalition.presenting(in: 2020) == 47)
        #expect(coalition.presenting(in: 2021) == nil)

        let bad = try DataFolderFixture([
            "coalition.yaml": DataFolderFixture.coalition + """

                vnr_presenting:
                  2019: 1
                  19: 47
                  2020: many
                  2021: -3
                """,
            "vnr.csv": "year,country\n2019,Indonesia\n2019,Chile\n",
        ]).diagnostics()
        #expect(
            bad == [
                "coalition.yaml:11:9: error: vnr_presenting.2019 is 1, but vnr.csv lists 2 countries for 2019; correct the count from the UN's list, or the rows of vnr.csv",
                "coalition.yaml:12:3: error: vnr_presenting: \"19\" is not a year; write the HLPF year and the number of countries presenting, such as 2019: 47",
                "coalition.yaml:13:9: error: vnr_presenting.2020 \"many\" is not a number of countries; write how many present in 2020, such as 2020: 47",
                "coalition.yaml:14:9: error: vnr_presenting.2021 \"-3\" is not a number of countries; write how many present in 2021, such as 2021: 47",
            ])
    }
}
