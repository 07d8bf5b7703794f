//! Every string the terminal UI shows, one catalog per language (`locales/zh.toml`,
//! `locales/en.toml`, embedded). Code asks by key; `{name}` placeholders are filled by
//! [`Text::fmt`]. A test fails when a key is missing in either catalog or used in the code
//! without being in them.

use std::collections::HashMap;

use crate::i18n::Lang;

const ZH: &str = include_str!("locales/zh.toml");
const EN: &str = include_str!("locales/en.toml");

/// The catalog of one language.
#[derive(Debug, Clone)]
pub struct Text {
    pub lang: Lang,
    strings: HashMap<String, String>,
}

impl Text {
    pub fn new(lang: Lang) -> Text {
        let source = match lang {
            Lang::Zh => ZH,
            Lang::En => EN,
        };
        // The catalogs are part of the binary and tested: a broken one is a build defect,
        // shown as its keys rather than a crash.
        let strings = toml::from_str(source).unwrap_or_default();
        Text { lang, strings }
    }

    /// The text for `key` (the key itself if a catalog lacks it: visible, never a crash).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// The text for `key` with `{name}` placeholders replaced.
    pub fn fmt(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut out = self.get(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }

    /// The keys of a catalog, for the completeness test.
    pub fn keys(lang: Lang) -> Vec<String> {
        let mut keys: Vec<String> = Text::new(lang).strings.into_keys().collect();
        keys.sort();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_parse_and_hold_the_same_keys() {
        let zh: HashMap<String, String> = toml::from_str(ZH).expect("zh.toml");
        let en: HashMap<String, String> = toml::from_str(EN).expect("en.toml");
        let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
        assert!(missing_zh.is_empty(), "missing in zh.toml: {missing_zh:?}");
        for (k, v) in zh.iter().chain(en.iter()) {
            assert!(!v.trim().is_empty(), "{k} is empty");
        }
    }

    /// Every key the UI code asks for is in the catalogs, and every key of the catalogs is
    /// asked for somewhere (no stale text). A key is a string literal in src/tui whose part
    /// before the first dot is a catalog's section (`"queue.missed"`), or any literal passed
    /// to `text.get(` / `text.fmt(`.
    #[test]
    fn every_key_used_in_the_code_exists_and_every_key_is_used() {
        let keys = Text::keys(Lang::Zh);
        let sections: Vec<&str> = keys
            .iter()
            .filter_map(|k| k.split_once('.'))
            .map(|(s, _)| s)
            .collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
        let mut files = vec![];
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read src/tui").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
        let mut used: Vec<String> = Vec::new();
        for f in files {
            let src = std::fs::read_to_string(&f).expect("read source");
            // The code, not this test's own literals.
            let src = src.split("#[cfg(test)]").next().unwrap_or_default();
            let literals: Vec<&str> = src.split('"').skip(1).step_by(2).collect();
            for lit in literals {
                let is_key = lit
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                    && lit
                        .split_once('.')
                        .is_some_and(|(s, rest)| !rest.is_empty() && sections.contains(&s));
                if is_key {
                    assert!(
                        keys.iter().any(|k| k == lit),
                        "{}: key \"{lit}\" is not in the catalogs",
                        f.display()
                    );
                    used.push(lit.to_string());
                } else if keys.iter().any(|k| k == lit) {
                    used.push(lit.to_string());
                }
            }
        }
        // Command labels are looked up by the audit record's command name: each must be a
        // command the service writes (in any file of src/service).
        let service: String =
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service"))
                .expect("read src/service")
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
                .map(|e| std::fs::read_to_string(e.path()).expect("read the service"))
                .collect();
        for k in &keys {
            if let Some(command) = k.strip_prefix("audit.cmd.") {
                assert!(
                    service.contains(&format!("\"{command}\"")),
                    "{k}: the service writes no command \"{command}\""
                );
                used.push(k.clone());
            }
        }
        let unused: Vec<&String> = keys.iter().filter(|k| !used.contains(k)).collect();
        assert!(
            unused.is_empty(),
            "catalog keys no code asks for: {unused:?}"
        );
    }
}
