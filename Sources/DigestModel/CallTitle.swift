import CoalitionData
import Wording

/// How a call is named wherever one line must do (the preview's list, the
/// donor workbook): its title, or "The July call" when it has none or its
/// title only names the month, as the digest's own heading does.
public enum CallTitle {
    /// The call's name on one line.
    public static func text(_ call: Call, words: Words) -> String {
        if let title = call.title?.oneLine, !DigestView.isOnlyTheMonth(title, of: call.date, words: words) {
            return title
        }
        return words.text("call.heading", ["month": words.monthName(call.date.month)])
    }
}
