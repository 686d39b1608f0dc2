extension Coalition {
    /// `sections:`, the coalition's own sections of the newsletter, in the
    /// order they come (after "Get involved"):
    ///
    /// ```yaml
    /// sections:
    ///   - name: resources
    ///     heading: Reading and resources
    ///     heading_fr: Lectures et ressources
    /// ```
    static func parseSections(_ root: YAMLMapping, log: inout DiagnosticLog) -> [NewsletterSection] {
        var sections: [NewsletterSection] = []
        for item in root.list("sections", log: &log) {
            guard let mapping = item.node.mapping else {
                log.error(
                    root.file, item.line, item.column,
                    "each section needs a name and a heading, on lines \"- name: resources\" and \"  heading: Resources\""
                )
                continue
            }
            let section = YAMLMapping(
                file: root.file, lineOffset: 0, mapping: mapping, line: item.line, column: item.column,
                prefix: "sections.")
            var headings: [String: String] = [:]
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? ""
                let at = section.location(keyNode)
                if key == "name" || key == "heading" { continue }
                if key.hasPrefix("heading_"), let tag = LanguageTag.normalised(String(key.dropFirst(8))) {
                    if let text = valueNode.scalar?.string, !text.isEmpty {
                        headings[tag] = text
                        if tag.hasPrefix("fr"), let first = FrenchSpacing.plainSpaces(in: text).first {
                            let place = section.location(valueNode)
                            log.warning(root.file, place.line, place.column, FrenchSpacing.warning(first.sign))
                        }
                    }
                    continue
                }
                log.warning(
                    root.file, at.line, at.column,
                    "unknown key \"sections.\(key)\" is ignored; a section has name, heading and heading_<language> (heading_fr)"
                )
            }
            let name = section.scalar("name", required: true, log: &log, example: "resources")
            let heading = section.scalar("heading", required: true, log: &log, example: "Reading and resources")
            guard let name, let heading else { continue }
            guard NewsletterSection.isValidName(name.value) else {
                log.error(
                    root.file, name.line, name.column,
                    "a section's name is lower-case letters, digits, - and _, starting with a letter (it names its file, resources.csv); not \"\(name.value)\""
                )
                continue
            }
            guard !NewsletterSection.reserved.contains(name.value) else {
                log.error(
                    root.file, name.line, name.column,
                    "\"\(name.value)\" is a part of the digest already; give the section another name")
                continue
            }
            guard !sections.contains(where: { $0.name == name.value }) else {
                log.error(
                    root.file, name.line, name.column,
                    "the section \"\(name.value)\" is listed twice; keep one")
                continue
            }
            guard !heading.value.contains(where: \.isNewline) else {
                log.error(root.file, heading.line, heading.column, "a section's heading must be on one line")
                continue
            }
            sections.append(NewsletterSection(name: name.value, heading: heading.value, headings: headings))
        }
        return sections
    }
}
