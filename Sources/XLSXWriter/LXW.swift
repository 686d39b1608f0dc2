import CXlsxWriter

#if canImport(Glibc)
    import Glibc
#endif

/// Every call into libxlsxwriter, in one place.
///
/// Written against Debian's 1.1.4, whose headers take `char *` in places
/// where later versions take `const char *`; a newer version should only
/// need changes here. Strings are passed as temporary C strings; the
/// `char *` fields of option structs get copies that are freed after the call.
enum LXW {
    static func withCString<T>(_ text: String?, _ body: (UnsafeMutablePointer<CChar>?) throws -> T) rethrows -> T {
        guard let text else { return try body(nil) }
        let copy = strdup(text)
        defer { free(copy) }
        return try body(copy)
    }

    static func withCStrings<T>(_ texts: [String?], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> T) rethrows -> T
    {
        let copies = texts.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        return try body(copies)
    }

    static func version() -> String { String(cString: lxw_version()) }
}
