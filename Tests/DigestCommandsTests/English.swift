import Foundation
import Wording

/// The English words of the repository's templates (`templates/words/en.po`).
let english: Words = {
    let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates/words").path
    do {
        return try Words.load(folder: folder, language: "en")
    } catch {
        fatalError("the English catalogue does not load: \(error)")
    }
}()
