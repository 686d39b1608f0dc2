import CoalitionData
import DigestModel
import DigestRender
import MIME
import Wording

extension PersonalEdition {
    /// The member's message made the slow way: every template rendered
    /// with the member's own values. ``write(_:into:)`` must give the same
    /// bytes; the tests hold it to that.
    public func reference(for member: Member) throws(MailingError) -> String {
        try reference(for: member, test: nil)
    }

    /// A trial copy of the member's message for `digest send --test`: the
    /// subject marked as a test (the catalogue's `send.test_subject`), and a
    /// `Message-ID` of its own (`stamp` tells trials apart), so the real
    /// message that follows is never taken for a copy of it.
    public func testMessage(for member: Member, stamp: String) throws(MailingError) -> String {
        try reference(for: member, test: stamp)
    }

    /// The member's newsletter as their mail program shows it (the HTML
    /// part, decoded): for the preview's personal-copy view.
    public func html(for member: Member) throws(MailingError) -> String {
        let (value, _, countryHTML) = try personalized(for: member)
        do {
            return try renderer.html(
                Self.withPersonal(
                    value, greeting: greeting(for: member), countryNews: countryHTML,
                    localTime: localTimes.block(zone: member.localZone)?.html))
        } catch {
            throw .render(error)
        }
    }

    /// The shared view with the member's own links, and their "From your
    /// country" block as plain-text markup and HTML (nil when the month
    /// has nothing about their country): what a whole render for them needs.
    func personalized(for member: Member) throws(MailingError) -> (ViewValue, String?, String?) {
        var view = self.view
        view.coalition.unsubscribe = unsubscribeURL(for: member)
        if let preferencesPrefix {
            view.coalition.preferences = preferencesPrefix + tokens.unsubscribeToken(for: member)
        }
        guard let code = member.country?.alpha2, let item = news[code] else {
            return (ViewValue(reflecting: view), nil, nil)
        }
        do {
            let (text, html) = try Self.blocks(item, renderer: renderer)
            return (ViewValue(reflecting: view), text, html)
        } catch {
            throw .render(error)
        }
    }

    func reference(for member: Member, test stamp: String?) throws(MailingError) -> String {
        let (value, countryText, countryHTML) = try personalized(for: member)
        var message = base
        message.to = MailAddress(name: member.name, address: member.email)
        message.messageID = messageID(for: member)
        if let stamp {
            message.subject = renderer.words.text("send.test_subject", ["subject": message.subject])
            message.messageID = "test-\(stamp)." + messageID(for: member)
            message.boundarySeed = message.messageID
        }
        message.unsubscribe = [unsubscribeURL(for: member)]
        let greeting = greeting(for: member)
        let localTime = localTimes.block(zone: member.localZone)
        do {
            message.text = try renderer.text(
                Self.withPersonal(value, greeting: greeting, countryNews: countryText, localTime: localTime?.sentence))
            message.html = try renderer.html(
                Self.withPersonal(value, greeting: greeting, countryNews: countryHTML, localTime: localTime?.html))
        } catch {
            throw .render(error)
        }
        return message.encoded()
    }
}
