import CXlsxWriter

/// A chart, filled with series that point at worksheet ranges, then inserted
/// into a worksheet with ``Worksheet/insert(_:row:column:width:height:)``.
public final class Chart: @unchecked Sendable {
    /// The kinds of chart the reports use.
    public enum Kind: Sendable {
        case line, column, bar, pie, doughnut

        var raw: UInt8 {
            switch self {
            case .line: return UInt8(LXW_CHART_LINE.rawValue)
            case .column: return UInt8(LXW_CHART_COLUMN.rawValue)
            case .bar: return UInt8(LXW_CHART_BAR.rawValue)
            case .pie: return UInt8(LXW_CHART_PIE.rawValue)
            case .doughnut: return UInt8(LXW_CHART_DOUGHNUT.rawValue)
            }
        }
    }

    let handle: UnsafeMutablePointer<lxw_chart>
    let workbook: Workbook

    init(handle: UnsafeMutablePointer<lxw_chart>, workbook: Workbook) {
        self.handle = handle
        self.workbook = workbook
    }

    /// Adds a series. `categories` and `values` are ranges such as
    /// `CellAddress.range(sheet:firstRow:…)`.
    ///
    /// - Parameters:
    ///   - color: line or fill colour as `0xRRGGBB`.
    ///   - dashed: a dashed line (for a goal or target line).
    public func addSeries(
        name: String, categories: String, values: String, color: UInt32? = nil, dashed: Bool = false
    ) throws(XLSXError) {
        try workbook.checkOpen("chart series \(name)")
        guard let series = chart_add_series(handle, categories, values) else {
            throw XLSXError(.library(-1), "libxlsxwriter could not add the series", context: "chart series \(name)")
        }
        chart_series_set_name(series, name)
        if let color {
            var line = lxw_chart_line(
                color: lxw_color_t(color), none: 0, width: 2.25,
                dash_type: dashed ? UInt8(LXW_CHART_LINE_DASH_DASH.rawValue) : 0, transparency: 0)
            chart_series_set_line(series, &line)
            var fill = lxw_chart_fill(color: lxw_color_t(color), none: 0, transparency: 0)
            chart_series_set_fill(series, &fill)
        }
    }

    /// The chart's title.
    public func title(_ text: String) {
        chart_title_set_name(handle, text)
    }

    /// Axis titles.
    public func axisNames(x: String?, y: String?) {
        if let x, let axis = handle.pointee.x_axis { chart_axis_set_name(axis, x) }
        if let y, let axis = handle.pointee.y_axis { chart_axis_set_name(axis, y) }
    }

    /// A number format for the value axis, such as `#,##0`.
    public func valueAxisFormat(_ pattern: String) {
        if let axis = handle.pointee.y_axis { chart_axis_set_num_format(axis, pattern) }
    }

    /// A number format for the category axis, such as `mmm yyyy` for dates.
    public func categoryAxisFormat(_ pattern: String) {
        if let axis = handle.pointee.x_axis { chart_axis_set_num_format(axis, pattern) }
    }

    /// Puts the legend below the plot, or hides it.
    public func legend(bottom: Bool) {
        chart_legend_set_position(
            handle, UInt8(bottom ? LXW_CHART_LEGEND_BOTTOM.rawValue : LXW_CHART_LEGEND_NONE.rawValue))
    }
}
