//! The counselling notes (心理辅导记录): a second redb file beside the main one, so that the
//! operating system, not only guanai, keeps them from anyone outside the counsellors' group.
//!
//! The main file holds the counselling sessions (who, when, with whom) with an empty summary;
//! this file holds each session's note, keyed by the event's id. Only processes of users who
//! may open this file (counsellors, and whoever sets the school up) ever touch it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use redb::{Builder, ConcurrencyMode, Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::{Result, StoreError, create_private, refuse_world_readable};
use crate::domain::EventId;

/// event id → the counsellor's note.
const NOTES: TableDefinition<u64, &str> = TableDefinition::new("counseling_notes");

pub struct Notes {
    db: Database,
    path: PathBuf,
    /// The file `path` named when it was opened (device, inode).
    opened: Option<(u64, u64)>,
}

/// Who may own the notes file and which group may share it: a notes file anyone else could
/// have made (a class teacher creating it in the shared directory after a restore) would
/// hand them every note a counsellor then writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesGuard {
    /// The uids that may own it: root, and the counsellors' own accounts.
    pub owners: Vec<u32>,
    /// The counsellors' group: the only group that may have access to the file.
    pub group: String,
}

impl NotesGuard {
    /// Refuses the file at `path` unless its owner is one of `owners`, nobody else has any
    /// access, and a group that has access is the counsellors' group; says how to fix it.
    pub fn check(&self, path: &Path) -> Result<()> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).map_err(|source| StoreError::Dir {
            path: path.to_path_buf(),
            source,
        })?;
        let refuse = |reason: String| Err(StoreError::Notes { reason });
        let user = |uid: u32| {
            nix::unistd::User::from_uid(uid.into())
                .ok()
                .flatten()
                .map_or_else(|| format!("uid {uid}"), |u| u.name)
        };
        if !self.owners.contains(&meta.uid()) {
            return refuse(format!(
                "{} belongs to {}, who is neither root nor a counsellor: chown root:{} {}",
                path.display(),
                user(meta.uid()),
                self.group,
                path.display()
            ));
        }
        if meta.mode() & 0o007 != 0 {
            return refuse(format!(
                "{} may be read by anyone on this machine: chmod o-rwx {}",
                path.display(),
                path.display()
            ));
        }
        if meta.mode() & 0o070 != 0 {
            let counsellors = nix::unistd::Group::from_name(&self.group).ok().flatten();
            if counsellors.is_none_or(|g| g.gid.as_raw() != meta.gid()) {
                let group = nix::unistd::Group::from_gid(meta.gid().into())
                    .ok()
                    .flatten()
                    .map_or_else(|| format!("gid {}", meta.gid()), |g| g.name);
                return refuse(format!(
                    "the group {group} may open {}, and it is not the counsellors' group {}: chgrp {} {} (or chmod g-rwx {})",
                    path.display(),
                    self.group,
                    self.group,
                    path.display(),
                    path.display()
                ));
            }
        }
        Ok(())
    }
}

impl Notes {
    /// The notes file of a main database: `school.redb` → `school.notes.redb`; any other
    /// name gets `.notes.redb` added (`school.bak` → `school.bak.notes.redb`), so that two
    /// databases in one directory never share a notes file.
    pub fn path_for(main: &Path) -> PathBuf {
        let name = main
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| String::from("guanai.redb"));
        let base = name.strip_suffix(".redb").unwrap_or(&name);
        main.with_file_name(format!("{base}.notes.redb"))
    }

    /// Opens (creating, owner-only, if missing) the notes file of `main`, refused unless
    /// `guard` accepts it (see [`NotesGuard`]).
    pub fn open_guarded(main: &Path, guard: &NotesGuard) -> Result<Notes> {
        let path = Notes::path_for(main);
        create_private(&path)?;
        guard.check(&path)?;
        Notes::open(main)
    }

    /// Opens (creating, owner-only, if missing) the notes file of `main`.
    pub fn open(main: &Path) -> Result<Notes> {
        let path = Notes::path_for(main);
        create_private(&path)?;
        refuse_world_readable(&path)?;
        let db = Builder::new()
            .set_concurrency_mode(ConcurrencyMode::MultiWriter)
            .create(&path)
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        let txn = db.begin_write()?;
        txn.open_table(NOTES)?;
        txn.commit()?;
        let opened = super::place::file_id(&path);
        Ok(Notes { db, path, opened })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The largest event id that has a note in the notes file of `main` (0 when none has),
    /// read without changing the file.
    pub fn last_event_of(main: &Path) -> Result<u64> {
        let path = Notes::path_for(main);
        let db = Builder::new()
            .open_read_only(&path)
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        let txn = db.begin_read()?;
        let table = txn.open_table(NOTES)?;
        Ok(table.last()?.map_or(0, |(k, _)| k.value()))
    }

    /// Whether the path this notes file was opened from now names another file (a restore of
    /// the notes replaced it): notes written here would be lost.
    pub fn replaced(&self) -> bool {
        self.opened
            .is_some_and(|opened| super::place::file_id(&self.path) != Some(opened))
    }

    /// Writes the notes of these events in one transaction; an empty note removes the
    /// event's note. Refused when the file was replaced since it was opened.
    pub fn put_many(&self, notes: &[(EventId, String)]) -> Result<()> {
        if self.replaced() {
            return Err(StoreError::Replaced {
                path: self.path.clone(),
            });
        }
        let txn = self.db.begin_write()?;
        {
            let mut table = txn.open_table(NOTES)?;
            for (event, text) in notes {
                if text.is_empty() {
                    table.remove(event.0)?;
                } else {
                    table.insert(event.0, text.as_str())?;
                }
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// The events that have a note, in id order.
    pub fn events(&self) -> Result<Vec<EventId>> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(NOTES)?;
        let mut out = Vec::new();
        for row in table.iter()? {
            out.push(EventId(row?.0.value()));
        }
        Ok(out)
    }

    /// Removes the notes of these events.
    pub fn remove(&self, events: &[EventId]) -> Result<()> {
        let txn = self.db.begin_write()?;
        {
            let mut table = txn.open_table(NOTES)?;
            for e in events {
                table.remove(e.0)?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// The notes of these events (those that have one).
    pub fn get_many(&self, events: &[EventId]) -> Result<HashMap<EventId, String>> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(NOTES)?;
        let mut out = HashMap::new();
        for e in events {
            if let Some(v) = table.get(e.0)? {
                out.insert(*e, v.value().to_string());
            }
        }
        Ok(out)
    }

    /// A copy of every note into the notes file of `dest_main`, written to a fresh file beside
    /// it (created exclusively) and renamed into place; with `replace` false an existing file
    /// is never replaced.
    pub fn backup_to(&self, dest_main: &Path, replace: bool) -> Result<u64> {
        let dest = Notes::path_for(dest_main);
        let tmp = super::place::fresh_beside(&dest)?;
        let out = Builder::new()
            .create(&tmp)
            .map_err(|source| StoreError::Open {
                path: tmp.to_path_buf(),
                source,
            })?;
        let read = self.db.begin_read()?;
        let from = read.open_table(NOTES)?;
        let txn = out.begin_write()?;
        let mut n = 0;
        {
            let mut to = txn.open_table(NOTES)?;
            for row in from.iter()? {
                let (k, v) = row?;
                to.insert(k.value(), v.value())?;
                n += 1;
            }
        }
        txn.commit()?;
        drop(out);
        super::place::put_in_place(tmp, &dest, replace)?;
        Ok(n)
    }

    /// A copy of the notes file `src` (a backup's) in a fresh file beside `dest`, checked whole
    /// first: redb's integrity check and every note read. Removed when the returned path is
    /// dropped unless it is put in place. Returns it with the number of notes.
    pub fn checked_copy(src: &Path, dest: &Path) -> Result<(tempfile::TempPath, u64)> {
        super::guarded(src, || Notes::checked_copy_inner(src, dest))
    }

    fn checked_copy_inner(src: &Path, dest: &Path) -> Result<(tempfile::TempPath, u64)> {
        let (tmp, damaged) = super::place::copy_beside(src, dest)?;
        let mut db = Builder::new()
            .create(&tmp)
            .map_err(|e| damaged(e.to_string()))?;
        if !db.check_integrity().map_err(|e| damaged(e.to_string()))? {
            return Err(damaged(String::from("redb integrity check failed")));
        }
        let n = (|| -> Result<u64> {
            let txn = db.begin_read()?;
            let table = txn.open_table(NOTES)?;
            let mut n = 0;
            for row in table.iter()? {
                let (_, v) = row?;
                let _note: &str = v.value();
                n += 1;
            }
            Ok(n)
        })()
        .map_err(|e| damaged(e.to_string()))?;
        drop(db);
        super::place::sync_file(&tmp)?;
        Ok((tmp, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_wants_a_counsellors_file_shared_with_their_group_only() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.notes.redb");
        std::fs::write(&file, b"").unwrap();
        let me = std::fs::metadata(&file).unwrap().uid();
        let set_mode = |m| std::fs::set_permissions(&file, std::fs::Permissions::from_mode(m));
        let guard = |owners: Vec<u32>| NotesGuard {
            owners,
            group: String::from("no-such-group-guanai-test"),
        };
        set_mode(0o600).unwrap();
        assert!(guard(vec![me]).check(&file).is_ok(), "mine alone");
        let not_mine = guard(vec![me + 1]).check(&file).unwrap_err().to_string();
        assert!(
            not_mine.contains("chown root:no-such-group-guanai-test"),
            "{not_mine}"
        );
        set_mode(0o604).unwrap();
        let others = guard(vec![me]).check(&file).unwrap_err().to_string();
        assert!(others.contains("chmod o-rwx"), "{others}");
        set_mode(0o660).unwrap();
        let group = guard(vec![me]).check(&file).unwrap_err().to_string();
        assert!(group.contains("chgrp no-such-group-guanai-test"), "{group}");
    }
}
