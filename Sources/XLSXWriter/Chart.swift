import CXlsxWriter

/// A chart, filled with series that point at worksheet ranges, then inserted
/// into a worksheet with ``Worksheet/insert(_:row:column:width:height:)``.
public final class Chart {
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
    let kind: Kind
    private var lastSeries: UnsafeMutablePointer<lxw_chart_series>?

    init(handle: UnsafeMutablePointer<lxw_chart>, workbook: Workbook, kind: Kind) {
        self.handle = handle
        self.workbook = workbook
        self.kind = kind
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
        lastSeries = series
        if let color {
            var line = lxw_chart_line(
                color: lxw_color_t(color), none: 0, width: 2.25,
                dash_type: dashed ? UInt8(LXW_CHART_LINE_DASH_DASH.rawValue) : 0, transparency: 0)
            chart_series_set_line(series, &line)
            var fill = lxw_chart_fill(color: lxw_color_t(color), none: 0, transparency: 0)
            chart_series_set_fill(series, &fill)
        }
    }

    /// Shows the last added series' points as markers of `size` points
    /// (a series of one point has no line to show it otherwise); with
    /// `lineless`, the markers alone.
    public func markers(size: Int = 7, color: UInt32, lineless: Bool = false) {
        guard let series = lastSeries else { return }
        chart_series_set_marker_type(series, UInt8(LXW_CHART_MARKER_CIRCLE.rawValue))
        chart_series_set_marker_size(series, UInt8(clamping: size))
        var fill = lxw_chart_fill(color: lxw_color_t(color), none: 0, transparency: 0)
        chart_series_set_marker_fill(series, &fill)
        var line = lxw_chart_line(color: lxw_color_t(color), none: 0, width: 1, dash_type: 0, transparency: 0)
        chart_series_set_marker_line(series, &line)
        if lineless {
            var none = lxw_chart_line(color: 0, none: 1, width: 0, dash_type: 0, transparency: 0)
            chart_series_set_line(series, &none)
        }
    }

    /// Writes each point's value beside it on the last added series.
    public func dataLabels() {
        guard let series = lastSeries else { return }
        chart_series_set_labels(series)
    }

    /// Starts the value axis at `minimum`, ends it at `maximum` when given
    /// (a goal the values must reach), and gives it a number format. (A bar
    /// chart's value axis is its horizontal one.)
    public func valueAxis(from minimum: Double, to maximum: Double? = nil, format: String) {
        guard let axis = kind == .bar ? handle.pointee.x_axis : handle.pointee.y_axis else { return }
        chart_axis_set_min(axis, minimum)
        if let maximum { chart_axis_set_max(axis, maximum) }
        chart_axis_set_num_format(axis, format)
    }

    /// Shows every category's label (none skipped), top to bottom in the
    /// order of the cells when `topDown` (a bar chart draws its first
    /// category at the bottom otherwise).
    public func categoryAxis(everyLabel: Bool, topDown: Bool, fontSize: Double? = nil) {
        guard let axis = kind == .bar ? handle.pointee.y_axis : handle.pointee.x_axis else { return }
        if everyLabel { chart_axis_set_interval_unit(axis, 1) }
        if let fontSize {
            var font = lxw_chart_font()
            font.size = fontSize
            chart_axis_set_num_font(axis, &font)
        }
        if topDown { chart_axis_set_reverse(axis) }
    }

    /// The chart's title, at `fontSize` points (bold) when given, else
    /// the reader's default (14).
    public func title(_ text: String, fontSize: Double? = nil) {
        chart_title_set_name(handle, text)
        if let fontSize {
            var font = lxw_chart_font()
            font.size = fontSize
            font.bold = UInt8(LXW_TRUE.rawValue)
            chart_title_set_name_font(handle, &font)
        }
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
