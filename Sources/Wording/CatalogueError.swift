/// A problem in a catalogue, at its place.
public struct CatalogueError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file.
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int
    /// What is wrong and how to fix it.
    public var message: String

    /// `file:line:column: error: message`.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}
