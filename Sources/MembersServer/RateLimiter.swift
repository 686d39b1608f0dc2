import Synchronization

/// At most `rate` requests a second from one client, with bursts of
/// `burst`: a token bucket a client. Buckets that have refilled are
/// forgotten once there are many, so a flood of addresses cannot grow the
/// table without end.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var last: Double
    }

    /// Requests a second a client may make, on average.
    public let rate: Double
    /// Requests a client may make at once.
    public let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    private static let pruneAbove = 10_000

    /// A limiter; a `rate` of 0 admits everything.
    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(burst, 1)
    }

    /// Whether `client` may make a request at `now` (seconds, any origin);
    /// one that may has used its token.
    public func admit(_ client: String, now: Double) -> Bool {
        guard rate > 0 else { return true }
        return buckets.withLock { buckets in
            if buckets.count > Self.pruneAbove { prune(&buckets, now: now) }
            var bucket = buckets[client] ?? Bucket(tokens: burst, last: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.last) * rate)
            bucket.last = now
            let admitted = bucket.tokens >= 1
            if admitted { bucket.tokens -= 1 }
            buckets[client] = bucket
            return admitted
        }
    }

    /// How many clients are remembered (for the tests).
    public var clients: Int { buckets.withLock { $0.count } }

    private func prune(_ buckets: inout [String: Bucket], now: Double) {
        buckets = buckets.filter { _, bucket in bucket.tokens + (now - bucket.last) * rate < burst }
    }
}
