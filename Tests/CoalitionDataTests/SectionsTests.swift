import Foundation
import Testing

@testable import CoalitionData

/// The coalition's own sections (`sections:` and `<name>.csv`).
@Suite("The coalition's own newsletter sections")
struct SectionsTests {
    static let sections =
        DataFolderFixture.coalition + """

            languages: [en, fr]
            sections:
              - name: resources
                heading: Reading and resources
                heading_fr: Lectures et ressources
            """

    @Test("a section's heading in each language, its entries from <name>.csv with their translations")
    func loaded() throws {
        let result = try DataFolderFixture([
            "coalition.yaml": Self.sections,
            "resources.csv": """
            date,title,details,url,announced,title_fr
            2019-10-08,Justice Policy Series,A paper,https://example.org/paper,,Série sur la justice
            2018-01-20,An old report,,,2019-10-08,
            """,
        ]).load()
        #expect(result.log.all.isEmpty, "\(result.log.all)")
        let dataset = try #require(result.dataset)
        #expect(
            dataset.coalition.sections == [
                NewsletterSection(
                    name: "resources", heading: "Reading and resources", headings: ["fr": "Lectures et ressources"])
            ])
        let listing = try #require(dataset.listings.first)
        #expect(listing.items.map(\.title) == ["Justice Policy Series", "An old report"])
        #expect(listing.items[0].titles == ["fr": "Série sur la justice"])
        #expect(listing.items[0].url == "https://example.org/paper")
        #expect(listing.items.map(Listing.shared).map(\.description) == ["2019-10-08", "2019-10-08"])
    }

    @Test("a row without its date or title is an error at its cell; the section's file is not 'not read'")
    func rowErrors() throws {
        let result = try DataFolderFixture([
            "coalition.yaml": Self.sections,
            "resources.csv": "date,title\n2019-13-01,A report\n2019-10-08,\n",
        ]).load()
        let messages = result.log.all.map(\.description)
        #expect(result.dataset == nil)
        #expect(messages.contains { $0.contains("resources.csv:2:1: error:") }, "\(messages)")
        #expect(messages.contains { $0.contains("resources.csv:3:12: error:") }, "\(messages)")
        #expect(!messages.contains { $0.contains("this file is not read") })
    }

    @Test("a bad name, a name the digest has, a section twice, no heading: each at its line in coalition.yaml")
    func settingErrors() throws {
        let yaml =
            DataFolderFixture.coalition + """

                sections:
                  - name: Resources!
                    heading: A
                  - name: actions
                    heading: B
                  - name: press
                    heading: C
                  - name: press
                    heading: D
                  - name: jobs
                  - name: links
                    heading: E
                    colour: green
                """
        let result = try DataFolderFixture(["coalition.yaml": yaml]).load()
        let messages = result.log.all.map(\.description)
        let line = { (text: String) in (yaml.components(separatedBy: "\n").firstIndex { $0.contains(text) } ?? -1) + 1 }
        #expect(messages.contains { $0.contains(":\(line("Resources!")):") && $0.contains("lower-case letters") })
        #expect(
            messages.contains {
                $0.contains(":\(line("name: actions")):") && $0.contains("a part of the digest already")
            })
        #expect(messages.contains { $0.contains("the section \"press\" is listed twice") })
        #expect(messages.contains { $0.contains("heading") && $0.contains("error") })
        #expect(
            messages.contains { $0.contains(":\(line("colour")):") && $0.contains("unknown key \"sections.colour\"") })
    }

    @Test("a CSV of no section is still named as not read, with sections: as the way to add one")
    func strayFile() throws {
        let result = try DataFolderFixture(["resources.csv": "date,title\n"]).load()
        #expect(
            result.log.all.contains { $0.message.contains("this file is not read") && $0.message.contains("sections:") }
        )
    }
}
