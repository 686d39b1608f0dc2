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
    /// Each of the coalition's own sections with its entries (`<name>.csv`),
    /// in the order of `sections:`.
    public var listings: [Listing] = []

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

    /// The months a report may be asked for: from two years
    /// (``RecordSpan/gapYears``) before the first month of the record to two
    /// years after its last (``reportableMonths``); nil when the record is
    /// empty. A period outside it says nothing the data knows, and a
    /// mistyped one (0001-01..9999-12) would take minutes to compute.
    public var reach: ClosedRange<YearMonth>? {
        let months = reportableMonths.months
        guard let first = months.first, let last = months.last else { return nil }
        return first.adding(months: -12 * RecordSpan.gapYears)...last.adding(months: 12 * RecordSpan.gapYears)
    }

    /// Why a report of `first` through `last` cannot be made from this
    /// record, naming the record's months and the reach; nil when it can.
    public func reachProblem(first: YearMonth, last: YearMonth) -> String? {
        let months = reportableMonths.months
        guard let reach, let start = months.first, let end = months.last else {
            return "the data has no dated record yet, so there is no period to report on"
        }
        guard first < reach.lowerBound || last > reach.upperBound else { return nil }
        return
            "the record runs from \(start) to \(end), so a period must lie between \(reach.lowerBound) and \(reach.upperBound) (two years either side)"
    }
}
