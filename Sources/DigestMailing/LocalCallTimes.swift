import CoalitionData
import DigestModel
import DigestRender
import Foundation
import MIME
import Synchronization
import Wording

/// The next call at a member's own time, said first in their copy's Next
/// call section: "Your time: Tuesday, 11 June 2019, 09:00 (Chicago)".
///
/// The zone is the member's `timezone`, else their country's capital's
/// (``CoalitionData/Member/localZone``); a member in the coalition's own
/// zone, or with none, gets nothing (the section already says the time
/// there). The sentence is made once a zone, laid out and encoded once,
/// and kept: a list of thousands lives in a few dozen zones.
final class LocalCallTimes: Sendable {
    /// A zone's sentence, as the plain text and the HTML carry it.
    struct Block: Sendable {
        /// The sentence, typeset for the language.
        var sentence: String
        /// The laid-out paragraph and the blank line after it.
        var text: String
        /// The paragraph element (its line break is the template's).
        var html: String
        /// Both, quoted-printable encoded, for splicing.
        var encoded: (text: [UInt8], html: [UInt8])
    }

    let start: Date?
    let homeZone: String
    let renderer: DigestRenderer
    private let blocks = Mutex<[String: Block?]>([:])

    init(start: Date?, homeZone: String, renderer: DigestRenderer) {
        self.start = start
        self.homeZone = homeZone
        self.renderer = renderer
    }

    /// The block for `zone`, or nil when there is no call, the zone is the
    /// coalition's own, or the tz database does not know it.
    func block(zone: String?) -> Block? {
        guard let zone, zone != homeZone, let start else { return nil }
        if let known = blocks.withLock({ $0[zone] }) { return known }
        let made = make(zone: zone, start: start)
        blocks.withLock { $0[zone] = made }
        return made
    }

    private func make(zone: String, start: Date) -> Block? {
        guard let local = ZonedTime(instant: start, zone: zone) else { return nil }
        let words = renderer.words
        let sentence = words.typeset(
            words.text(
                "next_call.your_time",
                [
                    "date": words.longDate(local.date), "time": words.time(local.time),
                    "city": words.cityName(zone: zone),
                ]))
        var text = renderer.textParagraph(sentence)
        if !text.hasSuffix("\n") { text += "\n" }
        text += "\n"
        let html =
            "<p class=\"ink\" style=\"margin:0 0 8px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;font-weight:bold;color:#14532d;\">"
            + HTMLEscaping.escape(sentence) + "</p>"
        return Block(
            sentence: sentence, text: text, html: html,
            encoded: (Array(QuotedPrintable.encode(text).utf8), Array(QuotedPrintable.encode(html + "\n").utf8)))
    }
}
