import CoalitionData
import ListState

extension Bounce.Limits {
    /// The limits `mail.bounce_limits` sets (the one place the setting
    /// becomes the rule, for the send and for `digest bounces read`).
    init(_ settings: Coalition.BounceLimits) {
        self.init(hard: settings.hard, soft: settings.soft, ofLast: settings.ofLast)
    }
}
