import ArgumentParser
import CoalitionData
import DigestModel
import DigestRender

/// `digest check`: load and check the data folder, print every problem.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the data folder and list every problem with file:line:column.",
        discussion: """
            Also renders every month's newsletter in memory and warns when one \
            grows past 90 KB once encoded for mail (Gmail clips near 102 KB).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "folder"))
    var data: String = "data"

    @Option(name: .long, help: ArgumentHelp("The Mustache templates folder.", valueName: "folder"))
    var templates: String = "templates"

    func run() throws {
        let result = DataFolder.load(path: data)
        var log = result.log
        if let dataset = result.dataset {
            if let pattern = dataset.coalition.mail?.subject {
                do {
                    _ = try DigestRenderer.subjectTemplate(pattern)
                } catch {
                    if case .subject(_, let message) = error {
                        log.error(pattern.file, pattern.line, pattern.column, message)
                    }
                }
            }
            do {
                log.append(contentsOf: try Project(dataPath: data, templatesPath: templates).sizeWarnings(dataset))
            } catch {
                // A template that does not load is a problem like any other: list it with the rest.
                switch error {
                case .template(let problem):
                    log.error(problem.file, problem.line, problem.column, problem.message)
                default:
                    log.error(templates, 1, 1, error.description)
                }
            }
        }
        var memberSummary: String?
        if let coalition = result.dataset?.coalition {
            // The member list: its problems with the rest, and only counts
            // (never an address) when it is sound.
            let members = MemberList.load(path: MemberList.path(dataFolder: data, coalition: coalition))
            log.append(members.log)
            if let list = members.members, let file = members.file {
                let subscribed = list.count { $0.receivesDigest }
                memberSummary =
                    "\(file): \(Phrasing.count(list.count, "member")), \(Phrasing.number(subscribed)) subscribed"
            }
        }
        for line in DiagnosticPrinter.lines(log) { Output.out(line) }
        if let memberSummary, !log.hasErrors { Output.out(memberSummary) }
        if log.hasErrors { throw ExitCode(ExitStatus.dataErrors) }
    }
}
