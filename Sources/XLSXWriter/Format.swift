import CXlsxWriter

/// A cell format: font, fill, border, alignment, number format.
///
/// Formats belong to their workbook and live as long as it does. Set
/// properties before using the format in a cell.
public final class Format {
    let handle: UnsafeMutablePointer<lxw_format>
    // Formats are made and used by one thread, the one building the workbook.

    init(handle: UnsafeMutablePointer<lxw_format>) {
        self.handle = handle
    }

    /// Centre vertically in the cell.
    @discardableResult public func alignMiddle() -> Format {
        format_set_align(handle, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        return self
    }

    /// Horizontal alignment.
    public enum Alignment: Sendable {
        case left, center, right
    }

    /// Bold text.
    @discardableResult public func bold() -> Format {
        format_set_bold(handle)
        return self
    }

    /// Italic text.
    @discardableResult public func italic() -> Format {
        format_set_italic(handle)
        return self
    }

    /// Font size in points.
    @discardableResult public func fontSize(_ size: Double) -> Format {
        format_set_font_size(handle, size)
        return self
    }

    /// Font colour as `0xRRGGBB`.
    @discardableResult public func fontColor(_ rgb: UInt32) -> Format {
        format_set_font_color(handle, lxw_color_t(rgb))
        return self
    }

    /// Solid background fill as `0xRRGGBB`.
    @discardableResult public func fill(_ rgb: UInt32) -> Format {
        format_set_pattern(handle, UInt8(LXW_PATTERN_SOLID.rawValue))
        format_set_bg_color(handle, lxw_color_t(rgb))
        return self
    }

    /// A thin border on all sides, or only at the bottom.
    @discardableResult public func border(bottomOnly: Bool = false, color rgb: UInt32 = 0xBFBFBF) -> Format {
        if bottomOnly {
            format_set_bottom(handle, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_bottom_color(handle, lxw_color_t(rgb))
        } else {
            format_set_border(handle, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_border_color(handle, lxw_color_t(rgb))
        }
        return self
    }

    /// Wrap long text within the cell.
    @discardableResult public func wrap() -> Format {
        format_set_text_wrap(handle)
        return self
    }

    /// Align to the top of the cell.
    @discardableResult public func alignTop() -> Format {
        format_set_align(handle, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        return self
    }

    /// Align to the bottom of the cell (headers: labels of one and two
    /// lines end on the same line, next to the data).
    @discardableResult public func alignBottom() -> Format {
        format_set_align(handle, UInt8(LXW_ALIGN_VERTICAL_BOTTOM.rawValue))
        return self
    }

    /// Horizontal alignment.
    @discardableResult public func align(_ alignment: Alignment) -> Format {
        let value: lxw_format_alignments
        switch alignment {
        case .left: value = LXW_ALIGN_LEFT
        case .center: value = LXW_ALIGN_CENTER
        case .right: value = LXW_ALIGN_RIGHT
        }
        format_set_align(handle, UInt8(value.rawValue))
        return self
    }

    /// An Excel number format such as `#,##0`, `0.0%` or `yyyy-mm-dd`.
    @discardableResult public func numberFormat(_ pattern: String) -> Format {
        format_set_num_format(handle, pattern)
        return self
    }

    /// Indents the cell's content by `level` steps (about one character
    /// each), so text beside a right-aligned number does not run into it.
    @discardableResult public func indent(_ level: Int) -> Format {
        format_set_indent(handle, UInt8(clamping: level))
        return self
    }

    /// Blue underlined text, as links look.
    @discardableResult public func hyperlink() -> Format {
        format_set_font_color(handle, lxw_color_t(0x0563C1))
        format_set_underline(handle, UInt8(LXW_UNDERLINE_SINGLE.rawValue))
        return self
    }
}
