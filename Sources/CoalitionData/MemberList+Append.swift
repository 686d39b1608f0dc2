import Foundation
import WholeFiles

extension MemberList {
    /// Appends `rows` (column name to value) to the list at `path`, each
    /// under the file's own header (a column the file does not have is left
    /// out, one a row does not give is empty), quoted where a value needs
    /// it; the rows already there are left byte for byte. Rows whose
    /// `email` is already in the list (any capitals) are skipped. Under the
    /// list's lock, the file replaced in one step.
    ///
    /// - Returns: the lines the rows now have.
    public static func append(path: String, rows: [[String: String]]) throws(UnsubscribeError) -> [Int] {
        let (target, lock, bytes, members) = try lockedRead(path)
        defer { withExtendedLifetime(lock) {} }
        var header: [String] = []
        var lines = 0
        CSVReader(bytes: bytes).forEachRecord { fields, line in
            if header.isEmpty { header = fields.map { $0.value.trimmedSpaces.lowercased() } }
            lines = max(lines, line)
        }
        var known = Set(members.map(\.mailbox))
        var text = ""
        var added: [Int] = []
        for row in rows {
            guard let email = row["email"], known.insert(email.lowercased()).inserted else { continue }
            text += header.map { quoted(row[$0] ?? "") }.joined(separator: ",") + "\n"
            lines += 1
            added.append(lines)
        }
        guard !added.isEmpty else { return [] }
        var updated = bytes
        if let last = updated.last, last != UInt8(ascii: "\n") { updated.append(UInt8(ascii: "\n")) }
        updated += Array(text.utf8)
        do {
            try WholeFile.replace(target, with: Data(updated))
        } catch {
            throw .write(file: path, reason: error.why)
        }
        return added
    }

    /// A CSV field: in quotes, its quotes doubled, when it holds a comma, a
    /// quote, a line break or spaces at its ends; a value starting with
    /// `=`, `+`, `-` or `@` gets a leading `'` so no spreadsheet reads it as
    /// a formula.
    static func quoted(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        let needs =
            value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
            || value.first == " " || value.last == " "
        return needs ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
