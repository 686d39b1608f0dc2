import Foundation

/// The language a visitor's browser asks for (`Accept-Language`, RFC 9110
/// §12.5.4), among those the coalition writes in: `digest serve`'s pages
/// for visitors without a token (subscribing, a link that does not work)
/// are in it.
public enum AcceptLanguage {
    /// The first of `available` (language tags, such as `fr`) the header
    /// asks for, by weight, a regional tag (`fr-CA`) matching its language;
    /// nil when it asks for none of them (or says `*` only).
    public static func choose(_ header: String?, among available: [String]) -> String? {
        guard let header, !header.isEmpty else { return nil }
        var wanted: [(tag: String, weight: Double, order: Int)] = []
        for (order, part) in header.split(separator: ",").prefix(32).enumerated() {
            let pieces = part.split(separator: ";")
            guard let first = pieces.first else { continue }
            let tag = first.trimmingCharacters(in: .whitespaces).lowercased()
            guard !tag.isEmpty, tag != "*" else { continue }
            var weight = 1.0
            for parameter in pieces.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "q" {
                    weight = Double(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if weight > 0 { wanted.append((tag, weight, order)) }
        }
        wanted.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order }
        let lower = available.map { $0.lowercased() }
        for entry in wanted {
            if let exact = lower.firstIndex(of: entry.tag) { return available[exact] }
            let language = entry.tag.split(separator: "-").first.map(String.init) ?? entry.tag
            if let index = lower.firstIndex(where: {
                ($0.split(separator: "-").first.map(String.init) ?? $0) == language
            }) {
                return available[index]
            }
        }
        return nil
    }
}
