import CoalitionData
import DeliveryReports
import DigestMailing
import DigestRender
import DigestSend
import DonorReport
import ListState
import PostgresState
import WholeFiles
import Wording

/// Why a job of the project could not be done. Every case keeps the error
/// that caused it; ``description`` says what to do, naming the setting or
/// the file to change.
public enum ProjectError: Error, Sendable, CustomStringConvertible {
    /// The data folder has errors (every diagnostic, warnings included).
    case data(DiagnosticLog)
    /// A template does not parse.
    case template(TemplateError)
    /// A catalogue of words is missing or does not parse.
    case catalogue(CatalogueError)
    /// A month could not be rendered (a missing template, an email that
    /// cannot be built).
    case render(RenderError)
    /// Output could not be written.
    case output(WriteError)
    /// The workbook could not be made.
    case workbook(DonorReportError)
    /// There is nothing to do: no month to render, no record to publish.
    case nothingToDo(String)
    /// A period more than the record's reach away from its months, or a
    /// date past the calendar's end: the option (`--period`, `--after`),
    /// what was given, and why.
    case outOfReach(option: String, value: String, String)
    /// A format was asked for that the data cannot give (an email without
    /// `mail:` settings).
    case format(String)
    /// The member list has errors.
    case members(DiagnosticLog)
    /// The mail settings or the secret are missing or wrong.
    case mail(MailingError)
    /// `coalition.yaml` has no `mail:` section, which sending needs.
    case noMailSettings(DigestMailError)
    /// A setting needed to send is missing (the relay's password).
    case sendSetting(String)
    /// The send stopped (the relay, the ledger, the lock).
    case send(SendError)
    /// The member list could not be changed.
    case unsubscribe(MemberList.UnsubscribeError)
    /// The state folder's suppression list could not be opened, read or written.
    case state(path: String, cause: any Error)
    /// A bounce mailbox (Maildir folder or mbox file) could not be read.
    case bounces(MailboxReader.ReadError)
    /// The list ID made from `mail.to` cannot name a list in the state.
    case noListID(String)
    /// The templates folder is not where it was looked for (its absolute
    /// path): the command was run from another folder without `--templates`.
    case noTemplatesFolder(String)

    /// True when the fault is in a file of the project (the data, a
    /// template, a catalogue, a setting) rather than the machine (the disk,
    /// a relay, the state): what staff fix by editing a file.
    public var isInTheProjectsFiles: Bool {
        switch self {
        case .data, .template, .catalogue, .render, .members, .mail, .noMailSettings, .noListID, .format: return true
        default: return false
        }
    }

    /// The message as people read it.
    public var description: String {
        switch self {
        case .data(let log): return log.summary
        case .template(let error): return error.description
        case .catalogue(let error): return error.description
        case .render(let error): return "error: \(error.description)"
        case .output(let error): return "\(error.path): error: cannot write output: \(error.why)"
        case .workbook(let error): return "error: the workbook could not be made: \(error.description)"
        case .nothingToDo(let why): return "error: \(why)"
        case .outOfReach(let option, let value, let why): return "error: \(option) \(value): \(why)"
        case .format(let why): return "error: \(why)"
        case .members(let log): return log.summary
        case .mail(let error): return "error: \(error.description)"
        case .noMailSettings(let error): return "error: \(error.description)"
        case .sendSetting(let why): return "error: \(why)"
        case .send(let error): return "error: \(Self.describe(error))"
        case .unsubscribe(let error): return error.description
        case .state(let path, let cause): return "error: cannot use \(path): \(cause)"
        case .bounces(let error): return "\(error.path): error: \(error.reason)"
        case .noTemplatesFolder(let path):
            return
                "error: there is no templates folder at \(path); run digest from the folder that holds templates/, or name it with --templates"
        case .noListID(let made):
            return
                "error: the list ID \"\(made)\" made from mail.to cannot be used to keep the list's state; set mail.list_id in coalition.yaml, such as coalition.lists.example.org"
        }
    }

    /// A send error in words, with the `coalition.yaml` setting to look at
    /// when the relay refused the settings.
    static func describe(_ error: SendError) -> String {
        guard case .relay(let smtp) = error else { return error.description }
        let hint: String
        switch smtp {
        case .authentication: hint = "; check mail.smtp.username and DIGEST_SMTP_PASSWORD"
        case .tls:
            hint =
                "; check mail.smtp.host (the relay's certificate must name it) and mail.smtp.certificate_authority (for a relay with its own authority)"
        case .tlsSettings: hint = "; check mail.smtp.certificate_authority"
        case .unsupported(let what) where what == "STARTTLS":
            hint = "; if the relay speaks TLS from the first byte (port 465), set mail.smtp.security to tls"
        case .unsupported: hint = "; check mail.smtp.username (remove it if the relay needs no login)"
        case .injection: hint = "; tell the relay's operator, and try again later"
        default: hint = ""
        }
        return error.description + hint
    }
}

extension ProjectError {
    /// True when the state's database could not be reached: worth trying
    /// again later (the command line exits 75, like a send already running).
    /// True when `digest state copy` found other data under the same keys
    /// in the destination (and copied nothing).
    public var isStateConflict: Bool {
        if case .state(_, let cause) = self { return cause is StateSnapshot.Conflicts }
        return false
    }

    /// Whether the state could not be reached for now (the database is
    /// down or restarting): worth trying again, nothing lost.
    public var isStateUnavailable: Bool {
        switch self {
        case .state(_, let cause): return (cause as? DatabaseFailure)?.isTransient ?? false
        case .send(.stateUnavailable): return true
        default: return false
        }
    }
}
