import Foundation

/// Loads and checks a coalition's data folder (`data/` by default).
///
/// Every problem in every file is reported; the dataset is returned only
/// when there are no errors, so bad data never produces output.
public enum DataFolder {
    /// The result of loading: the dataset when there were no errors, and
    /// every diagnostic either way.
    public struct Result: Sendable {
        /// The data, or nil when any error was found.
        public var dataset: CoalitionDataset?
        /// What loaded whatever the errors, each row or file with an error
        /// left out (nil when `coalition.yaml` did not load): only for the
        /// preview, which shows the months the errors do not touch.
        public var partial: CoalitionDataset? = nil
        /// Errors and warnings, in file order.
        public var log: DiagnosticLog
    }

    /// The files of data contract version 1, besides `calls/`.
    public static let files = [
        "coalition.yaml", "commitments.csv", "vnr.csv", "petition.csv", "events.csv", "actions.csv",
    ]

    /// Loads the folder at `path`. Diagnostics name files as `path/file`.
    ///
    /// `coalition.yaml` is required; each CSV file may be absent (nothing of
    /// that kind is tracked), and `calls/` may be empty.
    public static func load(path: String) -> Result {
        var log = DiagnosticLog()
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        func display(_ name: String) -> String { base.isEmpty ? name : base + "/" + name }

        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isFolder), isFolder.boolValue else {
            log.error(
                base, 1, 1,
                "the data folder \"\(base)\" does not exist; run from the project folder or pass --data FOLDER")
            return Result(dataset: nil, log: log)
        }
        let reader = DataFileReader(base: base)

        let countries: CountryTable
        do {
            countries = try CountryTable.standard()
        } catch {
            log.error(display("countries.tsv"), 1, 1, error.description)
            return Result(dataset: nil, log: log)
        }

        var coalition: Coalition?
        if let bytes = reader.bytes(
            display("coalition.yaml"), at: base + "/coalition.yaml", required: true, kind: .yaml, log: &log)
        {
            TextScan.controls(bytes, file: display("coalition.yaml"), log: &log)
            coalition = Coalition.parse(
                String(decoding: bytes, as: UTF8.self), file: display("coalition.yaml"), log: &log)
        }
        checkUnexpectedFiles(
            in: base, sections: coalition?.sections.map(\.file) ?? [], display: display, reader: reader, log: &log)

        let calls = loadCalls(
            base: base, display: display, reader: reader, countries: countries, languages: coalition?.languages,
            log: &log)
        let span = RecordSpan(callDates: calls.map(\.date))
        for call in calls {
            if let problem = span.problem(call.date, field: "the call's date") { log.warning(call.file, 1, 1, problem) }
        }

        func table<T>(
            _ name: String, _ columns: (required: [String], optional: [String]), translatable: [String] = [],
            _ parse: (inout CSVRow) -> T?
        ) -> [T] {
            guard let bytes = reader.bytes(display(name), at: base + "/" + name, required: false, kind: .csv, log: &log)
            else { return [] }
            TextScan.controls(bytes, file: display(name), log: &log)
            var records: [T] = []
            var table = CSVTable(
                bytes: bytes, file: display(name), required: columns.required, optional: columns.optional,
                translatable: translatable)
            table.span = span
            table.forEachRow(log: &log) { row in
                if let record = parse(&row) { records.append(record) }
            }
            return records
        }
        let commitments = table("commitments.csv", Commitment.columns, translatable: Commitment.translatable) {
            Commitment.parse(&$0, countries: countries, frameworks: coalition?.frameworks)
        }
        let reviews = table("vnr.csv", VNRReview.columns, translatable: VNRReview.translatable) {
            VNRReview.parse(&$0, countries: countries)
        }
        let petition = table("petition.csv", PetitionCount.columns) { PetitionCount.parse(&$0, countries: countries) }
        let events = table("events.csv", Event.columns, translatable: Event.translatable) {
            Event.parse(&$0, countries: countries)
        }
        let actions = table("actions.csv", Action.columns, translatable: Action.translatable) { Action.parse(&$0) }
        let listings = (coalition?.sections ?? []).map { section in
            Listing(
                section: section,
                items: table(section.file, Listing.Item.columns, translatable: Listing.Item.translatable) {
                    Listing.Item.parse(&$0)
                })
        }
        if let coalition {
            PresentingCount.check(
                coalition.vnrPresenting, reviews: reviews, file: display("coalition.yaml"), log: &log)
        }
        PetitionCheck.run(petition, file: display("petition.csv"), log: &log)

        guard let coalition else { return Result(dataset: nil, log: log) }
        var dataset = CoalitionDataset(
            coalition: coalition, calls: calls, commitments: commitments, reviews: reviews, petition: petition,
            events: events, actions: actions)
        dataset.listings = listings
        guard !log.hasErrors else { return Result(dataset: nil, partial: dataset, log: log) }
        return Result(dataset: dataset, partial: dataset, log: log)
    }

    private static func loadCalls(
        base: String, display: (String) -> String, reader: DataFileReader, countries: CountryTable,
        languages: [String]?, log: inout DiagnosticLog
    ) -> [Call] {
        let folder = base + "/calls"
        guard let names = reader.folderNames(display("calls"), at: folder, log: &log) else { return [] }
        var calls: [Call] = []
        var translations: [(name: String, tag: String)] = []
        var originals: Set<String> = []
        for name in names where !name.hasPrefix(".") {
            let file = display("calls/" + name)
            guard name.hasSuffix(".md") else {
                if name.lowercased() != "readme.md" {
                    log.warning(file, 1, 1, "only call notes ending in .md belong in calls/; this file is ignored")
                }
                continue
            }
            if name.lowercased() == "readme.md" { continue }
            // 2019-06-11.fr.md: a translation, read once the originals are.
            let stem = name.dropLast(3)
            if stem.count > 11, LocalDate(iso: stem.prefix(10)) != nil, stem.dropFirst(10).first == "." {
                translations.append((name, String(stem.dropFirst(11))))
                continue
            }
            originals.insert(String(stem))
            guard let date = LocalDate(iso: stem) else {
                log.error(
                    file, 1, 1,
                    "a call file is named after the call's date, YYYY-MM-DD.md (such as 2019-06-11.md); rename this file"
                )
                continue
            }
            guard let bytes = reader.bytes(file, at: folder + "/" + name, required: true, kind: .markdown, log: &log)
            else { continue }
            TextScan.controls(bytes, file: file, log: &log)
            let text = String(decoding: bytes, as: UTF8.self)
            if let call = Call.parse(text, file: file, fileDate: date, countries: countries, log: &log) {
                calls.append(call)
            }
        }
        for (name, tag) in translations {
            let file = display("calls/" + name)
            let original = String(name.prefix(10))
            guard let language = LanguageTag.normalised(tag) else {
                log.error(
                    file, 1, 1,
                    "a translation is named after its call and a language tag, such as \(original).fr.md; \"\(tag)\" is not a language tag"
                )
                continue
            }
            if let languages, !languages.contains(language) {
                log.warning(
                    file, 1, 1,
                    "\"\(tag)\" is not one of the coalition's languages (\(languages.joined(separator: ", ")) in coalition.yaml languages:), so no reader gets this translation; name it \(original).\(languages.first { $0 != languages.first } ?? "fr").md for one of them, or add \(language) to languages:"
                )
            }
            if tag != language {
                log.warning(
                    file, 1, 1,
                    "the language tag is written \"\(tag)\"; name the file \(original).\(language).md, as the tags in languages: are written"
                )
            }
            guard let index = calls.firstIndex(where: { $0.date.description == original }) else {
                // An original with errors has them reported; its translation waits for it.
                if originals.contains(original) { continue }
                log.error(
                    file, 1, 1,
                    "this translates calls/\(original).md, which is not there; check the date in the file name"
                )
                continue
            }
            guard let bytes = reader.bytes(file, at: folder + "/" + name, required: true, kind: .markdown, log: &log)
            else { continue }
            TextScan.controls(bytes, file: file, log: &log)
            if let translation = CallTranslation.parse(
                String(decoding: bytes, as: UTF8.self), file: file, language: language, log: &log)
            {
                calls[index].translations[language] = translation
            }
        }
        return calls
    }

    private static func checkUnexpectedFiles(
        in base: String, sections: [String], display: (String) -> String, reader: DataFileReader,
        log: inout DiagnosticLog
    ) {
        guard let names = reader.folderNames(base, at: base, log: &log) else { return }
        let known = files + sections
        for name in names {
            let lower = name.lowercased()
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") else { continue }
            // The member list is loaded apart (``MemberList``), by check and send.
            guard !known.contains(name), name != "members.csv" else { continue }
            let hint = Suggestion.nearest(to: name, in: known).map { "; did you mean \($0)?" } ?? ""
            log.warning(
                display(name), 1, 1,
                "this file is not read\(hint) (the data files are \(known.joined(separator: ", ")); a section of your own is named under sections: in coalition.yaml)"
            )
        }
    }
}
