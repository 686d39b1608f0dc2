/// Everything in a data folder, loaded and checked.
public struct CoalitionDataset: Sendable {
    /// `coalition.yaml`.
    public var coalition: Coalition
    /// The calls, in date order.
    public var calls: [Call]
    /// `commitments.csv`, in file order.
    public var commitments: [Commitment]
    /// `vnr.csv`, in file order.
    public var reviews: [VNRReview]
    /// `petition.csv`, in file order.
    public var petition: [PetitionCount]
    /// `events.csv`, in file order.
    public var events: [Event]
    /// `actions.csv`, in file order.
    public var actions: [Action]

    /// Creates a dataset (tests build small ones by hand).
    public init(
        coalition: Coalition, calls: [Call] = [], commitments: [Commitment] = [], reviews: [VNRReview] = [],
        petition: [PetitionCount] = [], events: [Event] = [], actions: [Action] = []
    ) {
        self.coalition = coalition
        self.calls = calls.sorted { $0.date < $1.date }
        self.commitments = commitments
        self.reviews = reviews
        self.petition = petition
        self.events = events
        self.actions = actions
    }

    /// The call dated `date`, if any.
    public func call(on date: LocalDate) -> Call? {
        calls.first { $0.date == date }
    }

    /// The span of dates the record plausibly covers (``RecordSpan``).
    public var span: RecordSpan { RecordSpan(callDates: calls.map(\.date)) }

    /// Every month in which some record is dated, in order: calls,
    /// commitments, petition counts and events.
    public var monthsWithData: [YearMonth] {
        var months = Set<YearMonth>()
        for call in calls { months.insert(call.date.yearMonth) }
        for commitment in commitments { months.insert(commitment.date.yearMonth) }
        for count in petition { months.insert(count.date.yearMonth) }
        return months.sorted()
    }

    /// The months a digest is made for (`render --all`, `check`, the
    /// preview), and the months with data left out.
    ///
    /// From the first month with data to the last regular call
    /// (``RecordSpan``), then on through the months with data up to a year
    /// after that call. Months with data further out (a year typed 2109 for
    /// 2019) are left out and named, so a typing mistake cannot make a
    /// thousand month folders.
    public var reportableMonths: (months: [YearMonth], skipped: [YearMonth]) {
        let withData = monthsWithData
        guard let first = withData.first, let last = withData.last else { return ([], []) }
        var end = last
        var skipped: [YearMonth] = []
        if let lastCall = span.lastRegularCall?.yearMonth {
            let limit = lastCall.adding(months: 12)
            end = max(lastCall, withData.last { $0 <= limit } ?? lastCall)
            skipped = withData.filter { $0 > end }
        }
        guard first <= end else { return ([], skipped) }
        return ((0...first.months(to: end)).map { first.adding(months: $0) }, skipped)
    }
}
