import CoalitionData
import ListState

/// Members who joined themselves, as members of the list: sent to like the
/// rows of `members.csv` (their language, their country's news, their own
/// token). A member of `members.csv` with the same mailbox is that row,
/// whatever the join says. Each is given the line it will have once
/// `digest members sync` appends them, after the file's last.
enum JoinedMembers {
    /// `joined`, in the order they confirmed, as members after `listed`.
    static func members(_ joined: [Join.Confirmed], after listed: [Member]) -> [Member] {
        guard !joined.isEmpty else { return [] }
        let known = Set(listed.map(\.mailbox))
        var line = (listed.map(\.line).max() ?? 1)
        var members: [Member] = []
        var seen = Set<String>()
        for join in joined where !known.contains(join.mailbox) && seen.insert(join.mailbox).inserted {
            line += 1
            members.append(member(join, line: line))
        }
        return members
    }

    /// One joined member as a row of the list.
    static func member(_ join: Join.Confirmed, line: Int) -> Member {
        let country: Country?
        if let name = join.country, case .found(let found)? = try? CountryTable.standard().lookup(name) {
            country = found
        } else {
            country = nil
        }
        let day = LocalDate(daysSinceEpoch: Int((join.confirmed / 86_400).rounded(.down)))
        return Member(
            email: join.address, name: join.name, country: country, language: join.language, status: .subscribed,
            since: day, line: line)
    }
}
