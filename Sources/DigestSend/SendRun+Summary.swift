import CoalitionData
import DigestMailing
import Foundation

extension SendRun {
    /// Where the run stands, for the progress line.
    public struct Progress: Sendable, Equatable {
        /// Sent in this run.
        public var sent: Int
        /// Failed for good in this run.
        public var failed: Int
        /// Still to send in this run (pending and waiting to retry).
        public var left: Int
        /// Messages a second so far.
        public var rate: Double
        /// Seconds until a retry is due, when the run is waiting for one.
        public var waiting: Double?
        /// What the relay last said when it failed, while waiting because of it.
        public var problem: String? = nil
        /// Sessions open with the relay now.
        public var sessions = 1
        /// How the relay's refusals hold the pace down now, if they do.
        public var slowdown: Slowdown? = nil

        /// A progress report.
        public init(sent: Int, failed: Int, left: Int, rate: Double, waiting: Double?, problem: String? = nil) {
            self.sent = sent
            self.failed = failed
            self.left = left
            self.rate = rate
            self.waiting = waiting
            self.problem = problem
        }
    }

    /// The send slowed down because the relay asked: what it said, and
    /// the pace from then on.
    public struct Slowdown: Sendable, Equatable {
        /// What the relay said.
        public var reply: String
        /// Sessions allowed from then on.
        public var sessions: Int
        /// Messages a second allowed from then on; nil for no cap.
        public var rate: Double?

        /// A slowing down (tests make their own).
        public init(reply: String, sessions: Int, rate: Double?) {
            self.reply = reply
            self.sessions = sessions
            self.rate = rate
        }
    }

    /// A member named by line, never by address, with what the relay said.
    public struct Failure: Sendable, Equatable {
        /// The member's line in `members.csv`.
        public var line: Int
        /// The relay's reply, with the address taken out.
        public var reply: String

        /// A failure (tests make their own).
        public init(line: Int, reply: String) {
            self.line = line
            self.reply = reply
        }
    }

    /// Why a run ended before every member's row was settled.
    public enum Stop: Sendable, Equatable {
        /// `--limit` was reached.
        case limit
        /// The relay failed this many times in a row; the last failure.
        case relayUnavailable(failures: Int, last: String)
    }

    /// What a finished run asks of whoever runs it.
    public enum Outcome: Sendable, Equatable {
        /// Every subscribed member has their message.
        case complete
        /// Members wait for the relay (it failed, or kept refusing for
        /// now): run again later.
        case tryAgainLater
        /// A message was refused for good, or its fate is uncertain:
        /// staff decide (the summary names each by line).
        case needsAttention
        /// `--limit` left members unsent: run again to go on.
        case limitReached
    }

    /// How the run ended.
    public struct Summary: Sendable, Equatable {
        /// Subscribed members this month.
        public var members: Int
        /// Sent in this run.
        public var sentNow: Int
        /// Sent in all (this run and earlier ones).
        public var sent: Int
        /// Refused for good, in all.
        public var failed: [Failure]
        /// Sent whole with no reply to their end, in all: staff decide.
        public var uncertain: [Failure] = []
        /// Refused for now and out of attempts in this run: for the next run.
        public var waiting: Int
        /// Never tried yet (stopped by --limit, or by the relay).
        public var pending: Int
        /// Members who stopped being subscribed while the run went on.
        public var droppedMeanwhile: Int = 0
        /// Why the run stopped early, if it did.
        public var stop: Stop? = nil
        /// The most sessions open with the relay at once.
        public var sessions = 0
        /// Each time the relay asked the send to slow down, in order.
        public var slowdowns: [Slowdown] = []
        /// How long the run took, in seconds.
        public var seconds = 0.0
        /// The pace at the end, when the relay's refusals still held it down.
        public var endedSlowed: Slowdown? = nil

        /// Messages sent a second in this run.
        public var rate: Double { seconds > 0 ? Double(sentNow) / seconds : 0 }

        /// What the run asks for next, most pressing first: waiting
        /// members, then messages that need staff, then the limit.
        public var outcome: Outcome {
            if case .relayUnavailable = stop { return .tryAgainLater }
            if waiting > 0 { return .tryAgainLater }
            if !failed.isEmpty || !uncertain.isEmpty { return .needsAttention }
            if pending > 0 { return .limitReached }
            return .complete
        }

        /// A summary (tests make their own).
        public init(
            members: Int, sentNow: Int, sent: Int, failed: [Failure], uncertain: [Failure] = [], waiting: Int,
            pending: Int, droppedMeanwhile: Int = 0, stop: Stop? = nil
        ) {
            self.members = members
            self.sentNow = sentNow
            self.sent = sent
            self.failed = failed
            self.uncertain = uncertain
            self.waiting = waiting
            self.pending = pending
            self.droppedMeanwhile = droppedMeanwhile
            self.stop = stop
        }
    }
}
