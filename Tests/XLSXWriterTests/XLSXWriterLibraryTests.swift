import Testing
import XLSXWriter

@Suite("libxlsxwriter is installed and linked")
struct XLSXWriterLibraryTests {
    @Test("the version is Debian's 1.1.x or later")
    func version() {
        let parts = XLSXWriterLibrary.version.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count >= 2)
        #expect(parts.first == 1)
        #expect((parts.dropFirst().first ?? 0) >= 1)
    }
}
