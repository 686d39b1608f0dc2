import Foundation
import Testing

@testable import CoalitionData

/// `members.csv` (issue 13, part 1): loaded with the same reader and
/// diagnostics as the other files, never repeating an address.
@Suite("The member list")
struct MemberListTests {
    static let header = "email,name,country,organisation,language,status,since\n"

    static func load(_ text: String, name: String = "members.csv") throws -> (MemberList.Result, String) {
        let folder = NSTemporaryDirectory() + "members-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        return (MemberList.load(path: folder + "/" + name), folder + "/")
    }

    static func diagnostics(_ text: String) throws -> [String] {
        let (result, prefix) = try load(text)
        return result.log.sorted.map { String($0.description.dropFirst(prefix.count)) }
    }

    @Test("timezone: an IANA zone, else the capital's of their country; a name the tz database lacks is warned about")
    func timezone() throws {
        let (result, prefix) = try Self.load(
            "email,name,country,timezone,status\n"
                + "a@example.org,A,United States,America/Chicago,subscribed\n"
                + "b@example.org,B,Kenya,,subscribed\n"
                + "c@example.org,C,Kenya,Nairobi,subscribed\n")
        let members = try #require(result.members)
        #expect(members.map(\.localZone) == ["America/Chicago", "Africa/Nairobi", "Africa/Nairobi"])
        #expect(members[2].timezone == nil)
        #expect(
            result.log.sorted.map { String($0.description.dropFirst(prefix.count)) } == [
                "members.csv:4:23: warning: timezone \"Nairobi\" is not a time zone of the tz database; did you mean \"Africa/Nairobi\"? write it as Region/City, such as Africa/Nairobi, or leave it empty for the capital's zone of their country"
            ])
    }

    @Test("the recipients among some mailboxes, counted as recipients(_:) would give them, without the list")
    func recipientCount() {
        let members = [
            Member(email: "amina@example.org", status: .subscribed, line: 2),
            Member(email: "Amina@EXAMPLE.org", status: .unsubscribed, line: 3),  // one person, unsubscribed
            Member(email: "bao@example.org", status: .subscribed, line: 4),
            Member(email: "bao@example.org", status: .subscribed, line: 5),  // one person, twice
            Member(email: "chidi@example.org", status: .subscribed, line: 6),  // not among the mailboxes
            Member(email: "dara@example.org", status: .bounced, line: 7),
        ]
        let mailboxes: Set = ["amina@example.org", "bao@example.org", "dara@example.org", "nobody@example.org"]
        let listed = MemberList.recipients(members).count { mailboxes.contains($0.mailbox) }
        #expect(listed == 1)
        #expect(MemberList.recipientCount(members, among: mailboxes) == listed)
        #expect(MemberList.recipientCount(members, among: []) == 0)
        #expect(MemberList.recipientCount(members, among: ["chidi@example.org"]) == 1)
    }

    @Test("the sample: 40 invented members at example.org, 35 subscribed, in many countries")
    func sample() throws {
        let result = MemberList.load(path: sampleData + "/members.csv")
        #expect(result.log.all.isEmpty)
        let members = try #require(result.members)
        #expect(members.count == 40)
        #expect(members.count(where: \.receivesDigest) == 35)
        #expect(members.count(where: { $0.status == .unsubscribed }) == 4)
        #expect(members.count(where: { $0.status == .bounced }) == 1)
        #expect(members.allSatisfy { $0.email.hasSuffix("@example.org") })
        #expect(Set(members.compactMap { $0.country?.alpha2 }).count >= 25)
        #expect(members.contains { $0.name == nil })
        #expect(members.first?.country?.name == "Kenya" && members.first?.name == "Amina Odhiambo")
    }

    @Test("address literals must be IP addresses; a name past 120 characters is warned about")
    func literalsAndLongNames() throws {
        let longName = String(repeating: "Amina ", count: 3_400)
        let text =
            Self.header + """
                lit1@[192.0.2.1],A,,,,subscribed,
                lit2@[1.2.3.4>x],B,,,,subscribed,
                lit3@[IPv6:2001:db8::1],C,,,,subscribed,
                lit4@[IPv6:zz::1],D,,,,subscribed,
                lit5@[300.1.1.1],E,,,,subscribed,
                long@example.org,\(longName),,,,subscribed,

                """
        let literal =
            "error: email is not a mailbox address: the address literal after the @ is not an IP address; write [192.0.2.1] or [IPv6:2001:db8::1], or better, the domain's name; write it as name@example.org"
        #expect(
            try Self.diagnostics(text) == [
                "members.csv:3:1: " + literal, "members.csv:5:1: " + literal, "members.csv:6:1: " + literal,
                "members.csv:7:18: warning: name is \(longName.count - 1) characters long, more than a name needs (120); it is the greeting and the name in the To: line, so check that nothing else was pasted into it",
            ])
    }

    @Test("each problem at its cell, and no address in any message")
    func problems() throws {
        let addresses = [
            "amina.odhiambo@example", "joseph kamau@example.org", "ngozi@exa_mple.org", "ayesha@EXAMPLE.org",
            "ayesha@example.ORG", "dewi..lestari@example.org", "josé@example.org",
        ]
        let text =
            Self.header + """
                \(addresses[0]),Amina,Kenya,,,subscribed,
                \(addresses[1]),Joseph,Kenya,,,subscribed,
                \(addresses[2]),Ngozi,Nigerai,,,subscribed,
                \(addresses[3]),Ayesha,PK,,,subscribed,
                \(addresses[4]),Ayesha,PK,,,subscribed,
                \(addresses[5]),Dewi,ID,,,subscribed,
                \(addresses[6]),José,MX,,,subscribed,
                ,Nobody,,,,subscribed,
                sita@example.org,Sita,NP,,,away,2019-13-01

                """
        let diagnostics = try Self.diagnostics(text)
        #expect(
            diagnostics == [
                "members.csv:2:1: error: email is not a mailbox address: the domain after the @ needs a dot, as in example.org; write it as name@example.org",
                "members.csv:3:1: error: email is not a mailbox address: it contains a space; write it as name@example.org",
                "members.csv:4:1: error: email is not a mailbox address: the domain after the @ may hold only letters, digits, hyphens and dots; write it as name@example.org",
                "members.csv:4:26: error: unknown country \"Nigerai\"; did you mean \"Niger\"?",
                "members.csv:6:1: error: this address is already on line 5 (addresses differing only in the case of their domain are one); keep one of the two rows",
                "members.csv:7:1: error: email is not a mailbox address: the part before the @ has a character an address cannot hold, or a dot at its start, its end or twice in a row; write it as name@example.org",
                "members.csv:8:1: error: email is not a mailbox address: it holds a letter outside ASCII, which most mail servers refuse; write the address in ASCII (a domain in its xn-- form); write it as name@example.org",
                "members.csv:9:1: error: email is empty; every member needs an address",
                "members.csv:10:28: error: status \"away\" is not known; use one of: subscribed, unsubscribed, bounced",
                "members.csv:10:33: error: since \"2019-13-01\" has month 13; months go from 01 to 12 (YYYY-MM-DD)",
            ])
        for line in diagnostics {
            for address in addresses {
                #expect(!line.contains(address), "\(line)")
                #expect(!line.contains(address.split(separator: "@")[0]), "\(line)")
            }
        }
        let (result, _) = try Self.load(text)
        #expect(result.members == nil)
    }

    @Test("a list without its header line is refused without repeating the first address")
    func noHeader() throws {
        #expect(
            try Self.diagnostics("amina@example.org,Amina,Kenya,,,subscribed,\n") == [
                "members.csv:1:1: error: the first line must name the columns (email, name, country, organisation, language, status, since), but it holds an address; add the header line above it"
            ])
    }

    @Test("where the list is: mail.members, relative to the data folder or absolute, else members.csv")
    func path() throws {
        let loaded = DataFolder.load(path: sampleData)
        var coalition = try #require(loaded.dataset?.coalition)
        #expect(MemberList.path(dataFolder: "data", coalition: coalition) == "data/members.csv")
        coalition.mail?.members = "../private/members.csv"
        #expect(MemberList.path(dataFolder: "data/", coalition: coalition) == "data/../private/members.csv")
        coalition.mail?.members = "/srv/coalition/members.csv"
        #expect(MemberList.path(dataFolder: "data", coalition: coalition) == "/srv/coalition/members.csv")
        // No list is not a problem for commands that do not need one.
        let missing = MemberList.load(path: NSTemporaryDirectory() + "no-such-folder/members.csv")
        #expect(missing.members == [] && missing.log.all.isEmpty)
    }
}
