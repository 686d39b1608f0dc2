import CoalitionData
import Foundation

/// Where commands print: standard output for results, standard error for
/// problems and progress.
///
/// Every line is printed with its control characters quoted
/// (``Diagnostic/visible(_:)``): text from the data, a relay's reply or a
/// command's argument can never move the cursor or recolour a terminal.
enum Output {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((Diagnostic.visible(line) + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((Diagnostic.visible(line) + "\n").utf8))
    }

    /// Overwrites the current terminal line on standard error (progress).
    static func errInline(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Diagnostic.visible(text)).utf8))
    }

    /// True when standard error is a terminal (progress lines only then).
    static var errIsTerminal: Bool { isatty(2) == 1 }
}
