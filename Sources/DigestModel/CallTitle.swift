import CoalitionData

/// How a call is named wherever one line must do (the preview's list, the
/// donor workbook): its title, or "The July call" when it has none or its
/// title only names the month, as the digest's own heading does.
public enum CallTitle {
    /// The call's name on one line.
    public static func text(_ call: Call) -> String {
        if let title = call.title?.oneLine, !DigestView.isOnlyTheMonth(title, of: call.date) { return title }
        return "The \(Phrasing.monthNames[call.date.month - 1]) call"
    }
}
