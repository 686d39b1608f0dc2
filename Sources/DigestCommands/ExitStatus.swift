import ArgumentParser

/// The exit statuses of `digest`, documented in the README.
public enum ExitStatus {
    /// Everything worked.
    public static let success: Int32 = 0
    /// The data or a template has errors; nothing was written.
    public static let dataErrors: Int32 = 1
    /// `digest send`: a message was refused for good (5xx), or its fate is
    /// uncertain (no reply to its end); the summary names each by line.
    /// `digest members verify-token`: no member has that token.
    public static let refused: Int32 = 2
    /// `digest send`: stopped at `--limit` with members still to send; run
    /// it again to go on.
    public static let stoppedAtLimit: Int32 = 3
    /// `digest send`: the relay could not be used (unreachable, failing
    /// again and again, refusing the login or TLS), or kept refusing for
    /// now: run it again later; nothing is sent twice.
    public static let unavailable: Int32 = 69
    /// `digest send`: another send for the month is running (here, or on
    /// another host sharing the state's database). Any command: the
    /// state's database cannot be reached now; try again later.
    public static let busy: Int32 = 75
    /// Output could not be written (permissions, full disk).
    public static let outputFailed: Int32 = 73
    /// `digest bounces read`: a mailbox named cannot be read.
    public static let noInput: Int32 = 66
    /// `digest bounces read`: some entries of a mailbox could not be read
    /// and were skipped (each named); the rest was read and recorded.
    /// `digest state copy`: the destination holds other data under the
    /// same keys; nothing was copied.
    public static let someSkipped: Int32 = 65
    /// The command line is wrong (swift-argument-parser's own for a bad
    /// option; also a period outside the record's reach).
    public static let usage: Int32 = 64
}
