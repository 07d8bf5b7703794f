//! `config.toml` in the config directory: the few preferences of the app itself
//! (`lang = "en"`, `mouse = true`). Unknown keys are refused with file, line and the keys
//! accepted, as keymaps are.

use serde::Deserialize;

use crate::i18n::Lang;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// "zh" or "en"; `--lang` on the command line wins.
    #[serde(default, with = "lang_opt")]
    pub lang: Option<Lang>,
    /// Mouse wheel scrolling; off by default (it takes the terminal's own selection away).
    #[serde(default)]
    pub mouse: bool,
}

mod lang_opt {
    use serde::{Deserialize, Deserializer};

    use crate::i18n::Lang;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Lang>, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "zh" => Ok(Some(Lang::Zh)),
            "en" => Ok(Some(Lang::En)),
            other => Err(serde::de::Error::custom(format!(
                "lang = \"{other}\" is not accepted; expected \"zh\" or \"en\""
            ))),
        }
    }
}

impl Config {
    /// Parses `text` read from `file`; the error names the file, the line and what is
    /// accepted.
    pub fn parse(text: &str, file: &str, lang: Lang) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .and_then(|s| text.get(..s.start))
                .map_or(1, |before| before.matches('\n').count() + 1);
            let accepted = lang.pick(
                "可用: lang = \"zh\" | \"en\", mouse = true | false",
                "accepted: lang = \"zh\" | \"en\", mouse = true | false",
            );
            format!("{file}:{line}: {} ({accepted})", e.message().trim())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_parses_and_refuses_unknown_keys() {
        let c = Config::parse("lang = \"en\"\nmouse = true\n", "c.toml", Lang::En).unwrap();
        assert_eq!(c.lang, Some(Lang::En));
        assert!(c.mouse);
        assert_eq!(
            Config::parse("", "c.toml", Lang::En).unwrap(),
            Config::default()
        );
        let e = Config::parse("\ncolour = 1\n", "c.toml", Lang::En).unwrap_err();
        assert!(e.starts_with("c.toml:2:") && e.contains("colour"), "{e}");
        let e = Config::parse("lang = \"fr\"\n", "c.toml", Lang::En).unwrap_err();
        assert!(e.contains("\"fr\"") && e.contains("\"en\""), "{e}");
    }
}
