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

    /// Every key the UI code asks for (`.get("…")`, `.fmt("…"`, `t!("…")`) is in the catalogs.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let zh = Text::keys(Lang::Zh);
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
        let mut used = 0;
        for f in files {
            let src = std::fs::read_to_string(&f).expect("read source");
            for marker in ["text.get(\"", "text.fmt(\"", "tx(\""] {
                for (i, _) in src.match_indices(marker) {
                    let rest = &src[i + marker.len()..];
                    let key = &rest[..rest.find('"').expect("closing quote")];
                    used += 1;
                    assert!(
                        zh.iter().any(|k| k == key),
                        "{}: key \"{key}\" is not in the catalogs",
                        f.display()
                    );
                }
            }
        }
        assert!(
            used > 40,
            "the scan found only {used} keys: is the pattern stale?"
        );
    }
}
