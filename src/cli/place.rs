//! Where the database is when the command line does not say: `--db` or `GUANAI_DB` first,
//! then the machine's own configuration (`/etc/guanai/config.toml`, `db = "…"`, so that
//! `ssh server guanai` finds the school's file without any setup in the teacher's account),
//! then the per-user data directory.
//!
//! It reads that one configuration file and decides a path; it opens no database.

use std::path::{Path, PathBuf};

use super::{CliError, Result};
use crate::i18n::Lang;

/// The machine's configuration file: `GUANAI_SYSTEM_CONFIG` if set (for tests and unusual
/// installs), else `/etc/guanai/config.toml`.
pub fn system_config_path() -> PathBuf {
    match std::env::var_os("GUANAI_SYSTEM_CONFIG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from("/etc/guanai/config.toml"),
    }
}

/// What the machine's configuration says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemConfig {
    /// `db = "…"`: the school's database.
    pub db: Option<PathBuf>,
    /// `counsel_group = "…"`: the counsellors' Unix group, the only group that may open the
    /// notes file.
    pub counsel_group: Option<String>,
}

/// The machine's configuration (empty when the file does not exist). A file that cannot be
/// read or parsed, or a value of the wrong kind, is refused with its name and line.
pub fn system_config(config: &Path, lang: Lang) -> Result<SystemConfig> {
    let text = match std::fs::read_to_string(config) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SystemConfig::default()),
        Err(e) => {
            return Err(CliError::Input(format!("{}: {e}", config.display())));
        }
    };
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        CliError::Input(format!(
            "{}:{line}: {}",
            config.display(),
            e.message().trim()
        ))
    })?;
    let text_value = |key: &str, example: &str| -> Result<Option<String>> {
        match table.get(key) {
            None => Ok(None),
            Some(toml::Value::String(v)) if !v.trim().is_empty() => Ok(Some(v.trim().to_string())),
            Some(other) => Err(CliError::Input(match lang {
                Lang::Zh => format!(
                    "{}: {key} 不接受 {other}; 应为文字, 如 {key} = \"{example}\"",
                    config.display()
                ),
                Lang::En => format!(
                    "{}: {key} = {other} is not accepted; expected text, e.g. {key} = \"{example}\"",
                    config.display()
                ),
            })),
        }
    };
    Ok(SystemConfig {
        db: text_value("db", "/srv/guanai/guanai.redb")?.map(PathBuf::from),
        counsel_group: text_value("counsel_group", "guanai-counsel")?,
    })
}

/// `guanai.redb` in the platform's per-user data directory.
pub fn user_db() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "guanai").map(|d| d.data_dir().join("guanai.redb"))
}

/// The database to use when `--db` and `GUANAI_DB` are not given.
pub fn default_db(lang: Lang) -> Result<PathBuf> {
    if let Some(db) = system_config(&system_config_path(), lang)?.db {
        return Ok(db);
    }
    user_db().ok_or_else(|| {
        CliError::Input(
            lang.pick(
                "找不到数据目录 (没有 HOME?): 请用 --db 指定数据库文件",
                "no data directory (is HOME set?): give the database file with --db",
            )
            .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_config_names_the_school_database() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        assert_eq!(
            system_config(&config, Lang::Zh).unwrap().db,
            None,
            "no file: no say"
        );
        std::fs::write(&config, "# 学校服务器\ndb = \"/srv/guanai/guanai.redb\"\n").unwrap();
        assert_eq!(
            system_config(&config, Lang::Zh).unwrap().db,
            Some(PathBuf::from("/srv/guanai/guanai.redb"))
        );
        std::fs::write(&config, "lang = \"zh\"\n").unwrap();
        assert_eq!(system_config(&config, Lang::Zh).unwrap().db, None);
        std::fs::write(&config, "db = 3\n").unwrap();
        let e = system_config(&config, Lang::En).unwrap_err();
        assert!(
            e.message(Lang::En).contains("db = 3 is not accepted"),
            "{}",
            e.message(Lang::En)
        );
        std::fs::write(&config, "\n\ndb = /srv\n").unwrap();
        let e = system_config(&config, Lang::En).unwrap_err();
        assert!(
            e.message(Lang::En).contains("config.toml:3:"),
            "{}",
            e.message(Lang::En)
        );
    }
}
