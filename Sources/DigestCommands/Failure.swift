import ArgumentParser
import CoalitionData
import DigestApplication

/// How the command line reports a failed job: what to print, and the exit
/// status (README lists them). The one place that turns a
/// ``ProjectError`` into lines and a number.
enum Failure {
    /// Prints `error` on standard error and returns the exit to throw.
    static func exit(_ error: ProjectError) -> ExitCode {
        for line in lines(error) { Output.err(line) }
        return ExitCode(status(error))
    }

    /// The lines printed for `error`.
    static func lines(_ error: ProjectError) -> [String] {
        switch error {
        case .data(let log), .members(let log): return DiagnosticPrinter.lines(log)
        case .send(let send):
            switch send {
            case .relay, .sendmail:
                return [error.description, "Nothing was sent twice; run digest send again later to go on."]
            default: return [error.description]
            }
        default: return [error.description]
        }
    }

    /// The exit status for `error`.
    static func status(_ error: ProjectError) -> Int32 {
        if error.isStateUnavailable { return ExitStatus.busy }
        if error.isStateConflict { return ExitStatus.someSkipped }
        switch error {
        case .data, .template, .catalogue, .render, .workbook, .nothingToDo, .format, .members, .mail, .noMailSettings,
            .sendSetting, .noListID:
            return ExitStatus.dataErrors
        case .output, .state: return ExitStatus.outputFailed
        case .bounces, .noTemplatesFolder: return ExitStatus.noInput
        case .outOfReach: return ExitStatus.usage
        case .unsubscribe(let problem):
            if case .write = problem { return ExitStatus.outputFailed }
            return ExitStatus.dataErrors
        case .send(let send):
            switch send {
            case .busy, .runningElsewhere, .stateUnavailable: return ExitStatus.busy
            case .relay, .sendmail, .interrupted: return ExitStatus.unavailable
            case .ledger, .ledgerReplaced, .ledgerMissing, .file, .state, .transportChanged, .otherList:
                return ExitStatus.outputFailed
            case .signing: return ExitStatus.dataErrors
            }
        }
    }

    /// Loads the data folder of `project` for a command: prints its
    /// warnings, or its problems and exits 1.
    static func load(_ project: Project) throws -> CoalitionDataset {
        do {
            let loaded = try project.loadChecked()
            if !loaded.log.all.isEmpty {
                for line in DiagnosticPrinter.lines(loaded.log) { Output.err(line) }
            }
            return loaded.dataset
        } catch {
            throw exit(error)
        }
    }
}
