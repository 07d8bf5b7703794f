//! Putting a database file in place without a moment in which its path holds half a file or
//! none: a new file is written under a fresh random name in the destination's directory
//! (created exclusively, owner-only), flushed to the disk, and renamed over the destination in
//! one step; the file it replaces can be kept beside it first (a hard link, so the path never
//! stops naming a whole database).
//!
//! It moves and links files only; it never opens a database, and never writes into or
//! deletes a file it did not create.

use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::{Result, StoreError};

/// The directory a file at `path` lives in (`.` for a bare name).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn dir_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Dir {
        path: path.to_path_buf(),
        source,
    }
}

/// A new, empty, owner-only file beside `dest`, under a name no other file has (created
/// exclusively: an existing file or link is never opened). Removed when dropped unless it is
/// put in place.
pub fn fresh_beside(dest: &Path) -> Result<TempPath> {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_of(dest);
    let file = tempfile::Builder::new()
        .prefix(".guanai-")
        .suffix(".partial")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)
        .map_err(|e| dir_error(dir, e))?;
    Ok(file.into_temp_path())
}

/// The bytes of `src` (a backup) copied into a fresh file beside `dest`, with how to say
/// that `src` is damaged when the copy turns out to be.
pub fn copy_beside(src: &Path, dest: &Path) -> Result<(TempPath, impl Fn(String) -> StoreError)> {
    let tmp = fresh_beside(dest)?;
    // The bytes only: the fresh file stays owner-only whatever the backup's mode was.
    let mut from = std::fs::File::open(src).map_err(|e| dir_error(src, e))?;
    let mut to = std::fs::OpenOptions::new()
        .write(true)
        .open(&tmp)
        .map_err(|e| dir_error(&tmp, e))?;
    std::io::copy(&mut from, &mut to).map_err(|e| dir_error(src, e))?;
    drop(to);
    let path = src.to_path_buf();
    let damaged = move |reason: String| StoreError::Damaged {
        path: path.clone(),
        reason,
    };
    Ok((tmp, damaged))
}

/// Flushes the file at `path` to the disk.
pub fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| dir_error(path, e))
}

/// Flushes the directory holding `path` (a rename is durable only then).
pub fn sync_dir(path: &Path) -> Result<()> {
    let dir = dir_of(path);
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| dir_error(dir, e))
}

/// Puts the finished file `tmp` at `dest` in one rename, after flushing it; with `replace`
/// false, refuses (`AlreadyExists`) rather than take the place of a file there.
pub fn put_in_place(tmp: TempPath, dest: &Path, replace: bool) -> Result<()> {
    sync_file(&tmp)?;
    if replace {
        tmp.persist(dest).map_err(|e| dir_error(dest, e.error))?;
    } else {
        tmp.persist_noclobber(dest)
            .map_err(|e| dir_error(dest, e.error))?;
    }
    sync_dir(dest)
}

/// Gives `tmp` the group and the owner and group permissions of the file at `like` (never
/// any for others), so that a restored database is shared as the one it replaces was. Returns
/// false when the group could not be given (the account is not in it): the file then stays
/// owner-only.
pub fn permissions_like(tmp: &Path, like: &Path) -> Result<bool> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Ok(meta) = std::fs::metadata(like) else {
        // Nothing to be like: owner-only, as every file guanai creates.
        std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| dir_error(tmp, e))?;
        return Ok(true);
    };
    if std::os::unix::fs::chown(tmp, None, Some(meta.gid())).is_err() {
        std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| dir_error(tmp, e))?;
        return Ok(false);
    }
    std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(meta.mode() & 0o770))
        .map_err(|e| dir_error(tmp, e))?;
    Ok(true)
}

/// Whether this process may put another file at `live` by renaming over it: in a directory
/// with the sticky bit (docs/server.md's), only root, the directory's owner or the file's owner
/// may. Checked before anything is moved, so a refusal leaves everything as it was.
pub fn may_replace(live: &Path) -> bool {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let uid = nix::unistd::getuid().as_raw();
    let Ok(dir) = std::fs::metadata(dir_of(live)) else {
        return false;
    };
    let sticky = dir.permissions().mode() & 0o1000 != 0;
    !sticky
        || uid == 0
        || dir.uid() == uid
        || std::fs::metadata(live).map_or(true, |m| m.uid() == uid)
}

/// Keeps the file at `live` under a new name beside it (`NAME.replaced-STAMP`, `-2` … when
/// taken) as a hard link: `live` itself still names the same whole file afterwards. `None`
/// when there is no file at `live`.
pub fn keep_aside(live: &Path, stamp: &str) -> Result<Option<PathBuf>> {
    if !live.exists() {
        return Ok(None);
    }
    for n in 1..1000 {
        let aside = if n == 1 {
            PathBuf::from(format!("{}.replaced-{stamp}", live.display()))
        } else {
            PathBuf::from(format!("{}.replaced-{stamp}-{n}", live.display()))
        };
        match std::fs::hard_link(live, &aside) {
            Ok(()) => {
                sync_dir(live)?;
                return Ok(Some(aside));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(dir_error(live, e)),
        }
    }
    Err(dir_error(
        live,
        std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "every name for the replaced file is taken",
        ),
    ))
}

/// The lock beside a database (`NAME.lock`): a restore holds it exclusively while it swaps the
/// files, and every writer holds it shared while it commits, so that no commit lands in a file
/// that has just been replaced. Created group-readable, so that every account of the staff
/// group can take it.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    db.with_file_name(name)
}

fn open_lock(db: &Path) -> Result<std::fs::File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
    let path = lock_path(db);
    // Never through a link someone planted: a lock is a plain file beside the database.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o660)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .or_else(|_| {
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&path)
        })
        .map_err(|e| lock_error(&path, e))?;
    let meta = file.metadata().map_err(|e| lock_error(&path, e))?;
    if !meta.is_file() {
        return Err(lock_error(
            &path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a plain file"),
        ));
    }
    // Whoever made it, every account that may use the database must be able to take it:
    // the database's group, readable by that group, whatever the umask was.
    if meta.uid() == nix::unistd::getuid().as_raw() {
        if let Ok(db_meta) = std::fs::metadata(db) {
            let _ = std::os::unix::fs::fchown(&file, None, Some(db_meta.gid()));
        }
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o660));
    }
    Ok(file)
}

fn lock_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Lock {
        path: path.to_path_buf(),
        source,
    }
}

/// Takes the lock beside `db` shared (a writer); waits while a restore holds it.
pub fn lock_shared(db: &Path) -> Result<std::fs::File> {
    let file = open_lock(db)?;
    file.lock_shared()
        .map_err(|e| lock_error(&lock_path(db), e))?;
    Ok(file)
}

/// Takes the lock beside `db` exclusively (a restore); waits for the writers committing.
pub fn lock_exclusive(db: &Path) -> Result<std::fs::File> {
    let file = open_lock(db)?;
    file.lock().map_err(|e| lock_error(&lock_path(db), e))?;
    Ok(file)
}

/// Which file `path` names now (device and inode): a replaced database is another file.
pub fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_files_are_new_private_and_gone_unless_placed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("school.redb");
        // A file someone left with the old fixed name is neither used nor removed.
        let planted = dir.path().join("school.partial");
        std::fs::write(&planted, b"not ours").unwrap();
        let a = fresh_beside(&dest).unwrap();
        let b = fresh_beside(&dest).unwrap();
        assert_ne!(a.to_path_buf(), b.to_path_buf());
        assert_eq!(
            std::fs::metadata(&a).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let a_path = a.to_path_buf();
        drop(a);
        assert!(!a_path.exists(), "an unplaced file is removed");
        std::fs::write(&b, b"new").unwrap();
        put_in_place(b, &dest, false).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new");
        assert_eq!(std::fs::read(&planted).unwrap(), b"not ours");
        // Without replace, an existing file is left as it is.
        let c = fresh_beside(&dest).unwrap();
        std::fs::write(&c, b"other").unwrap();
        let err = put_in_place(c, &dest, false).unwrap_err();
        assert!(matches!(err, StoreError::Dir { .. }), "{err:?}");
        assert_eq!(std::fs::read(&dest).unwrap(), b"new");
    }

    #[test]
    fn the_replaced_file_is_kept_under_a_name_nobody_has() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join("school.redb");
        assert_eq!(keep_aside(&live, "20261129-120000").unwrap(), None);
        std::fs::write(&live, b"v1").unwrap();
        let first = keep_aside(&live, "20261129-120000").unwrap().unwrap();
        let second = keep_aside(&live, "20261129-120000").unwrap().unwrap();
        assert_eq!(
            first.file_name().unwrap().to_string_lossy(),
            "school.redb.replaced-20261129-120000"
        );
        assert_eq!(
            second.file_name().unwrap().to_string_lossy(),
            "school.redb.replaced-20261129-120000-2"
        );
        assert_eq!(
            std::fs::read(&live).unwrap(),
            b"v1",
            "the live path is untouched"
        );
        assert_eq!(std::fs::read(&first).unwrap(), b"v1");
    }
}
