//! Writing the user's files (exports, the work summary): readable by their owner only, like
//! the database (children's records), and whole or not at all (written beside, then renamed).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to a new temporary file beside `path` (created 0600, never an existing
/// file or link), flushes it to the disk, and renames it to `path`, replacing a file there:
/// `path` is never half-written.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write(path, bytes, true)
}

/// Like [`write_private`], but fails (`AlreadyExists`) rather than replace a file at `path`.
pub fn write_private_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write(path, bytes, false)
}

fn write(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".guanai-")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

/// A saved file's path as the screen names it: `~/name` under the home directory, else as
/// it is.
pub fn shown(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

/// `dir/stem.ext`, or `dir/stem-2.ext`, `-3` … if that exists: an export never replaces a
/// file.
pub fn unused_name(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_under_home_is_named_from_the_tilde() {
        let home = Path::new("/home/quym");
        assert_eq!(
            shown(Path::new("/home/quym/总结.docx"), Some(home)),
            "~/总结.docx"
        );
        assert_eq!(
            shown(Path::new("/home/quym/导出/总结.docx"), Some(home)),
            "~/导出/总结.docx"
        );
        // Elsewhere, or a directory whose name only starts the same: the whole path.
        assert_eq!(
            shown(Path::new("/home/quymx/总结.docx"), Some(home)),
            "/home/quymx/总结.docx"
        );
        assert_eq!(
            shown(Path::new("/srv/总结.docx"), Some(home)),
            "/srv/总结.docx"
        );
        assert_eq!(shown(Path::new("/srv/总结.docx"), None), "/srv/总结.docx");
    }

    #[test]
    fn private_whole_and_never_over_another_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = unused_name(dir.path(), "总结", "docx");
        write_private(&a, b"x").unwrap();
        assert_eq!(
            std::fs::metadata(&a).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let b = unused_name(dir.path(), "总结", "docx");
        assert_eq!(b, dir.path().join("总结-2.docx"));
        let err = write_private_new(&a, b"y").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&a).unwrap(), b"x", "never over another file");
        write_private(&a, b"z").unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"z");
        // Nothing left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
