import CoalitionData

/// Everything a digest or report says about a period, computed from a
/// dataset by the aggregation rules of the product brief.
///
/// Pure values: no formatting here (that is ``DigestView``'s job) and no
/// clock (a call's default status is judged against the period's end).
public struct Digest: Sendable {
    /// The span covered.
    public var period: Period
    /// Who the coalition is.
    public var coalition: Coalition
    /// Calls dated in the period, in date order.
    public var calls: [Call]
    /// The first call after the period that is not cancelled.
    public var nextCall: ScheduledCall?
    /// The last day of the schedule (`schedule.until`), when it has ended
    /// by the period's end and no call file comes after: there is no next call.
    public var scheduleEnded: LocalDate?
    /// Cancelled calls passed over before ``nextCall``.
    public var skippedCalls: [ScheduledCall]
    /// Petition progress; nil when the coalition has no petition.
    public var petition: PetitionProgress?
    /// Commitments.
    public var commitments: CommitmentSummary
    /// Voluntary National Reviews.
    public var vnr: VNRSummary
    /// Events starting in the two months after the period, known by its end.
    public var events: [Event]
    /// Actions open on the first day after the period, as known by its end
    /// (see ``CoalitionData/Action/asKnown(by:)``).
    public var actions: [Action]
    /// The coalition's own sections, each with the entries shared in the
    /// period (``CoalitionData/Listing``); a section with none is left out.
    public var listings: [Listing]
    /// One row per month of the period.
    public var months: [MonthFigures]
    /// What is shown in the original language (``localized(to:)``);
    /// nil in the coalition's own language.
    public var untranslated: Untranslated? = nil
    /// The frameworks' names in the digest's language, by the name in the
    /// data (``localized(to:)``, from `coalition.yaml`'s `name_<tag>`):
    /// only those staff translated.
    public var frameworkNames: [String: String] = [:]

    /// The call of a one-month digest (the first, should a month have two).
    public var call: Call? { calls.first }

    /// Aggregates `dataset` over `period`.
    public init(dataset: CoalitionDataset, period: Period) {
        self.init(dataset: dataset, period: period, series: PetitionSeries(dataset.petition))
    }

    /// Aggregates `dataset` over `period` with its petition series already
    /// built: building it reads every petition row, so work over many
    /// periods (every month's size check, `render --all`) builds it once.
    public init(dataset: CoalitionDataset, period: Period, series: PetitionSeries) {
        self.period = period
        coalition = dataset.coalition
        let end = period.lastDay
        calls = dataset.calls.filter { period.contains($0.date) }
        let calendar = CallCalendar(dataset: dataset)
        let next = calendar.next(after: end)
        nextCall = next.call
        scheduleEnded = next.call == nil ? calendar.ended(by: end) : nil
        skippedCalls = next.skipped
        petition = dataset.coalition.petition.map {
            PetitionProgress(series: series, goal: $0.goal, first: period.first, last: period.last)
        }
        commitments = CommitmentSummary(dataset.commitments, period: period)
        vnr = VNRSummary(dataset.reviews, period: period, presenting: dataset.coalition.vnrPresenting)
        let afterEnd = end.adding(days: 1)
        let eventsEnd = period.last.adding(months: 2).lastDay
        // What the coalition knew by the period's last day, and nothing
        // announced after it: an event first mentioned on a later call, or
        // a deadline extended later, is not in this period's issue.
        events = dataset.events.enumerated()
            .filter { afterEnd <= $0.element.start && $0.element.start <= eventsEnd && $0.element.isKnown(by: end) }
            .sorted {
                $0.element.start != $1.element.start ? $0.element.start < $1.element.start : $0.offset < $1.offset
            }
            .map { $0.element.asKnown(by: end) }
        actions = dataset.actions.compactMap { $0.asKnown(by: end) }.filter { $0.isOpen(on: afterEnd) }
        listings = dataset.listings.map { listing in
            Listing(section: listing.section, items: listing.items.filter { period.contains(Listing.shared($0)) })
        }.filter { !$0.items.isEmpty }
        months = period.months.map { month in
            let monthCalls = dataset.calls.filter {
                month.contains($0.date) && $0.status(reportingThrough: end) == .held
            }
            func sum(_ values: [Int?]) -> Int? {
                let known = values.compactMap { $0 }
                return known.isEmpty ? nil : known.reduce(0, +)
            }
            let signatures = series.total(at: month.lastDay)
            return MonthFigures(
                month: month, callsHeld: monthCalls.count, registered: sum(monthCalls.map(\.registered)),
                attended: sum(monthCalls.map(\.attended)),
                newCommitments: dataset.commitments.count { month.contains($0.date) },
                signatures: signatures, newSignatures: signatures - series.total(at: month.previous.lastDay))
        }
    }
}
