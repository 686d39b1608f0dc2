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
        /// Drawn as the page's lesser choice (outlined), where another
        /// button is the one most people want.
        public var secondary = false
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
        /// Where the form posts (`preferences?m=…`).
        public var action: String
        /// The choice's label.
        public var label: String
        /// The languages.
        public var options: [Option]
        /// The button's words.
        public var button: String
    }

    /// A link.
    public struct Link: Codable, Sendable, Equatable {
        /// Where it goes (relative).
        public var href: String
        /// Its words.
        public var label: String
    }

    /// A field of the subscribe form.
    public struct Field: Codable, Sendable, Equatable {
        /// Its `name` and `id`: `email`, `name`, `country`.
        public var id: String
        /// Its label.
        public var label: String
        /// The input's `type`: `email` or `text`.
        public var type: String
        /// What was written (sent back with a problem), or empty.
        public var value: String
        /// The `autocomplete` token: `email`, `name`, `country-name`.
        public var autocomplete: String
        /// Whether it must be filled.
        public var required: Bool
        /// What is wrong with it, if anything.
        public var problem: String?
        /// The id of the suggestions' `datalist` (the countries), if any.
        public var suggestions: String?
    }

    /// The subscribe form.
    public struct JoinForm: Codable, Sendable, Equatable {
        /// Where it posts (`subscribe`, with the list when a server has several).
        public var action: String
        /// Its text fields.
        public var fields: [Field]
        /// The language choice.
        public var language: Languages
        /// The countries suggested for the country field.
        public var countries: [String]
        /// The button's words.
        public var button: String
    }

    /// The page's language (`lang`).
    public var language: String
    /// The page's title (the heading and the coalition's name).
    public var title: String
    /// The organisation running the coalition, if given.
    public var organizer: String?
    /// The coalition's name.
    public var name: String
    /// The line under it.
    public var subtitle: String
    /// A line saying what was just done.
    public var notice: String?
    /// The page's heading.
    public var heading: String
    /// Its paragraphs.
    public var paragraphs: [String]
    /// Its button, if any.
    public var button: Button?
    /// The language form (the preferences page).
    public var languages: Languages?
    /// Its one link, if any.
    public var link: Link?
    /// The subscribe form (the subscribe page).
    public var join: JoinForm? = nil
}
