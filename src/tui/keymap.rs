//! Keys are data: the embedded `keymaps/default.toml`, with a user's `keymap.toml` binding and
//! unbinding on top of it, checked loudly (an unknown action or key names the file and line
//! and what is accepted; a clash names both actions). Lookup walks sequences with an explicit
//! pending state and no timer: `f` then `m` works however slow the SSH link is.
//!
//! This module knows keys and action names; what an action does is the app's business.

use std::collections::{HashMap, HashSet};
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use toml::Spanned;

use super::action::{Action, Layer};

use crate::i18n::Lang;

/// The default keymap, embedded in the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymaps/default.toml");
pub const DEFAULT_FILE: &str = "keymaps/default.toml";

/// One key press: a key and the modifiers that matter (Shift is part of the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// The key of a terminal event, normalised the way keymap files write it.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        if code == KeyCode::Char(' ') && mods.is_empty() {
            mods = KeyModifiers::NONE;
        }
        Key { code, mods }
    }

    /// Parses one key as keymap files write it: `j`, `G`, `?`, `<Enter>`, `<C-z>`, `<F1>`.
    pub fn parse(text: &str) -> Option<Key> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Some(Key {
                code: KeyCode::Char(c),
                mods: KeyModifiers::NONE,
            });
        }
        let inner = text.strip_prefix('<')?.strip_suffix('>')?;
        let mut mods = KeyModifiers::NONE;
        let mut rest = inner;
        loop {
            let lower = rest.get(..2).map(str::to_ascii_lowercase);
            match lower.as_deref() {
                Some("c-") if rest.len() > 2 => mods |= KeyModifiers::CONTROL,
                Some("a-") if rest.len() > 2 => mods |= KeyModifiers::ALT,
                Some("s-") if rest.len() > 2 => mods |= KeyModifiers::SHIFT,
                _ => break,
            }
            rest = &rest[2..];
        }
        let named = NAMED
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(rest))
            .map(|(_, code)| *code);
        let mut code = match named {
            Some(code) => code,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => match rest.to_ascii_lowercase().strip_prefix('f') {
                        Some(n) => match n.parse::<u8>() {
                            Ok(n @ 1..=12) => KeyCode::F(n),
                            _ => return None,
                        },
                        None => return None,
                    },
                }
            }
        };
        if mods.contains(KeyModifiers::SHIFT) {
            mods.remove(KeyModifiers::SHIFT);
            code = match code {
                KeyCode::Tab => KeyCode::BackTab,
                KeyCode::Char(c) => KeyCode::Char(c.to_ascii_uppercase()),
                _ => return None,
            };
        }
        if mods.contains(KeyModifiers::CONTROL)
            && let KeyCode::Char(c) = code
        {
            code = KeyCode::Char(c.to_ascii_lowercase());
        }
        Some(Key { code, mods })
    }

    /// How the help and the bottom line show the key.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("C-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("A-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            KeyCode::Up => out.push('↑'),
            KeyCode::Down => out.push('↓'),
            KeyCode::Left => out.push('←'),
            KeyCode::Right => out.push('→'),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::BackTab => out.push_str("S-Tab"),
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => out.push_str(name),
                None => out.push('?'),
            },
        }
        out
    }
}

/// The key names accepted between angle brackets.
const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Space", KeyCode::Char(' ')),
    ("lt", KeyCode::Char('<')),
    ("gt", KeyCode::Char('>')),
];

const ACCEPTED_KEYS: &str = "a single character (j, G, ?, 1), <Enter> <Esc> <Tab> <BackTab> <Backspace> <Delete> <Insert> <Up> <Down> <Left> <Right> <Home> <End> <PageUp> <PageDown> <Space> <lt> <gt> <F1>..<F12>, with modifiers <C-x> <A-x> <S-Tab>";

/// The label of a key sequence: `f m`, `Enter`.
pub fn sequence_label(keys: &[Key]) -> String {
    keys.iter().map(Key::label).collect::<Vec<_>>().join(" ")
}

/// One binding in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc_zh: String,
    pub desc_en: String,
    /// Where it was bound: file and line.
    pub file: String,
    pub line: usize,
}

impl Binding {
    pub fn desc(&self, lang: Lang) -> &str {
        lang.pick(&self.desc_zh, &self.desc_en)
    }
}

/// What a key sequence means in a layer.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'a> {
    Matched(Action),
    /// More keys are needed; these bindings start with the keys so far.
    Pending(Vec<&'a Binding>),
    NotFound,
}

/// One mistake in a keymap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax(String),
    UnknownTable(String),
    UnknownAction {
        name: String,
        layer: &'static str,
        accepted: Vec<&'static str>,
    },
    UnknownKey(String),
    EmptySequence,
    Clash {
        keys: String,
        layer: &'static str,
        first: &'static str,
        first_place: String,
        second: &'static str,
        second_place: String,
    },
    NotBound {
        keys: String,
        layer: &'static str,
    },
    KeymapInUserFile,
}

impl KeymapError {
    /// The message in the user's language: file, line, what was wrong, what is accepted.
    pub fn message(&self, lang: Lang) -> String {
        let place = format!("{}:{}", self.file, self.line);
        let what = match (&self.kind, lang) {
            (ErrorKind::Syntax(e), Lang::Zh) => format!("不是有效的 TOML: {e}"),
            (ErrorKind::Syntax(e), Lang::En) => format!("not valid TOML: {e}"),
            (ErrorKind::UnknownTable(t), Lang::Zh) => format!(
                "未知的表 [{t}]; 可用: {}",
                Layer::ALL.map(Layer::name).join(", ")
            ),
            (ErrorKind::UnknownTable(t), Lang::En) => format!(
                "unknown table [{t}]; accepted: {}",
                Layer::ALL.map(Layer::name).join(", ")
            ),
            (
                ErrorKind::UnknownAction {
                    name,
                    layer,
                    accepted,
                },
                Lang::Zh,
            ) => format!(
                "[{layer}] 中没有动作 \"{name}\"; 可用: {}",
                accepted.join(", ")
            ),
            (
                ErrorKind::UnknownAction {
                    name,
                    layer,
                    accepted,
                },
                Lang::En,
            ) => format!(
                "no action \"{name}\" in [{layer}]; accepted: {}",
                accepted.join(", ")
            ),
            (ErrorKind::UnknownKey(k), Lang::Zh) => {
                format!("无法识别的按键 \"{k}\"; 可用: {ACCEPTED_KEYS}")
            }
            (ErrorKind::UnknownKey(k), Lang::En) => {
                format!("unknown key \"{k}\"; accepted: {ACCEPTED_KEYS}")
            }
            (ErrorKind::EmptySequence, Lang::Zh) => "on 不能为空".to_string(),
            (ErrorKind::EmptySequence, Lang::En) => "on must name at least one key".to_string(),
            (
                ErrorKind::Clash {
                    keys,
                    layer,
                    first,
                    first_place,
                    second,
                    second_place,
                },
                Lang::Zh,
            ) => format!(
                "按键冲突 [{layer}] \"{keys}\": \"{first}\" ({first_place}) 与 \"{second}\" ({second_place}); 请用 unbind 解除其中一个, 或换一个按键"
            ),
            (
                ErrorKind::Clash {
                    keys,
                    layer,
                    first,
                    first_place,
                    second,
                    second_place,
                },
                Lang::En,
            ) => format!(
                "key clash in [{layer}] \"{keys}\": \"{first}\" ({first_place}) and \"{second}\" ({second_place}); unbind one of them or choose another key"
            ),
            (ErrorKind::NotBound { keys, layer }, Lang::Zh) => {
                format!("unbind: [{layer}] 中没有绑定 \"{keys}\"")
            }
            (ErrorKind::NotBound { keys, layer }, Lang::En) => {
                format!("unbind: nothing is bound to \"{keys}\" in [{layer}]")
            }
            (ErrorKind::KeymapInUserFile, Lang::Zh) => {
                "用户的 keymap.toml 只写改动: 用 bind = [...] 和 unbind = [...], 不要复制整个 keymap".to_string()
            }
            (ErrorKind::KeymapInUserFile, Lang::En) => {
                "a user's keymap.toml holds changes only: use bind = [...] and unbind = [...], not a whole keymap".to_string()
            }
        };
        format!("{place}: {what}")
    }
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OnKeys {
    One(String),
    Seq(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Desc {
    Text(String),
    Langs { zh: String, en: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: Spanned<OnKeys>,
    run: Spanned<String>,
    desc: Option<Desc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayer {
    keymap: Option<Spanned<Vec<Spanned<RawBinding>>>>,
    #[serde(default)]
    bind: Vec<Spanned<RawBinding>>,
    #[serde(default)]
    unbind: Vec<Spanned<OnKeys>>,
}

/// The bindings in force, one ordered list per layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    layers: Vec<(Layer, Vec<Binding>)>,
}

/// Lines of a file by byte offset, counted once (a keymap of many bindings must not count
/// the file's lines again for each).
struct Lines(Vec<usize>);

impl Lines {
    fn of(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of byte `offset`.
    fn at(&self, offset: usize) -> usize {
        self.0.partition_point(|&n| n < offset) + 1
    }
}

impl Keymap {
    /// The embedded default keymap.
    pub fn defaults() -> Result<Keymap, Vec<KeymapError>> {
        let mut map = Keymap {
            layers: Layer::ALL.iter().map(|l| (*l, Vec::new())).collect(),
        };
        map.apply(DEFAULT_KEYMAP, DEFAULT_FILE, true)?;
        map.check()?;
        Ok(map)
    }

    /// The defaults with a user's changes (`text` read from `file`) on top.
    pub fn with_user(text: &str, file: &str) -> Result<Keymap, Vec<KeymapError>> {
        let mut map = Keymap::defaults()?;
        map.apply(text, file, false)?;
        map.check()?;
        Ok(map)
    }

    fn layer_mut(&mut self, layer: Layer) -> &mut Vec<Binding> {
        let i = Layer::ALL.iter().position(|l| *l == layer).unwrap_or(0);
        &mut self.layers[i].1
    }

    /// The bindings of one layer, in file order.
    pub fn bindings(&self, layer: Layer) -> &[Binding] {
        self.layers
            .iter()
            .find(|(l, _)| *l == layer)
            .map_or(&[], |(_, b)| b.as_slice())
    }

    fn apply(&mut self, text: &str, file: &str, is_default: bool) -> Result<(), Vec<KeymapError>> {
        let lines = Lines::of(text);
        let line_of = |_: &str, offset: usize| lines.at(offset);
        let err = |line, kind| KeymapError {
            file: file.to_string(),
            line,
            kind,
        };
        let tables: std::collections::BTreeMap<Spanned<String>, Spanned<RawLayer>> =
            toml::from_str(text).map_err(|e| {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                vec![err(line, ErrorKind::Syntax(e.message().to_string()))]
            })?;
        let mut errors = Vec::new();
        // Tables in file order, so that bindings keep the order they were written in.
        let mut tables: Vec<_> = tables.into_iter().collect();
        tables.sort_by_key(|(name, _)| name.span().start);
        for (name, raw) in tables {
            let line = line_of(text, name.span().start);
            let Some(layer) = Layer::from_name(name.get_ref()) else {
                errors.push(err(line, ErrorKind::UnknownTable(name.into_inner())));
                continue;
            };
            let raw = raw.into_inner();
            if !is_default && let Some(k) = &raw.keymap {
                errors.push(err(
                    line_of(text, k.span().start),
                    ErrorKind::KeymapInUserFile,
                ));
                continue;
            }
            let mut unbind: HashMap<Vec<Key>, usize> = HashMap::new();
            for on in raw.unbind {
                let line = line_of(text, on.span().start);
                match parse_keys(on.get_ref()) {
                    Ok(keys) => {
                        unbind.insert(keys, line);
                    }
                    Err(kind) => errors.push(err(line, kind)),
                }
            }
            if !unbind.is_empty() {
                let bindings = self.layer_mut(layer);
                let mut found: HashSet<Vec<Key>> = HashSet::new();
                bindings.retain(|b| {
                    let gone = unbind.contains_key(&b.keys);
                    if gone {
                        found.insert(b.keys.clone());
                    }
                    !gone
                });
                let mut missing: Vec<(&Vec<Key>, &usize)> =
                    unbind.iter().filter(|(k, _)| !found.contains(*k)).collect();
                missing.sort_by_key(|(_, line)| **line);
                for (keys, line) in missing {
                    errors.push(err(
                        *line,
                        ErrorKind::NotBound {
                            keys: sequence_label(keys),
                            layer: layer.name(),
                        },
                    ));
                }
            }
            let entries = raw
                .keymap
                .map(Spanned::into_inner)
                .unwrap_or_default()
                .into_iter()
                .chain(raw.bind);
            let mut added: Vec<Binding> = Vec::new();
            let mut added_at: HashMap<Vec<Key>, usize> = HashMap::new();
            for entry in entries {
                let line = line_of(text, entry.span().start);
                let entry = entry.into_inner();
                let keys = match parse_keys(entry.on.get_ref()) {
                    Ok(keys) => keys,
                    Err(kind) => {
                        errors.push(err(line_of(text, entry.on.span().start), kind));
                        continue;
                    }
                };
                let run = entry.run.get_ref().trim();
                let Some(action) = Action::from_name(run).filter(|a| a.layers().contains(&layer))
                else {
                    errors.push(err(
                        line_of(text, entry.run.span().start),
                        ErrorKind::UnknownAction {
                            name: run.to_string(),
                            layer: layer.name(),
                            accepted: Action::names_for(layer),
                        },
                    ));
                    continue;
                };
                // Two bindings of one key in one file: a clash. The user's binding replaces
                // the default one on the same key: that is what binding is for.
                if let Some(other) = added_at.get(&keys).map(|&i| &added[i]) {
                    errors.push(err(
                        line,
                        ErrorKind::Clash {
                            keys: sequence_label(&keys),
                            layer: layer.name(),
                            first: other.action.name(),
                            first_place: format!("{}:{}", other.file, other.line),
                            second: action.name(),
                            second_place: format!("{file}:{line}"),
                        },
                    ));
                    continue;
                }
                let (desc_zh, desc_en) = match entry.desc {
                    Some(Desc::Langs { zh, en }) => (zh, en),
                    Some(Desc::Text(t)) => (t.clone(), t),
                    None => (action.name().to_string(), action.name().to_string()),
                };
                added_at.insert(keys.clone(), added.len());
                added.push(Binding {
                    keys,
                    action,
                    desc_zh,
                    desc_en,
                    file: file.to_string(),
                    line,
                });
            }
            let bindings = self.layer_mut(layer);
            let mut at: HashMap<Vec<Key>, usize> = bindings
                .iter()
                .enumerate()
                .map(|(i, b)| (b.keys.clone(), i))
                .collect();
            for b in added {
                match at.get(&b.keys) {
                    Some(&i) => bindings[i] = b,
                    None => {
                        at.insert(b.keys.clone(), bindings.len());
                        bindings.push(b);
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }

    /// A key that starts a longer sequence can never wait for it: a clash, in a pane's own
    /// table or between it and the global table.
    fn check(&self) -> Result<(), Vec<KeymapError>> {
        let mut errors = Vec::new();
        for layer in Layer::ALL {
            let effective = self.effective(layer);
            // Each sequence, and for each binding its shorter starts: a start that is itself
            // bound cannot wait. Linear in the bindings (a sequence is a few keys long).
            let by_keys: HashMap<&[Key], &Binding> =
                effective.iter().map(|b| (b.keys.as_slice(), *b)).collect();
            let mut reported: HashSet<&[Key]> = HashSet::new();
            for long in &effective {
                for n in 1..long.keys.len() {
                    let Some(short) = by_keys.get(&long.keys[..n]) else {
                        continue;
                    };
                    // Once per key that cannot wait, where the user can change it: a user's
                    // binding over a default one.
                    if !reported.insert(short.keys.as_slice()) {
                        continue;
                    }
                    let at = if short.file != DEFAULT_FILE {
                        short
                    } else {
                        long
                    };
                    errors.push(KeymapError {
                        file: at.file.clone(),
                        line: at.line,
                        kind: ErrorKind::Clash {
                            keys: sequence_label(&short.keys),
                            layer: layer.name(),
                            first: short.action.name(),
                            first_place: format!("{}:{}", short.file, short.line),
                            second: long.action.name(),
                            second_place: format!("{}:{}", long.file, long.line),
                        },
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The bindings that work in `layer`: its own, then the global ones it does not shadow.
    pub fn effective(&self, layer: Layer) -> Vec<&Binding> {
        let own = self.bindings(layer);
        let mut out: Vec<&Binding> = own.iter().collect();
        if layer != Layer::Global {
            let shadowed: HashSet<&[Key]> = own.iter().map(|b| b.keys.as_slice()).collect();
            out.extend(
                self.bindings(Layer::Global)
                    .iter()
                    .filter(|g| !shadowed.contains(g.keys.as_slice())),
            );
        }
        out
    }

    /// What `keys` (pressed in this order) mean in `layer`.
    pub fn lookup(&self, layer: Layer, keys: &[Key]) -> Lookup<'_> {
        let effective = self.effective(layer);
        if let Some(b) = effective.iter().find(|b| b.keys == keys) {
            return Lookup::Matched(b.action);
        }
        let pending: Vec<&Binding> = effective
            .into_iter()
            .filter(|b| b.keys.len() > keys.len() && b.keys.starts_with(keys))
            .collect();
        if pending.is_empty() {
            Lookup::NotFound
        } else {
            Lookup::Pending(pending)
        }
    }

    /// The first key sequence bound to `action` in `layer` (or globally), for hints.
    pub fn keys_for(&self, layer: Layer, action: Action) -> Option<&Binding> {
        self.effective(layer)
            .into_iter()
            .find(|b| b.action == action)
    }
}

fn parse_keys(on: &OnKeys) -> Result<Vec<Key>, ErrorKind> {
    let texts: Vec<&str> = match on {
        OnKeys::One(s) => vec![s.as_str()],
        OnKeys::Seq(v) => v.iter().map(String::as_str).collect(),
    };
    if texts.is_empty() {
        return Err(ErrorKind::EmptySequence);
    }
    texts
        .into_iter()
        .map(|t| Key::parse(t).ok_or_else(|| ErrorKind::UnknownKey(t.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_label() {
        let k = |s| Key::parse(s).unwrap();
        assert_eq!(k("j").code, KeyCode::Char('j'));
        assert_eq!(k("<C-z>").mods, KeyModifiers::CONTROL);
        assert_eq!(k("<S-Tab>").code, KeyCode::BackTab);
        assert_eq!(k("<F5>").code, KeyCode::F(5));
        assert_eq!(k("<pagedown>").label(), "PgDn");
        for bad in ["", "<>", "<Bogus>", "jj", "<F13>", "<C->"] {
            assert_eq!(Key::parse(bad), None, "{bad}");
        }
    }
}
