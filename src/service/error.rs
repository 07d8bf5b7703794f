use chrono::NaiveDate;

use crate::domain::{Expected, ParseError};
use crate::i18n::Lang;
use crate::store::StoreError;

/// Whose phone number a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneOf {
    Father,
    Mother,
    Guardian,
    EmergencyContact,
}

impl PhoneOf {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            PhoneOf::Father => lang.pick("父亲", "father"),
            PhoneOf::Mother => lang.pick("母亲", "mother"),
            PhoneOf::Guardian => lang.pick("监护人", "guardian"),
            PhoneOf::EmergencyContact => lang.pick("应急联系人", "emergency contact"),
        }
    }
}

/// A field of a command, named the way the user typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Gender,
    Birth,
    Class,
    StudentNo,
    IdNo,
    Column,
    Event,
    Type,
    Since,
    Date,
    Phone(PhoneOf),
    /// A role or the staff record as a whole.
    Staff,
    /// `--user`: who is running guanai.
    User,
    /// `--by`: who did what is being recorded.
    By,
    Mentor,
    Kind,
    Reason,
    Unix,
    Children,
    Opened,
    Village,
    Address,
    Workplace,
    Relation,
    Situation,
    Note,
    Present,
    FollowUp,
    Title,
    Task,
    Term,
    /// The school's name (settings).
    School,
    Dump,
    /// `--notes`: a backup's counselling notes file.
    Notes,
    /// The file a backup is written to.
    Backup,
}

impl Field {
    /// The field's name as the user knows it, in `lang`.
    pub fn label(self, lang: Lang) -> String {
        let (zh, en) = match self {
            Field::Name => ("姓名", "name"),
            Field::Gender => ("性别", "gender"),
            Field::Birth => ("出生日期", "birth date"),
            Field::Class => ("班级", "class"),
            Field::StudentNo => ("学号", "student number"),
            Field::IdNo => ("身份证号", "ID number"),
            Field::Column => ("字段", "field"),
            Field::Event => ("记录编号", "entry number"),
            Field::Type => ("留守类型", "left-behind type"),
            Field::Since => ("留守起始日期", "left behind since"),
            Field::Date => ("日期", "date"),
            Field::Phone(who) => {
                return format!("{} ({})", lang.pick("电话", "phone"), who.label(lang));
            }
            Field::Staff => ("教师", "staff"),
            Field::User => ("--user 用户", "--user"),
            Field::By => ("记录人 (--by)", "--by"),
            Field::Mentor => ("帮扶教师 (--mentor)", "--mentor"),
            Field::Kind => ("类别", "kind"),
            Field::Reason => ("原因", "reason"),
            Field::Unix => ("系统用户名", "Unix user"),
            Field::Children => ("参加学生", "children"),
            Field::Opened => ("建档日期", "file opened"),
            Field::Village => ("村", "village"),
            Field::Address => ("住址", "address"),
            Field::Workplace => ("务工地", "workplace"),
            Field::Relation => ("关系", "relation"),
            Field::Situation => ("情况", "situation"),
            Field::Note => ("记录", "note"),
            Field::Present => ("在场人员", "present"),
            Field::FollowUp => ("待跟进 (--follow-up)", "--follow-up"),
            Field::Title => ("名称", "title"),
            Field::Task => ("待办", "task"),
            Field::Term => ("学期/假期", "term/holiday"),
            Field::School => ("学校名称", "school name"),
            Field::Dump => ("导出文件", "dump"),
            Field::Notes => ("--notes", "--notes"),
            Field::Backup => ("备份文件", "backup file"),
        };
        lang.pick(zh, en).to_string()
    }
}

/// Why a command or query was refused. Every variant but `Store` is the user's input at fault
/// (exit status 2): it names the field, the value, and what would be accepted.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{field:?}: {value:?} is not accepted: {expected_en}")]
    Invalid {
        field: Field,
        value: String,
        expected_en: String,
        expected_zh: String,
    },
    #[error("no child with student number or name {reference:?}")]
    UnknownChild { reference: String },
    #[error("{reference:?} names more than one child: {candidates:?}")]
    AmbiguousChild {
        reference: String,
        candidates: Vec<String>,
    },
    #[error("{field:?}: no staff member named {name:?}; staff: {known:?}")]
    UnknownStaff {
        field: Field,
        name: String,
        known: Vec<String>,
    },
    #[error("Unix user {unix_user:?} is not a staff member of this school")]
    UnknownUser { unix_user: String },
    #[error("student number {student_no:?} already belongs to {holder}")]
    DuplicateStudentNo { student_no: String, holder: String },
    #[error("a staff member named {name:?} already exists")]
    DuplicateStaff { name: String },
    #[error("Unix user {unix_user:?} already belongs to {holder}")]
    DuplicateUnixUser { unix_user: String, holder: String },
    #[error("the file of {name} was archived on {since}")]
    Archived { name: String, since: NaiveDate },
    #[error("{who} may not {what}")]
    NotPermitted { who: String, what: &'static str },
    #[error("the file of {name} changed meanwhile (version {found}, not {expected})")]
    Stale {
        name: String,
        expected: u64,
        found: u64,
        /// The file as it is now (its roster fields), so the user sees what changed.
        current: String,
    },
    /// A recorded entry changed since the user read it (an edit, a withdrawal): not
    /// overwritten.
    #[error("entry #{id} of {name} changed meanwhile")]
    EntryChanged {
        id: u64,
        name: String,
        /// The entry as it is now, so the user sees what changed.
        current: String,
    },
    /// The entry was withdrawn (作废): it is not changed or withdrawn again.
    #[error("entry #{id} was voided on {date}")]
    Voided {
        id: u64,
        date: NaiveDate,
        reason: String,
    },
    #[error("the database is not empty")]
    NotEmpty,
    #[error("nothing of yours to undo")]
    NothingToUndo,
    #[error("the last change ({command}) cannot be undone")]
    CannotUndo { command: String },
}

impl ServiceError {
    /// Whether the user's input is at fault (exit status 2) rather than the file or the system.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ServiceError::Store(_))
            || matches!(
                self,
                ServiceError::Store(
                    StoreError::WorldReadable { .. }
                        | StoreError::Damaged { .. }
                        | StoreError::MissingReplaced { .. }
                        | StoreError::NotAFile { .. }
                        | StoreError::NoAccess { .. }
                        | StoreError::NotOwner { .. }
                        | StoreError::NotesIds { .. }
                )
            )
    }

    /// A value of `field` that did not parse, with what would be accepted.
    pub fn invalid(field: Field, e: ParseError) -> ServiceError {
        ServiceError::Invalid {
            field,
            value: e.value,
            expected_en: e.expected.en().to_string(),
            expected_zh: e.expected.zh().to_string(),
        }
    }

    /// A value of `field` refused, with what would be accepted in Chinese and English.
    pub fn invalid_with(field: Field, value: &str, zh: &str, en: &str) -> ServiceError {
        ServiceError::Invalid {
            field,
            value: value.to_string(),
            expected_en: en.to_string(),
            expected_zh: zh.to_string(),
        }
    }

    /// Whether the file was found damaged where no path was at hand (a page cut short or
    /// corrupted, met after the file opened).
    pub fn is_damage(&self) -> bool {
        match self {
            ServiceError::Store(StoreError::Db(redb::Error::Corrupted(_))) => true,
            ServiceError::Store(StoreError::Db(redb::Error::Io(e))) => {
                e.kind() == std::io::ErrorKind::UnexpectedEof
            }
            _ => false,
        }
    }

    /// The database file at `path` is damaged (what redb found, `reason`): the message names
    /// the file and the way out.
    pub fn damaged(path: &std::path::Path, reason: &str) -> ServiceError {
        ServiceError::Store(StoreError::Damaged {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        })
    }

    /// A date of `field` that could not be read.
    pub fn bad_date(field: Field, value: &str) -> ServiceError {
        ServiceError::Invalid {
            field,
            value: value.to_string(),
            expected_en: Expected::Date.en().to_string(),
            expected_zh: Expected::Date.zh().to_string(),
        }
    }

    /// The message shown to the user, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ServiceError::Store(StoreError::WorldReadable { path, mode }), Lang::Zh) => format!(
                "数据库 {} 本机任何人都能读取 (权限 {mode:o}); 学生档案不能这样存放。请执行  chmod o-rwx {}",
                path.display(),
                path.display()
            ),
            (ServiceError::Store(StoreError::Damaged { path, reason }), Lang::Zh) => format!(
                "{} 已损坏, 不能使用 ({reason}); 请用完好的备份恢复: guanai restore 备份文件",
                path.display()
            ),
            (ServiceError::Store(StoreError::Replaced { path }), Lang::Zh) => format!(
                "数据库 {} 刚被用备份恢复 (guanai restore), 这次的修改没有写入; 请重新运行这条命令",
                path.display()
            ),
            (ServiceError::Store(StoreError::NotOwner { path }), Lang::Zh) => format!(
                "{} 只有 root 或它的所有者能替换 (目录设了粘滞位, 见 docs/server.md); 请用 root 运行恢复, 如 sudo guanai restore …",
                path.display()
            ),
            (ServiceError::Store(StoreError::NotesIds { path }), Lang::Zh) => format!(
                "现有的心理辅导记录 {} 会保留, 但它和被替换的数据库都无法读取, 无法确定已用的记录编号; 请用 root 恢复, 或用 --notes 给出备份的心理辅导记录",
                path.display()
            ),
            (ServiceError::Store(StoreError::NoAccess { path }), Lang::Zh) => format!(
                "你的账号无权打开数据库 {} (不在教师用户组里?); 请管理员按 docs/server.md 把你的账号加入教师组",
                path.display()
            ),
            (ServiceError::Store(StoreError::NotAFile { path }), Lang::Zh) => format!(
                "--db {} 是一个目录; 请给出数据库文件, 如 {}/guanai.redb",
                path.display(),
                path.display()
            ),
            (ServiceError::Store(StoreError::MissingReplaced { path, kept }), Lang::Zh) => format!(
                "数据库 {} 不见了, 但旁边有恢复时保留的旧数据库 ({}): 不会在这里新建空学校; 请用 guanai restore 文件 放回正确的数据库",
                path.display(),
                kept.display()
            ),
            // The store's own words begin with "database …": said once.
            (ServiceError::Store(e), Lang::Zh) => {
                let text = e.to_string();
                format!(
                    "数据库错误: {}",
                    text.strip_prefix("database ").unwrap_or(&text)
                )
            }
            (ServiceError::Store(e), Lang::En) => {
                let text = e.to_string();
                match text.strip_prefix("database ") {
                    Some(rest) => format!("database error: {rest}"),
                    None => format!("database error: {text}"),
                }
            }
            (
                ServiceError::Invalid {
                    field,
                    value,
                    expected_zh,
                    ..
                },
                Lang::Zh,
            ) => format!(
                "{}: 不接受 \"{value}\"。应为: {expected_zh}",
                field.label(lang)
            ),
            (
                ServiceError::Invalid {
                    field,
                    value,
                    expected_en,
                    ..
                },
                Lang::En,
            ) => format!(
                "{}: \"{value}\" is not accepted. Expected: {expected_en}",
                field.label(lang)
            ),
            (ServiceError::UnknownChild { reference }, Lang::Zh) => {
                format!("找不到学生 \"{reference}\": 请用学号或完整姓名")
            }
            (ServiceError::UnknownChild { reference }, Lang::En) => {
                format!("no child \"{reference}\": give a student number or the exact full name")
            }
            (
                ServiceError::AmbiguousChild {
                    reference,
                    candidates,
                },
                Lang::Zh,
            ) => format!(
                "\"{reference}\" 对应多名学生, 请改用学号: {}",
                candidates.join("; ")
            ),
            (
                ServiceError::AmbiguousChild {
                    reference,
                    candidates,
                },
                Lang::En,
            ) => format!(
                "\"{reference}\" names more than one child; use a student number: {}",
                candidates.join("; ")
            ),
            (ServiceError::UnknownStaff { field, name, known }, Lang::Zh) => format!(
                "{}: 找不到教师 \"{name}\"。现有教师: {}",
                field.label(lang),
                list_or_none(known, lang)
            ),
            (ServiceError::UnknownStaff { field, name, known }, Lang::En) => format!(
                "{}: no staff member \"{name}\". Staff on file: {}",
                field.label(lang),
                list_or_none(known, lang)
            ),
            (ServiceError::UnknownUser { unix_user }, Lang::Zh) => format!(
                "系统用户 \"{unix_user}\" 不是本校教师。请管理员添加: guanai staff add 姓名 --role class-teacher --unix-user {unix_user}"
            ),
            (ServiceError::UnknownUser { unix_user }, Lang::En) => format!(
                "Unix user \"{unix_user}\" is not on the staff of this school. Ask an admin to add you: guanai staff add NAME --role class-teacher --unix-user {unix_user}"
            ),
            (ServiceError::DuplicateStudentNo { student_no, holder }, Lang::Zh) => {
                format!("学号: \"{student_no}\" 已属于 {holder}, 学号不能重复")
            }
            (ServiceError::DuplicateStudentNo { student_no, holder }, Lang::En) => format!(
                "student number: \"{student_no}\" already belongs to {holder}; student numbers are unique"
            ),
            (ServiceError::DuplicateStaff { name }, Lang::Zh) => {
                format!("姓名: 已有名为 \"{name}\" 的教师, 请加以区分 (如 \"{name}2\")")
            }
            (ServiceError::DuplicateStaff { name }, Lang::En) => format!(
                "name: a staff member named \"{name}\" already exists; tell them apart (e.g. \"{name}2\")"
            ),
            (ServiceError::DuplicateUnixUser { unix_user, holder }, Lang::Zh) => {
                format!("系统用户名: \"{unix_user}\" 已属于 {holder}")
            }
            (ServiceError::DuplicateUnixUser { unix_user, holder }, Lang::En) => {
                format!("Unix user: \"{unix_user}\" already belongs to {holder}")
            }
            (ServiceError::Archived { name, since }, Lang::Zh) => {
                format!("{name} 的档案已于 {since} 归档; 先恢复档案再记录")
            }
            (ServiceError::Archived { name, since }, Lang::En) => {
                format!("the file of {name} was archived on {since}; restore it before recording")
            }
            (ServiceError::NotPermitted { who, what }, Lang::Zh) => {
                format!("{who} 无权{}", permission_zh(what))
            }
            (ServiceError::NotPermitted { who, what }, Lang::En) => {
                format!("{who} may not {what}")
            }
            (ServiceError::Stale { name, current, .. }, Lang::Zh) => format!(
                "{name} 的档案刚被别人修改过, 你的修改没有保存, 以免覆盖别人的修改。现在的档案: {current}"
            ),
            (ServiceError::Stale { name, current, .. }, Lang::En) => format!(
                "the file of {name} was changed by someone else meanwhile; your change was not saved, so nothing is overwritten. The file now: {current}"
            ),
            (ServiceError::NotEmpty, Lang::Zh) => {
                "完整导出文件只能导入到空数据库 (用 --db 指定一个新文件)".into()
            }
            (ServiceError::NotEmpty, Lang::En) => {
                "a complete dump is loaded only into an empty database (give a new file with --db)"
                    .into()
            }
            (ServiceError::EntryChanged { id, name, current }, Lang::Zh) => format!(
                "{name} 的记录 #{id} 刚被别人修改过, 你的修改没有保存, 以免覆盖别人的修改。现在的记录: {current}"
            ),
            (ServiceError::EntryChanged { id, name, current }, Lang::En) => format!(
                "entry #{id} of {name} was changed by someone else meanwhile; your change was not saved, so nothing is overwritten. The entry now: {current}"
            ),
            (ServiceError::Voided { id, date, reason }, Lang::Zh) => format!(
                "记录 #{id} 已在 {date} 作废 (原因: {reason}), 不能再修改或作废; 需要时请新记一条"
            ),
            (ServiceError::Voided { id, date, reason }, Lang::En) => format!(
                "entry #{id} was voided on {date} (reason: {reason}); it cannot be changed or voided again: record a new entry if needed"
            ),
            (ServiceError::NothingToUndo, Lang::Zh) => "没有可以撤销的修改".into(),
            (ServiceError::NothingToUndo, Lang::En) => "nothing of yours to undo".into(),
            (ServiceError::CannotUndo { command }, Lang::Zh) => {
                format!(
                    "上一次修改 ({command}) 不能撤销; 可以撤销的: 记录、记录的更正和作废、待办、归档、恢复、档案修改和复查"
                )
            }
            (ServiceError::CannotUndo { command }, Lang::En) => format!(
                "your last change ({command}) cannot be undone; undone are: entries, their corrections and withdrawals, tasks, archiving, restoring, file changes and surveys"
            ),
        }
    }
}

/// At most this many names are listed in a message; a county has thousands of staff.
const LISTED: usize = 12;

fn list_or_none(names: &[String], lang: Lang) -> String {
    if names.is_empty() {
        return lang
            .pick(
                "(尚无教师, 先用 guanai staff add 添加)",
                "(none yet: add one with guanai staff add)",
            )
            .to_string();
    }
    let mut listed = names[..names.len().min(LISTED)].join(", ");
    if names.len() > LISTED {
        match lang {
            Lang::Zh => {
                listed.push_str(&format!(" … (共 {} 名, 见 guanai staff list)", names.len()))
            }
            Lang::En => listed.push_str(&format!(
                " … ({} in all: see guanai staff list)",
                names.len()
            )),
        }
    }
    listed
}

fn permission_zh(what: &str) -> &'static str {
    match what {
        "add staff" => "添加教师 (需要管理员)",
        "change the school settings" => "修改学校设置 (需要管理员)",
        "record counselling sessions" => "记录心理辅导 (仅心理辅导教师)",
        "correct counselling sessions" => "更正或作废心理辅导记录 (仅心理辅导教师)",
        "print counselling sessions" => "打印心理辅导记录 (仅心理辅导教师)",
        "correct entries recorded by someone else" => {
            "更正或作废别人记的记录 (只由记录人、管理员或心理辅导教师操作)"
        }
        "load a dump" => "导入完整数据 (需要管理员)",
        "restore a backup" => "用备份替换数据库 (需要管理员)",
        "read the audit log" => "查看操作记录 (需要管理员)",
        "open files outside your classes" => {
            "为其他班级的学生建档 (仅本班班主任、管理员或心理辅导教师)"
        }
        "archive files of children not in your classes" => {
            "归档这个学生的档案 (归档只由本班班主任、管理员或心理辅导教师操作; 帮扶教师可以记录, 不能归档)"
        }
        "change files of children not in your classes" => {
            "修改这个学生的档案 (只由本班班主任、管理员或心理辅导教师修改; 帮扶教师可以记录, 不能修改档案)"
        }
        "restore files of children not in your classes" => {
            "恢复这个学生的档案 (只由本班班主任、管理员或心理辅导教师操作)"
        }
        "move files into classes that are not yours" => "把档案转入不是你的班级",
        "record for children outside your classes and mentees" => {
            "为不是本班、也不是你帮扶的学生记录 (仅本班班主任、帮扶教师、管理员或心理辅导教师)"
        }
        "read the timelines of children outside your classes and mentees" => {
            "查看不是本班、也不是你帮扶的学生的记录"
        }
        "export the whole school" => "导出全校数据 (仅管理员或心理辅导教师)",
        "act as another staff member with --user" => {
            "用 --user 以其他教师身份操作 (仅管理员, 或数据库文件只属于你时)"
        }
        "restore the counselling notes" => "恢复心理辅导记录 (仅心理辅导教师或 root)",
        "record with --today on a shared database" => {
            "在共享的数据库上用 --today 记录或修改 (--today 只用于查看; 只有数据库文件只属于你时才能用它记录)"
        }
        _ => "执行此操作",
    }
}
