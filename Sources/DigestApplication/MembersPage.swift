import CoalitionData
import DigestModel
import DigestRender
import Foundation
import Wording

/// The view model of every page of `digest serve`
/// (`templates/serve/page.html.mustache`): the coalition's header, a
/// heading, a few paragraphs, at most one button, the language choice on
/// the preferences page, and one link. Every value is text; the template
/// escapes it.
public struct MembersPage: Codable, Sendable, Equatable {
    /// A form with one button.
    public struct Button: Codable, Sendable, Equatable {
        /// Where the form posts: relative (`unsubscribe?m=…`), so the
        /// pages work under any path a proxy puts them.
        public var action: String
        /// The form's `action` field: `unsubscribe` or `resubscribe`.
        public var value: String
        /// The button's words.
        public var label: String
    }

    /// One language a member may choose.
    public struct Option: Codable, Sendable, Equatable {
        /// `fr`.
        public var tag: String
        /// The language's name in itself: `Français`.
        public var name: String
        /// Whether it is the member's.
        public var selected: Bool
    }

    /// The language form.
    public struct Languages: Codable, Sendable, Equatable {
        public var action: String
        public var label: String
        public var options: [Option]
        public var button: String
    }

    /// A link.
    public struct Link: Codable, Sendable, Equatable {
        public var href: String
        public var label: String
    }

    /// The page's language (`lang`).
    public var language: String
    public var title: String
    public var organizer: String?
    public var name: String
    public var subtitle: String
    /// A line saying what was just done.
    public var notice: String?
    public var heading: String
    public var paragraphs: [String]
    public var button: Button?
    public var languages: Languages?
    public var link: Link?
}
