import Foundation
import Testing

@testable import CoalitionData

@Suite("Loading a data folder")
struct DataFolderTests {
    @Test("a minimal folder loads")
    func minimal() throws {
        let result = try DataFolderFixture([:]).load()
        #expect(result.log.all.isEmpty)
        #expect(result.dataset?.coalition.name == "Test Coalition")
        #expect(result.dataset?.coalition.schedule.alsoIn == ["Europe/London", "Asia/Kathmandu"])
    }

    @Test("a missing folder is an error naming it")
    func missingFolder() {
        let result = DataFolder.load(path: "/nonexistent/data")
        #expect(result.dataset == nil)
        #expect(result.log.all.first?.description.hasPrefix("/nonexistent/data:1:1: error: the data folder") == true)
    }

    @Test("every error in commitments.csv is reported with its line and column")
    func commitmentErrors() throws {
        let csv = """
            date,country,actor,framework,title,status,url
            2019-02-19,Indonesia,government,OGP,Plan funds legal aid,in progress,https://example.org
            2019-02-30,Kirghistan,goverment,OGP,,done,example.org
            2019-13-01,,civil society,OGP,Title,announced,
            19-02-2019,,civil society,OGP,"Title, with comma",announced,www.example.org

            """
        let diagnostics = try DataFolderFixture(["commitments.csv": csv]).diagnostics()
        #expect(
            diagnostics == [
                "commitments.csv:3:1: error: date \"2019-02-30\" does not exist: that month has no day 30",
                "commitments.csv:3:12: error: unknown country \"Kirghistan\"; did you mean \"Kyrgyzstan\"?",
                "commitments.csv:3:23: error: actor \"goverment\" is not known; did you mean \"government\"? use one of: government, civil society, private sector, multilateral, philanthropy",
                "commitments.csv:3:37: error: title is empty; every row needs one",
                "commitments.csv:3:38: error: status \"done\" is not known; use one of: announced, in progress, fulfilled",
                "commitments.csv:3:43: error: the address \"example.org\" must start with https:// (or http://, or mailto: for an email address)",
                "commitments.csv:4:1: error: date \"2019-13-01\" has month 13; months go from 01 to 12 (YYYY-MM-DD)",
                "commitments.csv:5:1: error: date \"19-02-2019\" is not a date written YYYY-MM-DD, for example 2019-06-11",
                "commitments.csv:5:61: error: the address \"www.example.org\" needs https:// in front (https://www.example.org)",
            ])
    }

    @Test("header problems: missing, unknown and repeated columns")
    func headerErrors() throws {
        let diagnostics = try DataFolderFixture([
            "events.csv": "start,titel,start\n2019-01-01,x,y\n",
            "vnr.csv": "year,country,engagment\n2019,Kenya,workshop\n",
        ]).diagnostics()
        #expect(
            diagnostics == [
                "events.csv:1:1: error: missing column \"title\" in the first line; the first line must name the columns: start, title, end, location, url, announced, dates_announced",
                "events.csv:1:7: warning: unknown column \"titel\" is ignored; did you mean \"title\"? (expected columns: start, title, end, location, url, announced, dates_announced)",
                "events.csv:1:13: error: the column \"start\" appears twice; delete or rename one of them",
                "vnr.csv:1:14: warning: unknown column \"engagment\" is ignored; did you mean \"engagement\"? (expected columns: year, country, engagement, lead, sdg16, notes, announced, lead_announced, notes_announced)",
            ])
    }

    @Test("rows with too many or too few values")
    func rowWidth() throws {
        let diagnostics = try DataFolderFixture([
            "actions.csv": "title,details,url,from,until\nSign,Sign it, now,https://x.org,,\nShare,,\n"
        ]).diagnostics()
        #expect(
            diagnostics == [
                "actions.csv:2:34: error: this row has 6 values but the first line names 5 columns; a value with a comma in it needs \"double quotes\" around it",
                "actions.csv:3:8: error: this row has 3 values but the first line names 5 columns; add the missing values (empty ones still need their commas)",
            ])
    }

    @Test("an unterminated quote in petition.csv points at the field's start")
    func unterminatedQuote() throws {
        let diagnostics = try DataFolderFixture([
            "petition.csv":
                "date,source,kind,count\n2019-01-31,web,total,10\n2019-02-28,\"web,total,20\n2019-03-31,web,total,30\n"
        ]).diagnostics()
        #expect(
            diagnostics == [
                "petition.csv:3:12: error: this quoted value is never closed, so the rest of the file would be read into it; add the closing \" at the end of the value"
            ])
    }

    @Test("petition: one kind per source is an error, a falling total a warning")
    func petitionRules() throws {
        let csv = """
            date,source,kind,count,country
            2019-01-31,web,total,100,
            2019-02-28,web,total,90,
            2019-02-28,paper,new,"1,250",KE
            2019-03-31,web,new,5,
            2019-03-31,paper,new,x,
            """
        let diagnostics = try DataFolderFixture(["petition.csv": csv]).diagnostics()
        #expect(
            diagnostics == [
                "petition.csv:3:1: warning: the running total of \"web\" goes down from 100 on 2019-01-31 to 90; check the figure (a cleaned list can lose signatures)",
                "petition.csv:5:1: error: source \"web\" is counted as \"total\" on line 2 but as \"new\" here; a source uses one kind only, so give this one another source name or convert its counts",
                "petition.csv:6:22: error: count \"x\" is not a whole number; write digits only, such as 1250, or with a separator between groups of three digits, such as 1,250",
            ])
    }

    @Test("a falling total alone is only a warning: data still loads")
    func warningStillLoads() throws {
        let result = try DataFolderFixture([
            "petition.csv": "date,source,kind,count\n2019-01-31,web,total,100\n2019-02-28,web,total,90\n"
        ]).load()
        #expect(result.log.errorCount == 0)
        #expect(result.log.warningCount == 1)
        #expect(result.dataset?.petition.count == 2)
        #expect(result.log.summary == "0 errors, 1 warning")
    }

    @Test("coalition.yaml: YAML syntax errors keep their position")
    func yamlSyntax() throws {
        let diagnostics = try DataFolderFixture(["coalition.yaml": "name: X\nschedule:\n  rule: [2nd Tuesday\n"])
            .diagnostics()
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.hasPrefix("coalition.yaml:4:1: error: this is not valid YAML") == true)
    }

    @Test("coalition.yaml: every wrong value, with suggestions")
    func coalitionValues() throws {
        let yaml = """
            name: X
            hashtag: #Tag
            website: justice.org
            schedule:
              rule: second Tusday
              time: "25:00"
              timezone: America/New_Yrok
              also_in: [Europe/London, Nairobi]
              register: https://x.org
            petition:
              title: P
              goal: lots
            mail:
              from: "Team <team@x.org>"
              to: nobody
              unsubscribe: http://x.org/unsubscribe
            """
        let diagnostics = try DataFolderFixture(["coalition.yaml": yaml]).diagnostics()
        #expect(
            diagnostics == [
                "coalition.yaml:2:1: warning: hashtag is empty: in YAML a # starts a comment, so write the tag without it (hashtag: JusticeForAll) or in quotes (hashtag: \"#JusticeForAll\")",
                "coalition.yaml:3:10: error: website: the address \"justice.org\" must start with https:// (or http://, or mailto: for an email address)",
                "coalition.yaml:5:9: error: schedule.rule \"second Tusday\" is not understood; write which weekday of the month, such as \"2nd Tuesday\" or \"last Thursday\"",
                "coalition.yaml:6:9: error: schedule.time \"25:00\" is not a time; write it on a 24-hour clock as \"10:00\" or \"15:30\"",
                "coalition.yaml:7:13: error: schedule.timezone \"America/New_Yrok\" is not a time zone of the tz database; did you mean \"America/New_York\"? write it as Region/City, such as Europe/London or Asia/Kolkata",
                "coalition.yaml:8:28: error: schedule.also_in \"Nairobi\" is not a time zone of the tz database; did you mean \"Africa/Nairobi\"? write it as Region/City, such as Europe/London or Asia/Kolkata",
                "coalition.yaml:9:3: warning: unknown key \"schedule.register\" is ignored; did you mean \"schedule.registration\"? known keys: rule, time, timezone, also_in, registration, until",
                "coalition.yaml:12:9: error: petition.goal \"lots\" is not a number of signatures; write a whole number above zero, such as 100000",
                "coalition.yaml:14:3: warning: mail.postal_address is missing: bulk mail must carry the sender's postal address (US law and Mailchimp's rules); add a line \"postal_address: Street, City, Country\"",
                "coalition.yaml:15:7: error: mail.to \"nobody\" is not an email address: it has no @; write it as name@example.org or Name <name@example.org>",
                "coalition.yaml:16:16: error: mail.unsubscribe must be an https:// page (or a mailto: address); mail providers ignore plain http links",
            ])
    }

    @Test("a missing coalition.yaml is an error; missing CSV files are not")
    func missingCoalition() throws {
        let diagnostics = try DataFolderFixture([:], withCoalition: false).diagnostics()
        #expect(
            diagnostics == [
                "coalition.yaml:1:1: error: this file is missing; the data folder's README shows what it holds"
            ])
    }

    @Test("a misnamed data file is a warning with a suggestion")
    func misnamedFile() throws {
        let diagnostics = try DataFolderFixture(["commitment.csv": "date\n"]).diagnostics()
        #expect(diagnostics.count == 1)
        #expect(
            diagnostics.first?.hasPrefix(
                "commitment.csv:1:1: warning: this file is not read; did you mean commitments.csv?") == true)
    }

    @Test("a file that is not UTF-8 is an error at the first bad byte")
    func notUTF8() throws {
        let fixture = try DataFolderFixture([:])
        let bytes: [UInt8] = Array("title\nok\nbad ".utf8) + [0xE9] + Array("t\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.path + "/actions.csv"))
        let diagnostics = fixture.diagnostics()
        #expect(diagnostics.first?.hasPrefix("actions.csv:3:5: error: this file is not UTF-8 text") == true)
    }

    @Test("events, actions and reviews: every kind of wrong value")
    func otherFiles() throws {
        let diagnostics = try DataFolderFixture([
            "events.csv": "start,end,title,location,url\n2019-05-02,2019-04-29,Forum,The Hague,\n2019-07-15,,,,\n",
            "actions.csv": "title,details,url,from,until\nSign,,,2019-03-01,2019-02-01\n,no title,,,\n",
            "vnr.csv":
                "year,country,engagement,lead,sdg16,notes\n19,Kenya,,,maybe,\n2019,,,,,\n2019,Swaziland,none,,no,\n",
        ]).diagnostics()
        #expect(
            diagnostics == [
                "actions.csv:2:19: error: until 2019-02-01 is before from 2019-03-01; swap them or correct one",
                "actions.csv:3:1: error: title is empty; every row needs one",
                "events.csv:2:12: error: end 2019-04-29 is before start 2019-05-02; swap them or correct one",
                "events.csv:3:13: error: title is empty; every row needs one",
                "vnr.csv:2:1: error: year \"19\" is not a year; write the HLPF year with four digits, such as 2019",
                "vnr.csv:2:12: error: sdg16 \"maybe\" is not a yes or no; write yes, no, true, false or unknown, or leave it empty",
                "vnr.csv:3:6: error: country is empty; every review belongs to a country",
            ])
    }

    @Test(
        "a yes/no column takes yes, no, true, false and unknown in any case, or nothing",
        arguments: [
            ("yes", true), ("YES", true), ("True", true), ("no", false), ("FALSE", false), ("unknown", nil),
            ("Unknown", nil), ("", nil),
        ] as [(String, Bool?)])
    func yesNo(text: String, expected: Bool?) throws {
        let result = try DataFolderFixture([
            "vnr.csv": "year,country,engagement,lead,sdg16,notes\n2019,Kenya,,,\(text),\n"
        ]).load()
        #expect(result.log.all.isEmpty)
        #expect(result.dataset?.reviews.first?.sdg16 == expected)
    }

    @Test("coalition.yaml: a key written twice, and a link without its address")
    func yamlStructure() throws {
        let twice = try DataFolderFixture(["coalition.yaml": "name: A\nname: B\n"]).diagnostics()
        #expect(twice.count == 1)
        #expect(twice.first?.contains("error: this is not valid YAML (the key name appears twice)") == true)
        let yaml = DataFolderFixture.coalition + "\nlinks:\n  - label: Twitter\n  - just text\n"
        let links = try DataFolderFixture(["coalition.yaml": yaml]).diagnostics()
        #expect(
            links == [
                "coalition.yaml:11:5: error: links.url is missing; add a line \"url: https://…\"",
                "coalition.yaml:12:5: error: each link needs a label and a url, on lines \"- label: …\" and \"  url: …\"",
            ])
    }
}
