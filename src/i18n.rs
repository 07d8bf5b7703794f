//! The UI language. Strings are chosen with [`Lang::pick`] next to their use, in pairs, so that
//! a missing translation is a compile error rather than a runtime surprise.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
pub enum Lang {
    /// 中文 (default)
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    /// The Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
