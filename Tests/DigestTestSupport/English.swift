import Foundation
import Wording

/// The repository's root, for the sample data and templates.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The English words of the repository's templates (`templates/words/en.po`),
/// loaded once for every test that renders.
public let english: Words = {
    let folder = repositoryRoot.appendingPathComponent("templates/words").path
    do {
        return try Words.load(folder: folder, language: "en")
    } catch {
        fatalError("the English catalogue does not load: \(error)")
    }
}()

/// The words of the repository's catalogue for `language` (`fr`, `es`).
public func words(_ language: String) -> Words {
    let folder = repositoryRoot.appendingPathComponent("templates/words").path
    do {
        return try Words.load(folder: folder, language: language)
    } catch {
        fatalError("the \(language) catalogue does not load: \(error)")
    }
}

/// Removes `schedule.until` from the `coalition.yaml` of a copied data
/// folder: the sample's calls end on 10 March 2020, and tests of the
/// calendar's rule (a call in April 2020, a cancelled one) need it to go on.
public func continueSchedule(dataFolder folder: String) throws {
    let path = folder + "/coalition.yaml"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let kept = text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("  until:") }.joined(separator: "\n")
    try kept.write(toFile: path, atomically: true, encoding: .utf8)
}
