//! Every rust_xlsxwriter [`Format`] the writers use, defined here once.
//!
//! The official table (title, header, data cells, marked cells) and the plain
//! list sheets (extras, findings, changes, file lists, summaries) take their
//! formats from one [`Styles`]; a sheet never builds a `Format` itself.

use super::MarkColor;
use crate::template::Align;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatUnderline};

/// The data font (宋体 / SimSun: on every Windows and in WPS).
pub const DATA_FONT: &str = "宋体";
/// The header and title font (黑体 / SimHei).
pub const HEADER_FONT: &str = "黑体";
/// Point sizes.
pub const TITLE_SIZE: f64 = 16.0;
pub const HEADER_SIZE: f64 = 11.0;
pub const DATA_SIZE: f64 = 10.0;
/// GB2312, so Excel and WPS pick the CJK face.
const CJK_CHARSET: u8 = 134;

/// Light grey of the header cells.
const HEADER_FILL: u32 = 0xD9D9D9;
/// What is gone (removed indicators): dark grey text on a very light grey.
const GREY_TEXT: u32 = 0x595959;
const GREY_FILL: u32 = 0xEDEDED;

impl MarkColor {
    /// All colours, in priority order (the first wins when a cell has several marks).
    pub const ALL: [MarkColor; 6] = [
        MarkColor::Error,
        MarkColor::Warning,
        MarkColor::Moved,
        MarkColor::Renamed,
        MarkColor::Added,
        MarkColor::Modified,
    ];

    /// The fill colour (RGB).
    pub fn rgb(self) -> u32 {
        match self {
            MarkColor::Error => 0xFFC7CE,
            MarkColor::Warning => 0xFFE699,
            MarkColor::Added => 0xC6EFCE,
            MarkColor::Modified => 0xFFFF99,
            MarkColor::Renamed => 0xBDD7EE,
            MarkColor::Moved => 0xD9C3E9,
        }
    }

    /// What the colour means, in words a clerk reads (for legends).
    pub fn label(self) -> &'static str {
        match self {
            MarkColor::Error => "错误",
            MarkColor::Warning => "警告",
            MarkColor::Added => "新增",
            MarkColor::Modified => "修改",
            MarkColor::Renamed => "改名",
            MarkColor::Moved => "调整职责",
        }
    }

    fn index(self) -> usize {
        MarkColor::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// Priority when several marks fall on one cell: lower wins.
    pub fn priority(self) -> usize {
        self.index()
    }
}

/// Every format of the writers.
#[derive(Clone)]
pub struct Styles {
    /// 16pt bold title, centred over the table.
    pub title: Format,
    /// The unit line under the title (`填报单位：…`): left, not wrapped.
    pub unit_line: Format,
    /// The template's unit line (`金额单位：万元`): right-aligned over the table.
    pub unit_line_right: Format,
    /// A form label (`项目名称`) and the side label: bold, centred, wrapped, bordered; always locked.
    pub form_label: Format,
    /// `form_label` filled by mark colour, indexed like [`MarkColor::ALL`].
    form_label_marked: Vec<Format>,
    /// Amount cells of the form: right-aligned, `#,##0.00` (unlocked in the
    /// blank template), unmarked then by [`MarkColor::ALL`].
    amount: Vec<Format>,
    /// Header cells: bold 黑体, centred both ways, wrapped, thin borders, grey fill.
    pub header: Format,
    /// Data cells: `[center, left, right]` × `[unmarked, MarkColor::ALL…]`.
    data: Vec<Vec<Format>>,
    /// True when data cells are unlocked (the blank template).
    pub unlocked_data: bool,

    /// List sheets (其他内容, 校验结果, 变更明细, 文件清单…): a bold header cell.
    pub list_header: Format,
    /// A wrapped, left-aligned, bordered text cell.
    pub list_text: Format,
    /// A centred, bordered cell (codes, addresses, short labels).
    pub list_center: Format,
    /// A right-aligned number cell (`0` or `0.##`).
    pub list_number: Format,
    /// An amount cell (`#,##0.00`, right-aligned).
    pub list_amount: Format,
    /// A count cell (`0`, centred).
    pub list_count: Format,
    /// A percentage cell (`0.0%`).
    pub list_percent: Format,
    /// A bordered hyperlink cell (blue, underlined).
    pub list_link: Format,
    /// `list_text` filled by mark colour, indexed like [`MarkColor::ALL`].
    list_marked: Vec<Format>,
    /// `list_center` filled by mark colour, indexed like [`MarkColor::ALL`].
    list_marked_center: Vec<Format>,
    /// A sheet heading on summary sheets (14pt bold, no border).
    pub sheet_title: Format,
    /// A bold, bordered label cell (key column of a key/value summary).
    pub label: Format,
    /// Rich-text runs for character-level diffs (use with `write_rich_string`):
    /// unchanged text, deleted text (red, struck through), inserted text (green, bold, underlined).
    pub rich_plain: Format,
    /// Deleted text: red, struck through.
    pub rich_deleted: Format,
    /// Inserted text: green, bold, underlined.
    pub rich_inserted: Format,
    /// Greyed cells for what is gone (the diff's removed indicators, 删除 labels,
    /// 无法比较): grey text on a light grey fill, bordered; left-wrapped and centred.
    pub grey: Format,
    /// `grey`, centred.
    pub grey_center: Format,
    /// `list_text` in the fonts of `rich_deleted` / `rich_inserted`: an edited
    /// text changed whole (a rich string needs an unchanged part too).
    pub list_deleted: Format,
    /// `list_text` in the font of `rich_inserted`.
    pub list_inserted: Format,
    /// A bold heading line above a block on a sheet (no border).
    pub block_title: Format,
    /// A wrapped explanatory paragraph on a summary sheet (no border).
    pub note_wrap: Format,
}

impl Default for Styles {
    fn default() -> Self {
        Styles::official()
    }
}

fn font(f: Format, name: &str, size: f64) -> Format {
    f.set_font_name(name)
        .set_font_size(size)
        .set_font_charset(CJK_CHARSET)
}

fn data_format(align: Align, mark: Option<MarkColor>, unlocked: bool) -> Format {
    let mut f = font(Format::new(), DATA_FONT, DATA_SIZE)
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_align(match align {
            Align::Center => FormatAlign::Center,
            Align::Left => FormatAlign::Left,
            Align::Right => FormatAlign::Right,
        });
    if let Some(m) = mark {
        f = f.set_background_color(Color::RGB(m.rgb()));
    }
    if unlocked {
        // Typed values stay as typed: no `1-2` turned into a date, no `85%` into 0.85.
        f = f.set_unlocked().set_num_format_index(49);
    }
    f
}

fn list_base() -> Format {
    font(Format::new(), DATA_FONT, DATA_SIZE)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

impl Styles {
    /// The official style (restyle, marked and diff workbooks): every cell locked (Excel's default).
    pub fn official() -> Styles {
        Styles::build(false)
    }

    /// The official style, built once: for a writer that keeps formats
    /// between calls ([`SummarySheets`](super::SummarySheets), fed a file at a time).
    pub(crate) fn official_shared() -> &'static Styles {
        static OFFICIAL: std::sync::LazyLock<Styles> = std::sync::LazyLock::new(Styles::official);
        &OFFICIAL
    }

    /// The blank template's style: data cells unlocked, so a protected sheet
    /// accepts typing there, and formatted as text (`@`), so what a clerk types is kept as typed.
    pub fn blank_template() -> Styles {
        Styles::build(true)
    }

    fn build(unlocked: bool) -> Styles {
        let mut data = Vec::new();
        for align in [Align::Center, Align::Left, Align::Right] {
            let mut row = vec![data_format(align, None, unlocked)];
            for m in MarkColor::ALL {
                row.push(data_format(align, Some(m), unlocked));
            }
            data.push(row);
        }
        let amount = std::iter::once(None)
            .chain(MarkColor::ALL.into_iter().map(Some))
            .map(|m| {
                let f = data_format(Align::Right, m, unlocked);
                // Typed amounts show two decimals (the official style).
                if unlocked {
                    f.set_num_format_index(4)
                } else {
                    f
                }
            })
            .collect();
        let form_label = font(Format::new(), DATA_FONT, DATA_SIZE)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap()
            .set_border(FormatBorder::Thin);
        let form_label_marked = MarkColor::ALL
            .iter()
            .map(|m| form_label.clone().set_background_color(Color::RGB(m.rgb())))
            .collect();
        let list_text = list_base().set_text_wrap().set_align(FormatAlign::Left);
        let list_marked = MarkColor::ALL
            .iter()
            .map(|m| list_text.clone().set_background_color(Color::RGB(m.rgb())))
            .collect();
        let list_center = list_base().set_text_wrap().set_align(FormatAlign::Center);
        let list_marked_center = MarkColor::ALL
            .iter()
            .map(|m| {
                list_center
                    .clone()
                    .set_background_color(Color::RGB(m.rgb()))
            })
            .collect();
        Styles {
            title: font(Format::new(), HEADER_FONT, TITLE_SIZE)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            unit_line: font(Format::new(), DATA_FONT, DATA_SIZE)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            unit_line_right: font(Format::new(), DATA_FONT, DATA_SIZE)
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::VerticalCenter),
            form_label,
            form_label_marked,
            amount,
            header: font(Format::new(), HEADER_FONT, HEADER_SIZE)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(HEADER_FILL)),
            data,
            unlocked_data: unlocked,
            list_header: font(Format::new(), HEADER_FONT, DATA_SIZE)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(HEADER_FILL)),
            list_text,
            list_center,
            list_number: list_base()
                .set_align(FormatAlign::Right)
                .set_num_format("0.##"),
            list_amount: list_base()
                .set_align(FormatAlign::Right)
                .set_num_format_index(4),
            list_count: list_base()
                .set_align(FormatAlign::Center)
                .set_num_format_index(1),
            list_percent: list_base()
                .set_align(FormatAlign::Right)
                .set_num_format("0.0%"),
            list_link: list_base()
                .set_align(FormatAlign::Center)
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(FormatUnderline::Single),
            list_marked,
            list_marked_center,
            sheet_title: font(Format::new(), HEADER_FONT, 14.0)
                .set_bold()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            label: list_base()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Left),
            rich_plain: font(Format::new(), DATA_FONT, DATA_SIZE),
            rich_deleted: font(Format::new(), DATA_FONT, DATA_SIZE)
                .set_font_color(Color::RGB(0xC00000))
                .set_font_strikethrough(),
            rich_inserted: font(Format::new(), DATA_FONT, DATA_SIZE)
                .set_font_color(Color::RGB(0x007A33))
                .set_bold()
                .set_underline(FormatUnderline::Single),
            grey: list_base()
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_font_color(Color::RGB(GREY_TEXT))
                .set_background_color(Color::RGB(GREY_FILL)),
            grey_center: list_base()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_font_color(Color::RGB(GREY_TEXT))
                .set_background_color(Color::RGB(GREY_FILL)),
            list_deleted: list_base()
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_font_color(Color::RGB(0xC00000))
                .set_font_strikethrough(),
            list_inserted: list_base()
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_font_color(Color::RGB(0x007A33))
                .set_bold()
                .set_underline(FormatUnderline::Single),
            note_wrap: font(Format::new(), DATA_FONT, DATA_SIZE)
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            block_title: font(Format::new(), HEADER_FONT, HEADER_SIZE)
                .set_bold()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
        }
    }

    /// The format of a data cell of the official table.
    pub fn data(&self, align: Align, mark: Option<MarkColor>) -> &Format {
        let a = match align {
            Align::Center => 0,
            Align::Left => 1,
            Align::Right => 2,
        };
        let m = mark.map(|m| m.index() + 1).unwrap_or(0);
        &self.data[a][m]
    }

    /// The format of a form amount cell (right-aligned; two decimals when typed into the blank template).
    pub fn amount(&self, mark: Option<MarkColor>) -> &Format {
        &self.amount[mark.map(|m| m.index() + 1).unwrap_or(0)]
    }

    /// `form_label` filled with a mark colour (a fixed text showing a marked field: `项目资金（万元）`).
    pub fn form_label_marked(&self, mark: MarkColor) -> &Format {
        &self.form_label_marked[mark.index()]
    }

    /// `list_text` filled with a mark colour (a finding's severity, a change's kind).
    pub fn list_marked(&self, mark: MarkColor) -> &Format {
        &self.list_marked[mark.index()]
    }

    /// `list_center` filled with a mark colour (a severity or change label).
    pub fn list_marked_center(&self, mark: MarkColor) -> &Format {
        &self.list_marked_center[mark.index()]
    }
}
