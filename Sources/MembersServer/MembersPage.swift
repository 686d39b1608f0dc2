import CoalitionData
import DigestApplication
import DigestModel
import DigestRender
import Foundation
import ListState
import Wording

/// The view model of every page of `digest serve`
/// (`templates/serve/page.html.mustache`): the coalition's header, a
/// heading, a few paragraphs, at most one button, the language choice on
/// the preferences page, and one link. Every value is text; the template
/// escapes it.
struct MembersPage: Codable, Sendable, Equatable {
    /// A form with one button.
    struct Button: Codable, Sendable, Equatable {
        /// Where the form posts: relative (`unsubscribe?m=…`), so the
        /// pages work under any path a proxy puts them.
        var action: String
        /// The form's `action` field: `unsubscribe` or `resubscribe`.
        var value: String
        /// The button's words.
        var label: String
    }

    /// One language a member may choose.
    struct Option: Codable, Sendable, Equatable {
        /// `fr`.
        var tag: String
        /// The language's name in itself: `Français`.
        var name: String
        /// Whether it is the member's.
        var selected: Bool
    }

    /// The language form.
    struct Languages: Codable, Sendable, Equatable {
        var action: String
        var label: String
        var options: [Option]
        var button: String
    }

    /// A link.
    struct Link: Codable, Sendable, Equatable {
        var href: String
        var label: String
    }

    /// The page's language (`lang`).
    var language: String
    var title: String
    var organizer: String?
    var name: String
    var subtitle: String
    /// A line saying what was just done.
    var notice: String?
    var heading: String
    var paragraphs: [String]
    var button: Button?
    var languages: Languages?
    var link: Link?
}

/// Makes the pages of `digest serve` from the member's state and words.
struct MembersPages: Sendable {
    let service: MemberService

    private var coalition: Coalition { service.dataset.coalition }

    private func base(_ words: Words, heading: String) -> MembersPage {
        MembersPage(
            language: words.language, title: heading + " · " + coalition.name, organizer: coalition.organizer,
            name: coalition.name, subtitle: words.text("serve.subtitle"), notice: nil, heading: heading,
            paragraphs: [], button: nil, languages: nil, link: nil)
    }

    private func words(_ found: MemberService.Found) -> Words {
        service.words[found.language] ?? service.renderer.words
    }

    /// The page a link from a digest opens: one question, one button.
    func unsubscribe(_ found: MemberService.Found) -> MembersPage {
        let words = words(found)
        guard found.suppression == nil else { return preferences(found, notice: nil) }
        var page = base(
            words,
            heading: words.text("serve.unsubscribe.question", ["list": coalition.name, "address": found.masked]))
        page.paragraphs = [words.text("serve.unsubscribe.explain")]
        page.button = .init(
            action: "unsubscribe?m=" + found.token, value: "unsubscribe", label: words.text("serve.unsubscribe.button"))
        page.link = preferencesLink(found, words, label: "serve.preferences.heading")
        return page
    }

    /// The answer to the button, or to a mail program's one-click POST.
    func unsubscribed(_ found: MemberService.Found) -> MembersPage {
        let words = words(found)
        var page = base(words, heading: words.text("serve.unsubscribed.heading"))
        page.paragraphs = [words.text("serve.unsubscribed.body", ["list": coalition.name, "address": found.masked])]
        page.link = preferencesLink(found, words, label: "serve.preferences.link")
        return page
    }

    /// The member's preferences: whether the digest is sent, the button
    /// that changes it, and the language.
    func preferences(_ found: MemberService.Found, notice: String?) -> MembersPage {
        let words = words(found)
        var page = base(words, heading: words.text("serve.preferences.heading", ["list": coalition.name]))
        page.notice = notice
        let action = "preferences?m=" + found.token
        if let suppression = found.suppression {
            let date = words.date(LocalDate(daysSinceEpoch: Int((suppression.created / 86_400).rounded(.down))))
            let key: String
            switch suppression.reason {
            case .unsubscribed: key = "serve.status.unsubscribed"
            case .hardBounce, .softBounces: key = "serve.status.bounced"
            case .complaint, .staff: key = "serve.status.stopped"
            }
            page.paragraphs = [words.text(key, ["address": found.masked, "date": date])]
            page.button = .init(action: action, value: "resubscribe", label: words.text("serve.resubscribe.button"))
        } else {
            page.paragraphs = [words.text("serve.status.subscribed", ["address": found.masked])]
            page.button = .init(action: action, value: "unsubscribe", label: words.text("serve.unsubscribe.button"))
        }
        // The language choice, once there is a choice.
        guard service.languages.count > 1 else { return page }
        page.languages = .init(
            action: action, label: words.text("serve.language.label"),
            options: service.languages.map { tag in
                .init(tag: tag, name: Self.languageName(tag), selected: tag == found.language)
            }, button: words.text("serve.language.button"))
        return page
    }

    /// A page that says only that the link does not work: the same bytes
    /// for every token, so it tells nothing.
    func notFound() -> MembersPage {
        let words = service.renderer.words
        var page = base(words, heading: words.text("serve.not_found.heading"))
        page.paragraphs = [words.text("serve.not_found.body")]
        return page
    }

    /// A page with one sentence (too many requests, too large, unavailable).
    func message(_ key: String) -> MembersPage {
        let words = service.renderer.words
        var page = base(words, heading: words.text(key))
        page.title = coalition.name
        return page
    }

    private func preferencesLink(_ found: MemberService.Found, _ words: Words, label: String) -> MembersPage.Link {
        .init(href: "preferences?m=" + found.token, label: words.text(label, ["list": coalition.name]))
    }

    /// The name of the language `tag` in that language, capitalised as a
    /// menu item: `English`, `Français`, `Español`.
    static func languageName(_ tag: String) -> String { LanguageNames.native(tag) }

    /// The page as HTML.
    func html(_ page: MembersPage) throws(RenderError) -> String {
        try service.renderer.page("serve/page.html", ViewValue(reflecting: page))
    }
}
