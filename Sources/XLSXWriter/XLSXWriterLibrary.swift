import CXlsxWriter

/// Facts about the libxlsxwriter build this module is linked against.
///
/// The workbook types arrive with the donor-report work; this type proves the
/// C library is installed and linked from the first build on.
public enum XLSXWriterLibrary {
    /// libxlsxwriter's version string, such as `"1.1.4"`.
    public static var version: String {
        String(cString: lxw_version())
    }
}
