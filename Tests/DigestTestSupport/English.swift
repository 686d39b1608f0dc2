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
