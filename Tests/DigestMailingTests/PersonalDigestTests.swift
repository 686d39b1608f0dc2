import CoalitionData
import DigestModel
import DigestRender
import DigestTestSupport
import Foundation
import MIME
import Testing

@testable import DigestMailing

let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The sample data, its members and a renderer, loaded once.
struct Sample {
    let dataset: CoalitionDataset
    let members: [Member]
    let renderer: DigestRenderer

    static func load() throws -> Sample {
        let data = repository.appendingPathComponent("data").path
        let dataset = try #require(DataFolder.load(path: data).dataset)
        let members = try #require(MemberList.load(path: data + "/members.csv").members)
        let templates = try TemplateSet(folder: repository.appendingPathComponent("templates").path)
        return Sample(
            dataset: dataset, members: members, renderer: DigestRenderer(templates: templates, words: english))
    }

    func personal(_ month: String, secret: String = "correct horse battery staple") throws -> PersonalDigest {
        let digest = Digest(dataset: dataset, period: try Period(parsing: month))
        return try PersonalDigest(digest: digest, renderer: renderer, secret: UnsubscribeSecret(text: secret))
    }

    func member(_ email: String) throws -> Member {
        try #require(members.first { $0.email == email })
    }
}

@Suite("A digest for each member")
struct PersonalDigestTests {
    let sample: Sample

    init() throws { sample = try Sample.load() }

    @Test(
        "the spliced message is byte for byte the whole render, for every member",
        arguments: ["2019-03", "2019-06", "2020-02"])
    func splicedEqualsReference(month: String) throws {
        let personal = try sample.personal(month)
        for member in sample.members {
            let spliced = String(decoding: personal.message(for: member), as: UTF8.self)
            let reference = try personal.reference(for: member)
            #expect(spliced == reference, "line \(member.line)")
        }
    }

    @Test("addressed by name, greeted by first name (the whole name without one); the neutral greeting without either")
    func greeting() throws {
        let personal = try sample.personal("2019-03")
        var amina = try sample.member("amina.odhiambo@example.org")
        let message = String(decoding: personal.message(for: amina), as: UTF8.self)
        #expect(message.contains("\r\nTo: Amina Odhiambo <amina.odhiambo@example.org>\r\n"))
        let text = try Self.part(message, "text/plain")
        #expect(text.contains("\n\nDear Amina,\n\n"))
        let html = try Self.part(message, "text/html")
        #expect(html.contains(">Dear Amina,</p>"))
        amina.firstName = nil
        #expect(personal.greeting(for: amina) == "Dear Amina Odhiambo,")

        let nameless = try #require(sample.members.first { $0.name == nil })
        let other = try Self.part(String(decoding: personal.message(for: nameless), as: UTF8.self), "text/plain")
        #expect(other.contains("\n\nDear friends,\n\n"))
        #expect(!other.contains("Dear ,"))
    }

    @Test("a name that is markup or HTML stays text")
    func hostileName() throws {
        let personal = try sample.personal("2019-03")
        let member = Member(
            email: "x@example.org", name: "<b>Eve</b> & \"Mallory\"\r\nBcc: all@example.org", status: .subscribed,
            line: 99)
        let message = String(decoding: personal.message(for: member), as: UTF8.self)
        #expect(message == (try personal.reference(for: member)))
        let headers = message.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headers.contains("\r\nBcc:"))
        let html = try Self.part(message, "text/html")
        #expect(html.contains("Dear &lt;b&gt;Eve&lt;/b&gt; &amp; &quot;Mallory&quot; Bcc: all@example.org,"))
        let text = try Self.part(message, "text/plain")
        #expect(text.contains("Dear <b>Eve</b> & \"Mallory\" Bcc: all@example.org,"))
    }

    @Test("From your country: only where the month holds something about it")
    func countryNews() throws {
        let personal = try sample.personal("2019-03")
        // Indonesia was on the March 2019 call and presents its VNR in 2019 (its
        // input to the government's draft came in May: not known yet).
        let indonesian = try #require(sample.members.first { $0.country?.alpha2 == "ID" && $0.receivesDigest })
        let text = try Self.part(
            String(decoding: personal.message(for: indonesian), as: UTF8.self), "text/plain")
        #expect(
            text.contains(
                """
                Your country: Indonesia
                -----------------------

                - Among the countries of the call of Tuesday, 12 March 2019.
                - Presents its Voluntary National Review in 2019; the coalition is
                  involved: VNR workshop (Cape Town).

                In this issue:
                """))
        // Nigeria presents no VNR in 2019 and was not among the call's countries.
        let nigerian = try sample.member("ngozi.eze@example.org")
        let nigeria = try Self.part(String(decoding: personal.message(for: nigerian), as: UTF8.self), "text/plain")
        #expect(!nigeria.contains("Your country"))
        #expect(nigeria.contains("Dear Ngozi,\n\nIn this issue:"))
        let nigeriaHTML = try Self.part(String(decoding: personal.message(for: nigerian), as: UTF8.self), "text/html")
        #expect(!nigeriaHTML.contains("Your country"))
        let html = try Self.part(String(decoding: personal.message(for: indonesian), as: UTF8.self), "text/html")
        #expect(html.contains("Your country: Indonesia</p>"))
        // Each item links to where the newsletter says more.
        #expect(
            html.contains(
                "Among the countries of the call of Tuesday, 12 March 2019. <a class=\"link\" href=\"#call-2019-03-12\""
            ))
        #expect(
            html.contains(
                "href=\"#vnr\" style=\"color:#0f5fa6;text-decoration:underline;white-space:nowrap;\">VNRs&nbsp;→</a>"))
    }

    @Test("events held in the member's country; the next call first at their own time, from timezone or the capital's")
    func eventsAndLocalTime() throws {
        let personal = try sample.personal("2019-06")
        // Sarah lives in Chicago (her timezone column): the events in New York are hers too.
        let sarah = try sample.member("sarah.miller@example.org")
        #expect(sarah.timezone == "America/Chicago")
        let message = String(decoding: personal.message(for: sarah), as: UTF8.self)
        #expect(message == (try personal.reference(for: sarah)))
        let text = try Self.part(message, "text/plain")
        #expect(
            text.contains(
                """
                Your country: United States
                ---------------------------

                - 9–18 July 2019: High-level Political Forum 2019 (SDG 16 under review),
                  New York.
                - 14 July 2019: Civil society convening on justice before the HLPF, New
                  York.
                """))
        #expect(text.contains("Next call\n---------\n\nYour time: Tuesday, 9 July 2019, 09:00 (Chicago)\n\n"))
        let html = try Self.part(message, "text/html")
        #expect(html.contains(">Your time: Tuesday, 9 July 2019, 09:00 (Chicago)</p>"))
        // Without a timezone, the capital's: Nairobi for Kenya.
        let amina = try sample.member("amina.odhiambo@example.org")
        #expect(amina.timezone == nil && amina.localZone == "Africa/Nairobi")
        let kenyan = try Self.part(String(decoding: personal.message(for: amina), as: UTF8.self), "text/plain")
        #expect(kenyan.contains("\n\nYour time: Tuesday, 9 July 2019, 17:00 (Nairobi)\n\n"))
        // In the coalition's own zone, or with no country, the section already says it.
        let neutral = Member(email: "n@example.org", status: .subscribed, line: 90)
        let none = try Self.part(String(decoding: personal.message(for: neutral), as: UTF8.self), "text/plain")
        #expect(!none.contains("Your time"))
        #expect(none.contains("Next call\n---------\n\nTuesday, 9 July 2019 at 10:00 New York time."))
        var newYorker = neutral
        newYorker.timezone = "America/New_York"
        let home = try Self.part(String(decoding: personal.message(for: newYorker), as: UTF8.self), "text/plain")
        #expect(!home.contains("Your time"))
    }

    @Test("each member's own unsubscribe link, in the body and in List-Unsubscribe, with one-click")
    func unsubscribe() throws {
        let personal = try sample.personal("2020-02")
        let amina = try sample.member("amina.odhiambo@example.org")
        let url = personal.unsubscribeURL(for: amina)
        let token = String(url.split(separator: "=").last ?? "")
        #expect(url.hasPrefix("https://www.justiceforall2030.org/coalition/unsubscribe?m="))
        #expect(token.count == 22)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let message = String(decoding: personal.message(for: amina), as: UTF8.self)
        #expect(message.contains("\r\nList-Unsubscribe: <\(url)>\r\n"))
        #expect(message.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        // In the text, a numbered reference like every other link: "· Unsubscribe [12]", then "[12] <url>".
        let text = try Self.part(message, "text/plain")
        let number = try #require(text.firstMatch(of: /\s·\sUnsubscribe\s\[(\d+)\]\n/)?.1)
        #expect(text.contains("\n[\(number)] \(url)\n"))
        #expect(try Self.part(message, "text/html").contains("href=\"\(url)\""))
        // Another member, another link; the address is nowhere in the token.
        let joseph = try sample.member("joseph.kamau@example.org")
        #expect(personal.unsubscribeURL(for: joseph) != url)
        #expect(!token.lowercased().contains("amina"))
    }

    @Test("the Message-ID is the same for a member and month every time, and differs otherwise")
    func messageID() throws {
        let march = try sample.personal("2019-03")
        let again = try sample.personal("2019-03")
        let june = try sample.personal("2019-06")
        let amina = try sample.member("amina.odhiambo@example.org")
        let joseph = try sample.member("joseph.kamau@example.org")
        #expect(march.messageID(for: amina) == again.messageID(for: amina))
        #expect(march.messageID(for: amina) != march.messageID(for: joseph))
        #expect(march.messageID(for: amina) != june.messageID(for: amina))
        #expect(march.messageID(for: amina).hasPrefix("digest-2019-03."))
        #expect(march.messageID(for: amina).hasSuffix(".justice-for-all@justiceforall2030.org"))
        #expect(!march.messageID(for: amina).contains("amina"))
        #expect(march.message(for: amina) == again.message(for: amina))
    }

    @Test("the list's digest is unchanged: no greeting, the plain unsubscribe page")
    func listDigestUnchanged() throws {
        let digest = Digest(dataset: sample.dataset, period: try Period(parsing: "2019-03"))
        let files = try sample.renderer.render(digest, formats: [.text])
        let text = String(decoding: try #require(files["digest.txt"]), as: UTF8.self)
        #expect(!text.contains("Dear "))
        #expect(!text.contains("From your country"))
        let number = try #require(text.firstMatch(of: /\s·\sUnsubscribe\s\[(\d+)\]\n/)?.1)
        #expect(text.contains("\n[\(number)] https://www.justiceforall2030.org/coalition/unsubscribe\n"))
    }

    /// A part of a message, decoded from quoted-printable.
    static func part(_ message: String, _ type: String) throws -> String {
        let marker = "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        let start = try #require(message.range(of: marker)).upperBound
        let rest = message[start...]
        let end = try #require(rest.range(of: "\r\n--=_digest_")).lowerBound
        return QuotedPrintableDecoding.decode(String(rest[..<end]))
    }
}

/// A small quoted-printable decoder for reading parts back in tests.
enum QuotedPrintableDecoding {
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(
            text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "\r\n", with: "\n").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
                let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

@Suite("A digest for each member, in their language")
struct PersonalLanguageTests {
    let sample: Sample
    init() throws { sample = try Sample.load() }

    func personal(_ month: String) throws -> PersonalDigest {
        let digest = Digest(dataset: sample.dataset, period: try Period(parsing: month))
        let renderers = ["en", "fr", "es"].reduce(into: [String: DigestRenderer]()) {
            $0[$1] = DigestRenderer(templates: sample.renderer.templates, words: $1 == "en" ? english : words($1))
        }
        return try PersonalDigest(
            digest: digest, renderers: renderers, secret: UnsubscribeSecret(text: "correct horse battery staple"))
    }

    @Test(
        "a French reader gets French, a Spanish reader Spanish, an Italian reader English; each byte for byte as a whole render"
    )
    func editions() throws {
        let personal = try personal("2019-06")
        let cases: [(String, String, String, String)] = [
            ("esperance.mbuyi@example.org", "fr", "Bonjour Espérance,", "Dans ce numéro"),
            ("ana.lopez@example.org", "es", "Hola, Ana:", "En este número"),
            ("giulia.rossi@example.org", "en", "Dear Giulia,", "In this issue"),
        ]
        for (email, language, greeting, heading) in cases {
            let member = try sample.member(email)
            let message = String(decoding: personal.message(for: member), as: UTF8.self)
            #expect(message.contains("\r\nContent-Language: \(language)\r\n"), "\(email)")
            let text = try PersonalDigestTests.part(message, "text/plain")
            #expect(text.contains("\n\n\(greeting)\n\n"), "\(email)")
            #expect(text.contains(heading), "\(email)")
            let html = try PersonalDigestTests.part(message, "text/html")
            #expect(html.contains("<html lang=\"\(language)\">"), "\(email)")
            #expect(message == (try personal.reference(for: member)), "\(email)")
            // The member's links and Message-ID do not depend on the language.
            #expect(message.contains("Message-ID: <\(personal.messageID(for: member))>"))
        }
    }

    @Test("From your country in the reader's language, with the locale's country name")
    func countryNews() throws {
        let personal = try personal("2019-06")
        let ana = try sample.member("ana.lopez@example.org")
        let text = try PersonalDigestTests.part(
            String(decoding: personal.message(for: ana), as: UTF8.self), "text/plain"
        )
        .replacingOccurrences(of: "\n  ", with: " ")
        #expect(text.contains("Su país: Guatemala"))
        #expect(text.contains("- Entre los países de la llamada del martes, 11 de junio de 2019."))
        #expect(
            text.contains(
                "- Presenta su Examen Nacional Voluntario en 2019; la coalición participa: informe sombra."))
        // Guatemala's own zone is the table's first; her time is said first all the same.
        #expect(
            text.contains(
                "Próxima llamada\n---------------\n\nEn su hora: martes, 9 de julio de 2019, 8:00 (Guatemala)\n\n"))
    }
}

@Suite("How members are greeted: mail.greeting with a first name")
struct GreetingPatternTests {
    let sample: Sample
    init() throws { sample = try Sample.load() }

    func personal(greeting: String?) throws -> PersonalDigest {
        var dataset = sample.dataset
        dataset.coalition.mail?.greeting = greeting
        let digest = Digest(dataset: dataset, period: try Period(parsing: "2019-06"))
        let renderers = ["en", "fr", "es"].reduce(into: [String: DigestRenderer]()) {
            $0[$1] = DigestRenderer(templates: sample.renderer.templates, words: $1 == "en" ? english : words($1))
        }
        return try PersonalDigest(
            digest: digest, renderers: renderers, secret: UnsubscribeSecret(text: "correct horse battery staple"))
    }

    @Test("\"Dear {{first_name}},\" greets by the first_name column, the name where it is empty, friends otherwise")
    func firstName() throws {
        let personal = try personal(greeting: "Dear {{first_name}},")
        var amina = try sample.member("amina.odhiambo@example.org")
        amina.firstName = "Amina"
        #expect(personal.greeting(for: amina) == "Dear Amina,")
        amina.firstName = nil
        #expect(personal.greeting(for: amina) == "Dear Amina Odhiambo,")
        amina.name = nil
        #expect(personal.greeting(for: amina) == "Dear friends,")
        // A reader in French is greeted from the French catalogue, by first name too.
        var esperance = try sample.member("esperance.mbuyi@example.org")
        esperance.firstName = "Espérance"
        #expect(personal.greeting(for: esperance) == "Bonjour Espérance,")
        // The greeting is what the member's message says.
        amina = try sample.member("amina.odhiambo@example.org")
        amina.firstName = "Amina"
        let message = String(decoding: personal.message(for: amina), as: UTF8.self)
        let text = try PersonalDigestTests.part(message, "text/plain")
        #expect(text.contains("=\n\nDear Amina,\n"), "\(text.prefix(80))")
    }

    @Test("a greeting without a placeholder is for members without a name, as before")
    func neutral() throws {
        let personal = try personal(greeting: "Hello all,")
        var amina = try sample.member("amina.odhiambo@example.org")
        #expect(personal.greeting(for: amina) == "Dear Amina,")
        amina.name = nil
        amina.firstName = nil
        #expect(personal.greeting(for: amina) == "Hello all,")
    }

    @Test("coalition.yaml: a placeholder other than {{first_name}} or {{name}} is an error naming line and column")
    func check() {
        #expect(Coalition.Mail.greetingProblem("Dear {{first_name}},") == nil)
        #expect(Coalition.Mail.greetingProblem("Dear {{name}},") == nil)
        #expect(Coalition.Mail.greetingProblem("Dear friends,") == nil)
        let problem = Coalition.Mail.greetingProblem("Dear {{prenom}},")
        #expect(problem?.contains("{{first_name}} or {{name}}") == true)
    }
}
