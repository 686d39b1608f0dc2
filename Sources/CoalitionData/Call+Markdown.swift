import Foundation
import MarkdownTree

extension Call {
    /// Reads a call file: YAML front matter between `---` lines, then notes in
    /// Markdown. `fileDate` is the date in the file's name.
    static func parse(
        _ text: String, file: String, fileDate: LocalDate, countries: CountryTable, log: inout DiagnosticLog
    ) -> Call? {
        // Files saved on Windows end lines with CRLF, which Swift treats as one
        // character: normalise first, or no line would ever equal "---".
        let text = text.utf8.contains(UInt8(ascii: "\r")) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            Substring($0)
        }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        func isFence(_ line: Substring) -> Bool { line.trimmedSpaces == "---" }
        guard let first = lines.first, isFence(first) else {
            log.error(
                file, 1, 1,
                "a call file starts with a line of three dashes (---), then details such as \"date: \(fileDate)\", then another line of ---, then the notes"
            )
            return nil
        }
        guard let closing = lines.dropFirst().firstIndex(where: { isFence($0) || $0 == "..." }) else {
            log.error(
                file, 1, 1, "the details at the top are never closed; add a line of three dashes (---) after them")
            return nil
        }
        let frontMatter = lines[1..<closing].joined(separator: "\n")
        let notesText = lines[(closing + 1)...].joined(separator: "\n")

        var call = Call(
            date: fileDate, time: nil, statusAsWritten: nil, title: nil, recording: nil, registration: nil,
            registered: nil, attended: nil, countries: [], notes: MarkdownParser.parse(notesText), file: file)
        if frontMatter.allSatisfy(\.isWhitespace) {
            log.error(file, 2, 1, "the details are empty; at least \"date: \(fileDate)\" is needed")
            return nil
        }
        guard let map = YAMLMapping.parse(frontMatter, file: file, lineOffset: 1, log: &log) else { return nil }
        map.checkKeys(
            [
                "date", "date_announced", "time", "status", "title", "agenda", "recording", "registration",
                "registered", "attended",
                "countries",
            ],
            log: &log)
        var ok = true
        if let value = map.scalar("date", required: true, log: &log, example: fileDate.description) {
            if let date = LocalDate(iso: value.value) {
                if date != fileDate {
                    log.error(
                        file, value.line, value.column,
                        "date \(date) does not match the file name \(fileDate).md; rename the file or correct the date")
                    ok = false
                }
            } else {
                log.error(file, value.line, value.column, DateProblem.describe(value.value, field: "date"))
                ok = false
            }
        } else {
            ok = false
        }
        if let value = map.scalar("time", log: &log) {
            call.time = LocalTime(text: value.value)
            if call.time == nil {
                log.error(
                    file, value.line, value.column,
                    "time \"\(value.value)\" is not a time; write it on a 24-hour clock in quotes, such as \"10:00\"")
            }
        }
        if let value = map.scalar("status", log: &log) {
            call.statusAsWritten = CallStatus(rawValue: value.value.lowercased())
            if call.statusAsWritten == nil {
                let allowed = CallStatus.allCases.map(\.rawValue)
                let hint = Suggestion.nearest(to: value.value, in: allowed).map { "did you mean \"\($0)\"? " } ?? ""
                log.error(
                    file, value.line, value.column,
                    "status \"\(value.value)\" is not known; \(hint)use one of: \(allowed.joined(separator: ", "))")
            }
        }
        call.title = map.scalar("title", log: &log)?.value
        if let value = map.scalar("agenda", log: &log) {
            call.agendaAnnounced = LocalDate(iso: value.value)
            if call.agendaAnnounced == nil {
                log.error(
                    file, value.line, value.column,
                    "agenda \"\(value.value)\" is not a date; write the day the call's agenda (its title) was announced, as YYYY-MM-DD"
                )
            }
        }
        if let value = map.scalar("date_announced", log: &log) {
            call.dateAnnounced = LocalDate(iso: value.value)
            if let announced = call.dateAnnounced, announced > fileDate {
                log.error(
                    file, value.line, value.column,
                    "date_announced \(announced) is after the call (\(fileDate)); write the day members were told the call's date, on or before it"
                )
                call.dateAnnounced = nil
            } else if call.dateAnnounced == nil {
                log.error(
                    file, value.line, value.column,
                    "date_announced \"\(value.value)\" is not a date; write the day members were told the call's date (a call moved off the schedule's day), as YYYY-MM-DD"
                )
            }
        }
        for key in ["recording", "registration"] {
            guard let value = map.scalar(key, log: &log) else { continue }
            switch WebAddress.check(value.value) {
            case .invalid(let problem): log.error(file, value.line, value.column, "\(key): \(problem)")
            case .valid(let address) where key == "recording": call.recording = address
            case .valid(let address): call.registration = address
            }
        }
        for key in ["registered", "attended"] {
            guard let value = map.scalar(key, log: &log) else { continue }
            guard let number = WholeNumber.parse(value.value) else {
                log.error(
                    file, value.line, value.column,
                    "\(key) \"\(value.value)\" is not a whole number; write digits only, such as 45, or with a separator between groups of three digits, such as 1,250"
                )
                continue
            }
            if key == "registered" { call.registered = number } else { call.attended = number }
        }
        // `countries: 31`: only how many countries took part was kept.
        if let node = map.value("countries"), let scalar = node.scalar, scalar.style == .plain,
            let first = scalar.string.trimmedSpaces.first, first == "-" || first.isASCII && first.isNumber
        {
            let text = String(scalar.string.trimmedSpaces)
            let at = map.location(node)
            if let count = Int(text), count >= 0 {
                call.countryCount = count
            } else {
                log.error(
                    file, at.line, at.column,
                    "countries \"\(text)\" is not a number of countries; write how many took part (countries: 31) or list them (countries: [Kenya, Nigeria])"
                )
                ok = false
            }
            return ok ? call : nil
        }
        for item in map.list("countries", log: &log) {
            guard let scalar = item.node.scalar else {
                // A list inside the list ([[Kenya]]) or a group ({a: Kenya}) would otherwise vanish.
                log.error(
                    file, item.line, item.column,
                    "countries lists country names or codes, one per item, such as [Kenya, Nigeria]; this item is a \(item.node.mapping != nil ? "group of key: value pairs" : "list inside the list")"
                )
                ok = false
                continue
            }
            let name = String(scalar.string.trimmedSpaces)
            guard !name.isEmpty else { continue }
            if name.allSatisfy({ $0.isASCII && $0.isNumber }) {
                log.error(
                    file, item.line, item.column,
                    "countries lists country names or codes; \(name) is a number: to give only how many countries took part, write countries: \(name) without brackets"
                )
                ok = false
                continue
            }
            switch countries.lookup(name) {
            case .found(let country): call.countries.append(country)
            case .unknown(let message): log.error(file, item.line, item.column, message)
            }
        }
        return ok ? call : nil
    }
}
