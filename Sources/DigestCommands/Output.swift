import Foundation

/// Where commands print: standard output for results, standard error for
/// problems and progress.
enum Output {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Overwrites the current terminal line on standard error (progress).
    static func errInline(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// True when standard error is a terminal (progress lines only then).
    static var errIsTerminal: Bool { isatty(2) == 1 }
}
