import CoalitionData
import DigestModel
import DigestRender
import Foundation

/// The folders a command works on, and the jobs every command shares:
/// load and check the data, render a month, write output safely.
///
/// Commands are thin shells over this type, so tests drive it directly.
public struct Project: Sendable {
    /// The data folder, as the user named it.
    public var dataPath: String
    /// The templates folder.
    public var templatesPath: String
    /// The output folder.
    public var outputPath: String

    /// Creates a project over the given folders.
    public init(dataPath: String = "data", templatesPath: String = "templates", outputPath: String = "output") {
        self.dataPath = dataPath
        self.templatesPath = templatesPath
        self.outputPath = outputPath
    }

    /// Loads and checks the data folder.
    public func load() -> DataFolder.Result {
        DataFolder.load(path: dataPath)
    }

    /// The month `digest render` renders when none is named: the latest month
    /// with a call file.
    public static func defaultMonth(_ dataset: CoalitionDataset) -> YearMonth? {
        dataset.calls.last?.date.yearMonth
    }

    /// Renders `months` in memory. Nothing is written.
    ///
    /// - Returns: for each month, its output files keyed by file name.
    public func render(
        _ dataset: CoalitionDataset, months: [YearMonth], formats: [DigestRenderer.Format]
    ) throws(ProjectError) -> [(month: YearMonth, files: [String: Data])] {
        let templates: TemplateSet
        do {
            templates = try TemplateSet(folder: templatesPath)
        } catch {
            throw .template(error)
        }
        let renderer = DigestRenderer(templates: templates)
        var result: [(month: YearMonth, files: [String: Data])] = []
        for month in months {
            let digest = Digest(dataset: dataset, period: Period(month: month))
            do {
                result.append((month, try renderer.render(digest, formats: formats)))
            } catch {
                throw .render(error)
            }
        }
        return result
    }

    /// Writes rendered files to `output/<name>/`, each through a temporary
    /// file renamed into place, so a crash never leaves half a file and files
    /// not being replaced stay as they were.
    ///
    /// - Returns: the paths written, in order.
    @discardableResult
    public func write(_ folders: [(name: String, files: [String: Data])]) throws(ProjectError) -> [String] {
        var written: [String] = []
        for folder in folders {
            let directory = (outputPath as NSString).appendingPathComponent(folder.name)
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .output(path: directory, reason: error.localizedDescription)
            }
            for name in folder.files.keys.sorted() {
                guard let data = folder.files[name] else { continue }
                let path = (directory as NSString).appendingPathComponent(name)
                try AtomicFile.write(data, to: path)
                written.append(path)
            }
        }
        return written
    }
}

/// Why a command could not produce its output.
public enum ProjectError: Error, Sendable, CustomStringConvertible {
    /// A template does not parse.
    case template(TemplateError)
    /// A template is missing.
    case render(RenderError)
    /// The output could not be written.
    case output(path: String, reason: String)

    public var description: String {
        switch self {
        case .template(let error): return error.description
        case .render(let error): return "error: \(error.description)"
        case .output(let path, let reason): return "\(path): error: cannot write output: \(reason)"
        }
    }
}
