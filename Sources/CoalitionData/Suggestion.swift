/// Finds the known word nearest to a misspelt one, for "did you mean" hints.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance (ignoring case), or
    /// nil when none is close enough to be a plausible typo.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let target = Array(word.lowercased())
        guard !target.isEmpty else { return nil }
        var best: (name: String, distance: Int)? = nil
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if let current = best,
                distance > current.distance || (distance == current.distance && candidate >= current.name)
            {
                continue
            }
            best = (candidate, distance)
        }
        // A word that starts like a known name ("register" for "registration"):
        // sharing the first three quarters of its letters, at least four.
        if best.map({ $0.distance > 1 }) ?? true {
            let needed = max(4, (target.count * 3 + 3) / 4)
            let prefixed = candidates.map { ($0, commonPrefix(target, Array($0.lowercased()))) }
                .filter { $0.1 >= needed }
                .max { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 > $1.0 }
            if let prefixed { return prefixed.0 }
        }
        guard let best else { return nil }
        // A third of the letters, at least 2: "Kirghistan" -> "Kyrgyzstan" (3 edits) passes.
        let allowed = max(2, (target.count + 2) / 3)
        return best.distance <= allowed ? best.name : nil
    }

    static func commonPrefix(_ a: [Character], _ b: [Character]) -> Int {
        zip(a, b).prefix { $0 == $1 }.count
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
