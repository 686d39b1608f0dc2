import CoalitionData

/// One month's figures, for the rows of a report over several months.
public struct MonthFigures: Sendable, Equatable {
    /// The month.
    public var month: YearMonth
    /// Calls held in the month.
    public var callsHeld: Int
    /// People registered for the month's calls (nil when none was recorded).
    public var registered: Int?
    /// People who attended the month's calls (nil when none was recorded).
    public var attended: Int?
    /// Commitments dated in the month.
    public var newCommitments: Int
    /// Signatures at the end of the month.
    public var signatures: Int
    /// Signatures gained in the month.
    public var newSignatures: Int
}
