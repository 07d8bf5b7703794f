//! The paper forms an inspection asks to see, printed from the records: 留守儿童档案 (one page
//! per child), 联系卡 (cards with cut lines), 结对登记 (the pairs of a class), 统计表 (counts),
//! 家访记录表 and 谈心记录表 (one form per entry). [`forms`] builds each form from a
//! [`PrintPack`](crate::service::PrintPack) as pages of bordered grids and tables; [`docx`]
//! writes them as an A4 Word file. Pure code: the service chooses and audits what is
//! printed, the caller writes the file.

pub mod docx;
pub mod forms;

/// Everything a print needs, read in one snapshot.
#[derive(Debug, Clone)]
pub struct PrintPack {
    pub school: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// The children, active ones, in class and name order.
    pub children: Vec<crate::domain::Child>,
    /// Each child's entries of the period, oldest first: no voided entry, no counselling
    /// unless asked for by a counsellor.
    pub timelines: std::collections::HashMap<crate::domain::ChildId, Vec<crate::domain::Event>>,
    pub staff: Vec<crate::domain::Staff>,
}

impl PrintPack {
    /// A staff member's name by id ("" when unknown).
    pub fn staff_name(&self, id: crate::domain::StaffId) -> &str {
        self.staff
            .iter()
            .find(|s| s.id == id)
            .map_or("", |s| s.name.as_str())
    }

    /// The class teachers of `class`, by name.
    pub fn class_teachers(&self, class: &str) -> Vec<&str> {
        self.staff
            .iter()
            .filter(|s| {
                s.has_role(crate::domain::Role::ClassTeacher)
                    && s.classes.iter().any(|c| c == class)
            })
            .map(|s| s.name.as_str())
            .collect()
    }
}

/// A paper form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// 留守儿童档案.
    File,
    /// 联系卡.
    Contacts,
    /// 手拉手好朋友结对子登记表.
    Pairs,
    /// 留守儿童统计表.
    Stats,
    /// 家访记录表.
    Visits,
    /// 谈心记录表.
    Talks,
}

impl Form {
    pub const ALL: [Form; 6] = [
        Form::File,
        Form::Contacts,
        Form::Pairs,
        Form::Stats,
        Form::Visits,
        Form::Talks,
    ];

    /// The name on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Form::File => "file",
            Form::Contacts => "contacts",
            Form::Pairs => "pairs",
            Form::Stats => "stats",
            Form::Visits => "visits",
            Form::Talks => "talks",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Form::File => "留守儿童档案",
            Form::Contacts => "留守儿童联系卡",
            Form::Pairs => "手拉手好朋友结对子登记表",
            Form::Stats => "留守儿童统计表",
            Form::Visits => "家访记录表",
            Form::Talks => "谈心记录表",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Form::File => "Left-behind child's file",
            Form::Contacts => "Contact cards",
            Form::Pairs => "Mentor and buddy pairs",
            Form::Stats => "Counts of left-behind children",
            Form::Visits => "Home visit record",
            Form::Talks => "Talk record",
        }
    }

    /// The key, the Chinese name or a short Chinese word (档案, 联系卡, 结对, 统计, 家访, 谈心).
    pub fn parse(s: &str) -> Option<Form> {
        let s = s.trim();
        Form::ALL.into_iter().find(|f| {
            f.key().eq_ignore_ascii_case(s)
                || f.zh() == s
                || match f {
                    Form::File => s == "档案",
                    Form::Contacts => s == "联系卡",
                    Form::Pairs => s == "结对" || s == "结对登记",
                    Form::Stats => s == "统计" || s == "统计表",
                    Form::Visits => s == "家访",
                    Form::Talks => s == "谈心",
                }
        })
    }
}

/// A printed document: its title (for the file's properties) and its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheets {
    pub title: String,
    pub pages: Vec<Page>,
}

/// One page (or more, when its tables run on): a title, a line under it, the blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub title: String,
    pub subtitle: String,
    pub blocks: Vec<Piece>,
}

/// A cell of a form's grid: a label (bold, shaded) or a value, over `span` columns, at
/// least `lines` lines tall (room to write by hand).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub label: bool,
    pub span: usize,
    pub lines: usize,
}

impl Cell {
    pub fn label(text: &str) -> Cell {
        Cell {
            text: text.to_string(),
            label: true,
            span: 1,
            lines: 1,
        }
    }

    pub fn value(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            label: false,
            span: 1,
            lines: 1,
        }
    }

    pub fn span(mut self, span: usize) -> Cell {
        self.span = span;
        self
    }

    pub fn lines(mut self, lines: usize) -> Cell {
        self.lines = lines;
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// A bordered form of `columns` columns, row by row.
    Grid {
        columns: usize,
        rows: Vec<Vec<Cell>>,
    },
    /// A bordered table whose header row repeats on every page; the last row is a 合计
    /// when `total`.
    Table {
        /// A line above the header, repeated with it on every page (whose table this is:
        /// a sheet that runs on is never anonymous).
        caption: Option<String>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        total: bool,
    },
    /// A line of text.
    Text(String),
    /// Signature lines at the foot, set to the right.
    Signature(Vec<String>),
    /// A dashed line to cut along (between contact cards).
    CutLine,
}
