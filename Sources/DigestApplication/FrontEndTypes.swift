import DigestRender
import DigestSend
import Foundation
import ListState
import MailDomain
import ProviderWebhooks
import WholeFiles
import XLSXWriter

// The value types front ends name, under the application layer's names:
// a front end (the command line, the preview, digest serve) imports
// DigestApplication, its own framework and the model's value types,
// nothing below (docs/architecture.md; PackageGraphTests holds it).

/// An output format of a month (`txt`, `html`, `eml`, `json`, `ics`).
public typealias OutputFormat = DigestRenderer.Format
/// The paper a workbook's sheets print on.
public typealias PaperSize = Worksheet.Paper
/// A send's options: rate, limit, uncertain messages resent.
public typealias SendRunOptions = SendRun.Options
/// Where a running send stands.
public typealias SendProgress = SendRun.Progress
/// What a send did.
public typealias SendSummary = SendRun.Summary
/// The pace a send slowed down to when the relay asked.
public typealias SendSlowdown = SendRun.Slowdown
/// A suppressed address of the list.
public typealias MemberSuppression = Suppression
/// A mail provider whose webhook `digest serve` takes.
public typealias WebhookProvider = ProviderWebhooks.WebhookProvider
/// Why a webhook request is refused, with its HTTP status.
public typealias WebhookRefusal = ProviderWebhooks.WebhookRefusal
/// One event a provider reports.
public typealias ProviderEvent = ProviderWebhooks.ProviderEvent
/// What `digest mail check` found.
public typealias DomainReport = MailDomain.DomainReport
/// One of its findings.
public typealias DomainFinding = MailDomain.DomainFinding

extension Project {
    /// Removes what a killed preview or render left in the system's
    /// temporary folder (workbooks assembled for download).
    public static func removeStaleSystemTemporaryFiles() {
        _ = TemporaryName.removeStale(in: [NSTemporaryDirectory()])
    }
}

/// The one HTML escaping of the program (text and attribute values), for
/// the front ends' own pages.
public typealias HTMLText = HTMLEscaping
