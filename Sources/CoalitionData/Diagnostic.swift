/// One problem found in the data, with where it is and how to fix it.
///
/// Rendered as `path:line:column: error: message`, the format compilers use,
/// so editors can jump to it.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Comparable {
        /// Output is not written while any error remains.
        case error
        /// Worth a look; output is still written.
        case warning

        /// Earlier sorts first.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// The file, as a path relative to where the command was run or as given.
    public var file: String
    /// Line, counting from 1.
    public var line: Int
    /// Column in characters, counting from 1.
    public var column: Int
    /// Error or warning.
    public var severity: Severity
    /// What is wrong and how to fix it, in words a non-programmer can act on.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, severity: Severity, message: String) {
        self.file = file
        self.line = max(line, 1)
        self.column = max(column, 1)
        self.severity = severity
        self.message = message
    }

    /// `path:line:column: severity: message`, safe to print on a terminal
    /// or a page: control characters and bidirectional controls quoted from
    /// the data are shown as `\u{1B}`, never sent as they are.
    public var description: String {
        "\(Self.visible(file)):\(line):\(column): \(severity.rawValue): \(Self.visible(message))"
    }

    /// `text` with every control character (C0, DEL, C1) and every
    /// bidirectional control written out as `\u{…}`.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsQuoting) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsQuoting(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsQuoting(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || TextScan.isBidiControl(scalar)
    }
}
