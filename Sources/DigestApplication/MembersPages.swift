import CoalitionData
import DigestModel
import DigestRender
import Foundation
import Wording

/// Makes the pages of `digest serve` from the member's state and words.
public struct MembersPages: Sendable {
    /// The service whose members the pages are for.
    public let service: MemberService

    /// Pages for `service`'s members.
    public init(service: MemberService) {
        self.service = service
    }

    var coalition: Coalition { service.dataset.coalition }

    func base(_ words: Words, heading: String) -> MembersPage {
        MembersPage(
            language: words.language, title: heading + " · " + coalition.name, organizer: coalition.organizer,
            name: coalition.name, subtitle: words.text("serve.subtitle"), notice: nil, heading: heading,
            paragraphs: [], button: nil, languages: nil, link: nil)
    }

    private func words(_ found: MemberService.Found) -> Words {
        service.words[found.language] ?? service.renderer.words
    }

    /// The page a link from a digest opens: one question, one button.
    public func unsubscribe(_ found: MemberService.Found) -> MembersPage {
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

    /// The answer to the button, or to a mail program's one-click POST:
    /// done, and one button that undoes it (a POST, as the unsubscribe was).
    public func unsubscribed(_ found: MemberService.Found) -> MembersPage {
        let words = words(found)
        var page = base(words, heading: words.text("serve.unsubscribed.heading"))
        page.paragraphs = [words.text("serve.unsubscribed.body", ["list": coalition.name, "address": found.masked])]
        page.button = .init(
            action: "preferences?m=" + found.token, value: "resubscribe", label: words.text("serve.undo.button"),
            secondary: true)
        page.link = preferencesLink(found, words, label: "serve.preferences.link")
        return page
    }

    /// The member's preferences: whether the digest is sent, the button
    /// that changes it, and the language.
    public func preferences(_ found: MemberService.Found, notice: String?) -> MembersPage {
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
            // Saving the language is what most visitors come for; stopping
            // the digest is the lesser, outlined button.
            page.button = .init(
                action: action, value: "unsubscribe", label: words.text("serve.unsubscribe.button"),
                secondary: service.languages.count > 1)
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

    /// A page that says only that the link does not work, in `language`
    /// (the visitor's `Accept-Language` among the coalition's languages),
    /// else the coalition's: the same bytes for every token, so it tells
    /// nothing.
    public func notFound(language: String? = nil) -> MembersPage {
        let words = language.flatMap { service.words[$0] } ?? service.renderer.words
        var page = base(words, heading: words.text("serve.not_found.heading"))
        page.paragraphs = [words.text("serve.not_found.body")]
        return page
    }

    /// A page with one sentence (too many requests, too large, unavailable).
    public func message(_ key: String) -> MembersPage {
        let words = service.renderer.words
        var page = base(words, heading: words.text(key))
        page.title = coalition.name
        return page
    }

    private func preferencesLink(_ found: MemberService.Found, _ words: Words, label: String) -> MembersPage.Link {
        .init(href: "preferences?m=" + found.token, label: words.text(label, ["list": coalition.name]))
    }

    /// What the member just did on their preferences page.
    public enum Done: Sendable {
        /// Stopped the digest.
        case unsubscribed
        /// Started it again.
        case resubscribed
        /// Chose the language the digest is written in.
        case languageSaved
    }

    /// The preferences page after the member did `done`, saying so in
    /// their language.
    public func preferences(_ found: MemberService.Found, done: Done) -> MembersPage {
        let words = words(found)
        let notice: String
        switch done {
        case .unsubscribed: notice = words.text("serve.unsubscribed.heading")
        case .resubscribed: notice = words.text("serve.resubscribed")
        case .languageSaved:
            notice = words.text("serve.language.saved", ["language": Self.languageName(found.language)])
        }
        return preferences(found, notice: notice)
    }

    /// The name of the language `tag` in that language, capitalised as a
    /// menu item: `English`, `Français`, `Español`.
    static func languageName(_ tag: String) -> String { LanguageNames.native(tag) }

    /// The page as HTML.
    public func html(_ page: MembersPage) throws(ProjectError) -> String {
        do {
            return try service.renderer.page("serve/page.html", ViewValue(reflecting: page))
        } catch {
            throw .render(error)
        }
    }
}
