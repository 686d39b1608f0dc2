import CoalitionData
import DigestRender

/// What cannot be shown, as staff should read it.
public enum PreviewProblem: Error, Sendable {
    /// The data or templates have errors.
    case broken(diagnostics: [Diagnostic], templateError: TemplateError?)
    /// No such month or period in the data.
    case notFound
    /// A period the record cannot speak of: why.
    case outOfReach(String)
    /// The page's content could not be made (a workbook libxlsxwriter
    /// could not write): the error, for staff.
    case failed(ProjectError)
}
