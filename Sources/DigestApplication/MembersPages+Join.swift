import CoalitionData
import ListState
import Wording

extension MembersPages {
    /// The words of `language`, else the default language's.
    func words(_ language: String) -> Words {
        service.words[language] ?? service.renderer.words
    }

    /// The language a page is shown in: `asked` when the coalition writes
    /// in it, else the first of the browser's `Accept-Language` it writes
    /// in, else its default.
    public func pageLanguage(asked: String?, accept: String?) -> String {
        if let asked, service.languages.contains(asked) { return asked }
        return AcceptLanguage.choose(accept, among: service.languages) ?? service.languages[0]
    }

    /// The subscribe page: the form, empty or as sent with its problems.
    public func subscribe(
        language: String, action: String, form: JoinService.Form? = nil, problems: [JoinService.Problem] = []
    ) -> MembersPage {
        let words = words(language)
        var page = base(words, heading: words.text("serve.join.heading", ["list": coalition.name]))
        page.paragraphs = [words.text("serve.join.intro")]
        func problem(_ field: String) -> String? {
            problems.first { $0.field == field }.map { words.text($0.key) }
        }
        let chosen = form?.language ?? language
        page.join = .init(
            action: action,
            fields: [
                .init(
                    id: "email", label: words.text("serve.join.email"), type: "email", value: form?.email ?? "",
                    autocomplete: "email", required: true, problem: problem("email"), suggestions: nil),
                .init(
                    id: "name", label: words.text("serve.join.name"), type: "text", value: form?.name ?? "",
                    autocomplete: "name", required: true, problem: problem("name"), suggestions: nil),
                .init(
                    id: "country", label: words.text("serve.join.country"), type: "text", value: form?.country ?? "",
                    autocomplete: "country-name", required: false, problem: problem("country"),
                    suggestions: "countries"),
            ],
            language: .init(
                action: action, label: words.text("serve.join.language"),
                options: service.languages.map {
                    .init(tag: $0, name: Self.languageName($0), selected: $0 == chosen)
                }, button: ""),
            countries: Self.countryNames, button: words.text("serve.join.button"))
        return page
    }

    /// The names the country field suggests, in alphabetical order.
    static let countryNames: [String] = {
        guard let table = try? CountryTable.standard() else { return [] }
        return table.countries.map(\.name).sorted()
    }()

    /// The answer to the form: the same words whoever the address is.
    public func joinSent(language: String, address: String) -> MembersPage {
        let words = words(language)
        var page = base(words, heading: words.text("serve.join.sent.heading"))
        page.paragraphs = [
            words.text(
                "serve.join.sent.body", ["list": coalition.name, "address": MemberService.mask(address)])
        ]
        return page
    }

    /// The page the confirmation link opens: a question and a button,
    /// nothing changed until it is pressed.
    public func confirm(_ pending: Join.Pending, token: String) -> MembersPage {
        let words = words(pending.pageLanguage)
        var page = base(words, heading: words.text("serve.confirm.heading"))
        page.paragraphs = [
            words.text(
                "serve.confirm.question", ["list": coalition.name, "address": MemberService.mask(pending.address)])
        ]
        page.button = .init(
            action: "confirm?c=" + token, value: "confirm", label: words.text("serve.confirm.button"))
        return page
    }

    /// After the button: subscribed.
    public func confirmed(_ joined: Join.Confirmed) -> MembersPage {
        let words = words(joined.pageLanguage)
        var page = base(words, heading: words.text("serve.confirmed.heading"))
        page.paragraphs = [
            words.text(
                "serve.confirmed.body", ["list": coalition.name, "address": MemberService.mask(joined.address)])
        ]
        return page
    }
}
