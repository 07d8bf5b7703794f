//! Finding a child as the teacher types: fuzzy matching over the name in hanzi, its pinyin
//! initials and full pinyin (every reading of a polyphonic surname: 曾 is `zeng` and `ceng`),
//! the class, village, guardian's name and student number.
//!
//! The ASCII keys are computed once per child when the index is built; a keystroke only
//! compares. A query that extends the previous one searches only the previous hits.
//! Pure code: no I/O, no terminal, no database.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use pinyin::{ToPinyin, ToPinyinMulti};

/// What a child is found by.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchFields<'a> {
    pub name: &'a str,
    pub class: &'a str,
    pub village: Option<&'a str>,
    pub guardian: Option<&'a str>,
    pub student_no: Option<&'a str>,
}

/// One match: the position of the child in the order the index was built in, and how well
/// it matched (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

/// The keys of one child, as ranges of [`SearchIndex::text`]. Name keys come first
/// (`name_keys` of them) and weigh more.
#[derive(Debug, Clone)]
struct Entry {
    /// Where this child's keys end in `SearchIndex::ends`.
    last_key: u32,
    name_keys: u8,
    /// The characters present in any key ([`char_mask`]): a query with a character the child
    /// lacks is ruled out without reading the keys.
    mask: u64,
}

/// The searchable keys of every child, in roster order, kept in one string (a keystroke reads
/// memory in order rather than chasing a pointer per key).
pub struct SearchIndex {
    text: String,
    /// The end of every key in `text`; a key starts where the previous one ended.
    ends: Vec<u32>,
    /// The characters of every key ([`char_mask`]), to rule a key out without reading it.
    masks: Vec<u64>,
    entries: Vec<Entry>,
    matcher: SkimMatcherV2,
}

/// Extra score for a match in the name (its hanzi or pinyin) over one in another field.
const NAME_BONUS: i64 = 1;
/// How a key matches, best first: the whole key, its start, a run inside it, scattered letters.
const EXACT: i64 = 4;
const PREFIX: i64 = 3;
const SUBSTRING: i64 = 2;
const SCATTERED: i64 = 1;
/// The scale of a match's kind over the fuzzy scorer's fine ranking.
const TIER: i64 = 1_000_000;
/// The best-ranked hits the fuzzy scorer orders finely. When more children match (a query
/// of one or two letters over a county), the rest keep the cheap order: kind of match, then
/// roster order. Nobody reads past the first screens of such a list.
const FINE_LIMIT: usize = 200;

impl SearchIndex {
    /// Builds the keys of every child, in the order given (hits refer to it by position).
    /// Each key is written straight into the index's text (no String per key).
    pub fn build<'a>(children: impl IntoIterator<Item = SearchFields<'a>>) -> SearchIndex {
        let mut index = SearchIndex {
            text: String::new(),
            ends: Vec::new(),
            masks: Vec::new(),
            entries: Vec::new(),
            matcher: SkimMatcherV2::default().ignore_case(),
        };
        let mut parts = PinyinParts::default();
        for f in children {
            let first = index.ends.len();
            index.push_key(first, &[], Some(f.name));
            parts.fill(f.name);
            for (initial, _) in &parts.surname {
                index.push_key(first, &[initial, &parts.rest_initials], None);
            }
            for (_, full) in &parts.surname {
                index.push_key(first, &[full, &parts.rest_full], None);
            }
            let name_keys = (index.ends.len() - first).min(u8::MAX as usize) as u8;
            index.push_key(usize::MAX, &[], Some(f.class));
            for other in [f.village, f.guardian, f.student_no].into_iter().flatten() {
                if !other.is_empty() {
                    index.push_key(usize::MAX, &[], Some(other));
                }
            }
            let mask = index.masks[first..].iter().fold(0, |m, k| m | k);
            index.entries.push(Entry {
                last_key: index.ends.len() as u32,
                name_keys,
                mask,
            });
        }
        index
    }

    /// Appends a key: `parts` one after the other, then `lower` in lowercase. With `unique`
    /// the index of this child's first key, an empty key, or one equal to a key of the child
    /// already, is dropped (the name's pinyin keys); with `usize::MAX` every key is kept.
    fn push_key(&mut self, unique: usize, parts: &[&str], lower: Option<&str>) {
        let start = self.text.len();
        for p in parts {
            self.text.push_str(p);
        }
        if let Some(text) = lower {
            push_lowercase(&mut self.text, text);
        }
        if unique != usize::MAX {
            let key = &self.text[start..];
            let mut from = if unique == 0 {
                0
            } else {
                self.ends[unique - 1] as usize
            };
            let duplicate = (key.is_empty() && !parts.is_empty())
                || self.ends[unique.min(self.ends.len())..].iter().any(|&end| {
                    let seen = &self.text[from..end as usize];
                    from = end as usize;
                    seen == key
                });
            if duplicate {
                self.text.truncate(start);
                return;
            }
        }
        self.masks.push(char_mask(&self.text[start..]));
        self.ends.push(self.text.len() as u32);
    }
    /// Every child matching `query`, best first (ties in roster order). An empty query
    /// matches nobody: the caller shows the whole roster instead.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        self.search_in(query, 0..self.entries.len())
    }

    /// Like [`search`](Self::search), over the children of `previous` only: when the query
    /// grew by a keystroke, its hits are among the previous query's hits.
    pub fn refine(&self, query: &str, previous: &[Hit]) -> Vec<Hit> {
        let mut candidates: Vec<usize> = previous.iter().map(|h| h.index).collect();
        candidates.sort_unstable();
        self.search_in(query, candidates.into_iter())
    }

    fn search_in(&self, query: &str, candidates: impl Iterator<Item = usize>) -> Vec<Hit> {
        // What a Chinese input method types (一（1）, ６０１) is read as the ASCII it means.
        let query: String = crate::domain::half_width(query)
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if query.is_empty() {
            return Vec::new();
        }
        let mask = char_mask(&query);
        // (score, index, best key): the kind of match first, for every candidate.
        let mut hits: Vec<(i64, usize, usize)> = candidates
            .filter_map(|index| {
                let entry = self.entries.get(index)?;
                if mask & !entry.mask != 0 {
                    return None;
                }
                self.coarse(index, entry, &query, mask)
                    .map(|(score, key)| (score, index, key))
            })
            .collect();
        let order =
            |a: &(i64, usize, usize), b: &(i64, usize, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        // Hits are in candidate (roster) order. Beyond the best FINE_LIMIT, only the kind of
        // match orders them: a few buckets, each kept in roster order, with no sort.
        let mut rest = Vec::new();
        if hits.len() > FINE_LIMIT {
            // The coarse scores take a handful of values: count them, and find the score
            // at which the best FINE_LIMIT hits end (ties there go by roster order).
            let mut scores: Vec<(i64, usize)> = Vec::new();
            for h in &hits {
                match scores.iter_mut().find(|(s, _)| *s == h.0) {
                    Some((_, n)) => *n += 1,
                    None => scores.push((h.0, 1)),
                }
            }
            scores.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
            let (mut cut, mut above) = (i64::MIN, 0);
            for (score, n) in &scores {
                cut = *score;
                if above + n >= FINE_LIMIT {
                    break;
                }
                above += n;
            }
            let mut take_at_cut = FINE_LIMIT - above;
            let mut top = Vec::with_capacity(FINE_LIMIT);
            let mut below = Vec::with_capacity(hits.len() - FINE_LIMIT);
            for h in hits {
                if h.0 > cut || (h.0 == cut && take_at_cut > 0) {
                    if h.0 == cut {
                        take_at_cut -= 1;
                    }
                    top.push(h);
                } else {
                    below.push(h);
                }
            }
            hits = top;
            rest.reserve(below.len());
            for (score, _) in scores {
                rest.extend(below.iter().filter(|h| h.0 == score));
            }
        }
        for hit in hits.iter_mut() {
            let fine = self
                .matcher
                .fuzzy_match(self.key(hit.2), &query)
                .unwrap_or(0);
            hit.0 += fine.clamp(0, TIER - 1);
        }
        hits.sort_unstable_by(order);
        hits.into_iter()
            .chain(rest)
            .map(|(score, index, _)| Hit { index, score })
            .collect()
    }

    fn key(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        self.text.get(start..self.ends[k] as usize).unwrap_or("")
    }

    /// The kind of the best match among a child's keys, and which key it was in.
    fn coarse(&self, index: usize, entry: &Entry, query: &str, mask: u64) -> Option<(i64, usize)> {
        let first_key = match index {
            0 => 0,
            i => self.entries[i - 1].last_key as usize,
        };
        let last_key = entry.last_key as usize;
        let text = self.text.as_bytes();
        let q = query.as_bytes();
        let mut best: Option<(i64, usize)> = None;
        let mut start = if first_key == 0 {
            0
        } else {
            self.ends[first_key - 1] as usize
        };
        for k in first_key..last_key {
            let end = self.ends[k] as usize;
            let key_start = std::mem::replace(&mut start, end);
            if mask & !self.masks[k] != 0 {
                continue;
            }
            let Some(key) = text.get(key_start..end) else {
                continue;
            };
            let tier = if starts_with(key, q) {
                if key.len() == q.len() { EXACT } else { PREFIX }
            } else if contains(key, q) {
                SUBSTRING
            } else if is_subsequence(query, key) {
                SCATTERED
            } else {
                continue;
            };
            let name = i64::from(k - first_key < entry.name_keys as usize);
            let score = (tier * 2 + name * NAME_BONUS) * TIER;
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, k));
            }
        }
        best
    }
}

/// Whether `key` starts with `prefix`, byte by byte (keys are too short for `memcmp` to pay).
fn starts_with(key: &[u8], prefix: &[u8]) -> bool {
    key.len() >= prefix.len() && key.iter().zip(prefix).all(|(a, b)| a == b)
}

/// Whether `needle` occurs in `key`: keys are a few bytes long, where a plain scan beats a
/// searcher's set-up.
fn contains(key: &[u8], needle: &[u8]) -> bool {
    match needle.first() {
        None => true,
        Some(first) => key
            .iter()
            .enumerate()
            .any(|(i, b)| b == first && starts_with(&key[i..], needle)),
    }
}

/// A set of the characters in `text`: one bit per ASCII letter and digit, the other
/// characters folded into the remaining bits.
fn char_mask(text: &str) -> u64 {
    text.chars().fold(0u64, |mask, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + (c as u32 % 28),
        };
        mask | (1 << bit)
    })
}

/// Whether the characters of `query` appear in `key` in order: a cheap test that rules out
/// most keys before the fuzzy scorer runs.
fn is_subsequence(query: &str, key: &[u8]) -> bool {
    if query.is_ascii() {
        let mut q = query.as_bytes().iter().peekable();
        for b in key {
            match q.peek() {
                Some(c) if **c == *b => {
                    q.next();
                }
                Some(_) => {}
                None => return true,
            }
        }
        q.peek().is_none()
    } else {
        let mut q = query.chars().peekable();
        for c in std::str::from_utf8(key).unwrap_or("").chars() {
            match q.peek() {
                Some(want) if *want == c => {
                    q.next();
                }
                Some(_) => {}
                None => return true,
            }
        }
        q.peek().is_none()
    }
}

/// The pinyin keys of a name: the initials (`zxz`) and the full pinyin (`zhangxiaozhu`),
/// one of each for every reading of the surname; the given name takes its usual reading.
/// Letters and digits in the name are kept as they are (lowercase); other characters without
/// pinyin are dropped.
pub fn pinyin_keys(name: &str) -> (Vec<String>, Vec<String>) {
    let mut parts = PinyinParts::default();
    parts.fill(name);
    let mut initials: Vec<String> = Vec::new();
    let mut full: Vec<String> = Vec::new();
    for (i, f) in &parts.surname {
        let a = format!("{i}{}", parts.rest_initials);
        let b = format!("{f}{}", parts.rest_full);
        if !a.is_empty() && !initials.contains(&a) {
            initials.push(a);
        }
        if !b.is_empty() && !full.contains(&b) {
            full.push(b);
        }
    }
    (initials, full)
}

/// What a name's pinyin keys are made of: every reading of the surname (its initial and its
/// full pinyin, in the order the dictionary gives them, repeats removed) and the rest of the
/// name's initials and full pinyin ([`pinyin_keys`]).
#[derive(Debug, Default)]
struct PinyinParts {
    surname: Vec<(
        std::borrow::Cow<'static, str>,
        std::borrow::Cow<'static, str>,
    )>,
    rest_initials: String,
    rest_full: String,
}

impl PinyinParts {
    fn fill(&mut self, name: &str) {
        use std::borrow::Cow;
        self.surname.clear();
        self.rest_initials.clear();
        self.rest_full.clear();
        let mut chars = name.chars().filter(|c| !c.is_whitespace());
        let Some(first) = chars.next() else {
            return;
        };
        for c in chars {
            match c.to_pinyin() {
                Some(p) => {
                    self.rest_initials.push_str(p.first_letter());
                    self.rest_full.push_str(p.plain());
                }
                None if c.is_ascii_alphanumeric() => {
                    let c = c.to_ascii_lowercase();
                    self.rest_initials.push(c);
                    self.rest_full.push(c);
                }
                None => {}
            }
        }
        if let Some(multi) = first.to_pinyin_multi() {
            for p in multi {
                let reading = (Cow::Borrowed(p.first_letter()), Cow::Borrowed(p.plain()));
                if self.surname.last() != Some(&reading) {
                    self.surname.push(reading);
                }
            }
        }
        if self.surname.is_empty() && first.is_ascii_alphanumeric() {
            let lower = first.to_ascii_lowercase().to_string();
            self.surname
                .push((Cow::Owned(lower.clone()), Cow::Owned(lower)));
        }
        if self.surname.is_empty() {
            self.surname.push((Cow::Borrowed(""), Cow::Borrowed("")));
        }
    }
}

/// Appends `text` in lowercase, as `str::to_lowercase` writes it. Text of ASCII and of the
/// characters from U+3000 to U+9FFF (Chinese, kana, CJK punctuation: none has a case), told
/// apart by their UTF-8 lead bytes, is copied and its ASCII letters lowered in place;
/// anything else goes through the library.
fn push_lowercase(out: &mut String, text: &str) {
    if text.bytes().all(|b| b < 0xC0 || (0xE3..=0xE9).contains(&b)) {
        let start = out.len();
        out.push_str(text);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        out.push_str(&text.to_lowercase());
    }
}

#[cfg(test)]
mod tests;
