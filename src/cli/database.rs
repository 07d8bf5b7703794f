//! `guanai backup`, `restore` and `check`: keeping whole copies of the school's database and
//! putting one back. A restore checks the backup whole before it touches anything and swaps
//! the files in one rename, keeping the replaced one beside it; the database path never holds
//! half a file or none.
//!
//! It decides wording and who may run what here (an administrator, or whoever owns a file
//! that can no longer be opened); the file work is the service's and the store's.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::transfer::{open_existing, spinner};
use super::{CliError, Context, Result};
use crate::domain::Role;
use crate::i18n::Lang;
use crate::service::{Actor, NotesRestore, Service, ServiceError};

pub fn run_backup(file: PathBuf, force: bool, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    super::check_target("", &file, force, lang)?;
    let bar = spinner(lang.pick("备份中…", "backing up…"));
    let done = if ctx.is_root() {
        // Root's backup (the nightly one of docs/server.md) takes both files; root need not
        // be on the staff list.
        if !ctx.db.exists() {
            return Err(super::no_database(ctx));
        }
        crate::service::backup_file(&ctx.db, &file, force)
    } else {
        // Opened for writing like any session, so that a counsellor's backup takes the notes.
        drop(open_existing(ctx)?);
        ctx.open()?.backup(&file, force)
    };
    bar.finish_and_clear();
    let done = done?;
    writeln!(
        out,
        "{} {} ({} {})",
        lang.pick("已备份到", "backed up to"),
        file.display(),
        done.records,
        lang.pick("条数据", "records")
    )?;
    match done.notes {
        Some(n) => writeln!(
            out,
            "{} {} ({n} {})",
            lang.pick("心理辅导记录已备份到", "counselling notes backed up to"),
            crate::service::notes_path(&file).display(),
            lang.pick("条", "notes")
        )?,
        None => writeln!(
            out,
            "{}",
            lang.pick(
                "注意: 这份备份不含心理辅导记录 (只有心理辅导教师或 root 的备份含有)",
                "note: this backup has no counselling notes (only a counsellor's or root's backup has them)"
            )
        )?,
    }
    Ok(())
}

/// Who may replace the school's database: root, its administrator, and, when the current
/// file cannot be opened any more (damaged), the file's owner.
fn may_replace(ctx: &Context) -> Result<()> {
    if ctx.is_root() {
        return Ok(());
    }
    match Service::open_read_only(&ctx.db, ctx.today, ctx.identity.clone()) {
        Ok(current) => {
            let is_admin = matches!(current.actor(), Actor::Staff(s) if s.has_role(Role::Admin));
            if current.has_admin()? && !is_admin {
                let who = match current.actor() {
                    Actor::Staff(s) => s.name.clone(),
                    Actor::Bootstrap => String::from("?"),
                };
                return Err(ServiceError::NotPermitted {
                    who,
                    what: "restore a backup",
                }
                .into());
            }
            Ok(())
        }
        Err(ServiceError::Store(_)) if owns(&ctx.db) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Whether the one running this is a counsellor of the school (the only ones, with root, who
/// put the counselling notes back).
fn is_counsellor(ctx: &Context) -> bool {
    Service::open_read_only(&ctx.db, ctx.today, ctx.identity.clone())
        .is_ok_and(|s| matches!(s.actor(), Actor::Staff(st) if st.has_role(Role::Counselor)))
}

/// Whether the process runs as the owner of `path`.
fn owns(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let uid = nix::unistd::getuid().as_raw();
    std::fs::metadata(path).is_ok_and(|m| m.uid() == uid)
}

pub fn run_restore(
    file: Option<PathBuf>,
    notes: Option<PathBuf>,
    force: bool,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<()> {
    let lang = ctx.lang;
    for (arg, path) in [("", file.as_ref()), ("--notes: ", notes.as_ref())] {
        if let Some(path) = path
            && !path.is_file()
        {
            return Err(CliError::Input(match lang {
                Lang::Zh => format!("{arg}{}: 找不到备份文件", path.display()),
                Lang::En => format!("{arg}{}: no such backup file", path.display()),
            }));
        }
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let Some(file) = file else {
        let Some(notes) = notes else {
            return Err(CliError::Input(
                lang.pick(
                    "restore: 请给出备份文件, 如 guanai restore 备份.redb --force; 只恢复心理辅导记录用 --notes 备份.notes.redb",
                    "restore: give the backup, e.g. guanai restore backup.redb --force; to restore only the counselling notes, --notes backup.notes.redb",
                )
                .to_string(),
            ));
        };
        return restore_notes_only(&notes, &stamp, ctx, out);
    };
    super::check_target("--db", &ctx.db, true, lang)?;
    if ctx.db.exists() {
        if !force {
            return Err(CliError::Input(match lang {
                Lang::Zh => format!(
                    "{}: 数据库已存在; 加 --force 用备份替换它 (现有的会改名保留在旁边)",
                    ctx.db.display()
                ),
                Lang::En => format!(
                    "{}: the database exists; add --force to replace it with the backup (the current one is kept beside it)",
                    ctx.db.display()
                ),
            }));
        }
        may_replace(ctx)?;
    } else if let Some(kept) = crate::service::replaced_beside(&ctx.db)
        && !ctx.is_root()
        && !owns(&kept)
    {
        // The school's file is gone but a replaced one lies beside it: putting a database
        // there is for root or that file's owner, not for whoever can write the directory.
        return Err(CliError::Input(match lang {
            Lang::Zh => format!(
                "{}: 数据库不见了, 旁边有保留的旧数据库 {}; 只有 root 或它的所有者可以恢复",
                ctx.db.display(),
                kept.display()
            ),
            Lang::En => format!(
                "{}: the database is missing and a replaced one lies beside it ({}); only root or its owner may restore here",
                ctx.db.display(),
                kept.display()
            ),
        }));
    }
    let bar = spinner(lang.pick("检查并恢复中…", "checking and restoring…"));
    let notes_too = ctx.is_root() || is_counsellor(ctx);
    let done = crate::service::restore(&file, notes.as_deref(), &ctx.db, &stamp, notes_too);
    bar.finish_and_clear();
    let done = done?;
    writeln!(
        out,
        "{} {} → {} ({} {})",
        lang.pick("已恢复", "restored"),
        file.display(),
        ctx.db.display(),
        done.records,
        lang.pick("条数据", "records")
    )?;
    if let Some(aside) = &done.kept {
        writeln!(
            out,
            "{} {}",
            lang.pick("原数据库保留为", "the replaced database is kept as"),
            aside.display()
        )?;
    }
    if let Some(line) = notes_line(&done.notes, lang) {
        writeln!(out, "{line}")?;
    }
    if !done.shared {
        writeln!(
            out,
            "{}",
            lang.pick(
                "注意: 无法保留原文件的用户组, 恢复的文件只有你能读写; 请按 docs/server.md 第 5 步设置权限",
                "note: the replaced file's group could not be kept, so the restored file is yours alone; set its group and mode as in docs/server.md step 5"
            )
        )?;
    }
    Ok(())
}

/// What happened to the counselling notes, in a line (none when there were none).
fn notes_line(notes: &NotesRestore, lang: Lang) -> Option<String> {
    match notes {
        NotesRestore::Restored { notes, kept } => {
            let mut line = match lang {
                Lang::Zh => format!("心理辅导记录已恢复 ({notes} 条)"),
                Lang::En => format!("counselling notes restored ({notes} notes)"),
            };
            if let Some(kept) = kept {
                line.push_str(&match lang {
                    Lang::Zh => format!("; 原记录文件保留为 {}", kept.display()),
                    Lang::En => format!("; the replaced notes file is kept as {}", kept.display()),
                });
            }
            Some(line)
        }
        NotesRestore::LiveKept => Some(
            lang.pick(
                "注意: 备份不含心理辅导记录; 现有的心理辅导记录文件保持不变 (心理辅导教师可用 guanai restore --notes 备份.notes.redb 恢复)",
                "note: the backup has no counselling notes; the current notes file stays as it is (a counsellor restores notes with guanai restore --notes BACKUP.notes.redb)",
            )
            .to_string(),
        ),
        NotesRestore::NotReadable => Some(
            lang.pick(
                "注意: 备份中的心理辅导记录未恢复 (只有心理辅导教师或 root 能恢复它); 现有的心理辅导记录文件保持不变, 心理辅导教师可用 guanai restore --notes 恢复",
                "note: the backup's counselling notes were not restored (only a counsellor or root restores them); the current notes file stays, and a counsellor can restore them with guanai restore --notes",
            )
            .to_string(),
        ),
        NotesRestore::None => None,
        NotesRestore::Failed { reason } => Some(match lang {
            Lang::Zh => format!(
                "注意: 数据库已恢复, 但心理辅导记录没能恢复 ({reason}); 现有的心理辅导记录文件保持不变"
            ),
            Lang::En => format!(
                "note: the database was restored, but the counselling notes could not be ({reason}); the current notes file stays"
            ),
        }),
    }
}

/// `restore --notes FILE` alone: the counselling notes of the database put back from a
/// backup's notes file, by a counsellor (or root, or whoever sets the school up).
fn restore_notes_only(notes: &Path, stamp: &str, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    let service = open_existing(ctx)?;
    let counsellor = match service.actor() {
        Actor::Staff(s) => s.has_role(Role::Counselor),
        Actor::Bootstrap => true,
    };
    if !counsellor && !ctx.is_root() {
        let who = match service.actor() {
            Actor::Staff(s) => s.name.clone(),
            Actor::Bootstrap => String::from("?"),
        };
        return Err(ServiceError::NotPermitted {
            who,
            what: "restore the counselling notes",
        }
        .into());
    }
    drop(service);
    let done = crate::service::restore_notes(notes, &ctx.db, stamp)?;
    if let Some(line) = notes_line(&done, lang) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Copies an interrupted backup or restore left beside the database (`.guanai-*.partial`, more
/// than an hour old, so no longer being written): named for whoever tidies the directory.
fn leftovers(db: &Path) -> Vec<PathBuf> {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(".guanai-") && name.ends_with(".partial")
                })
                .filter(|e| {
                    e.metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t < hour_ago)
                })
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

pub fn run_check(repair: bool, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    open_existing(ctx)?;
    let lang = ctx.lang;
    if repair && let Some(kept) = crate::service::replaced_beside(&ctx.db) {
        writeln!(
            out,
            "{} {}",
            lang.pick(
                "注意: 旁边有恢复时保留的旧数据库, 修复会删去只属于它的心理辅导记录:",
                "note: a database a restore replaced lies beside it; the repair removes notes that only it refers to:"
            ),
            kept.display()
        )?;
    }
    for left in leftovers(&ctx.db) {
        writeln!(
            out,
            "{} {}",
            lang.pick(
                "注意: 被中断的备份或恢复留下的临时文件, 可以删除:",
                "note: a temporary copy left by an interrupted backup or restore, safe to delete:"
            ),
            left.display()
        )?;
    }
    let mut service = ctx.open()?;
    let problems = service.check_repairing(repair)?;
    if problems.is_empty() {
        writeln!(
            out,
            "{}",
            ctx.lang
                .pick("检查通过: 没有发现问题", "check passed: no problems found")
        )?;
        return Ok(());
    }
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    Err(CliError::Failed(match ctx.lang {
        Lang::Zh => format!("发现 {} 个问题", problems.len()),
        Lang::En => format!("{} problems found", problems.len()),
    }))
}
