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
mod tests {
    use super::*;

    impl SearchIndex {
        /// The keys of child `i` and how many are the name's.
        fn keys_of(&self, i: usize) -> (Vec<&str>, u8) {
            let first = if i == 0 {
                0
            } else {
                self.entries[i - 1].last_key as usize
            };
            let e = &self.entries[i];
            let mut start = if first == 0 {
                0
            } else {
                self.ends[first - 1] as usize
            };
            let keys = self.ends[first..e.last_key as usize]
                .iter()
                .map(|&end| {
                    let k = &self.text[start..end as usize];
                    start = end as usize;
                    k
                })
                .collect();
            (keys, e.name_keys)
        }
    }

    /// The keys as they were first computed, a String each: the index writes them in place
    /// and must give the same, in the same order.
    fn reference_keys(f: &SearchFields) -> (Vec<String>, u8) {
        let mut keys = vec![f.name.to_lowercase()];
        let (initials, full) = pinyin_keys(f.name);
        for k in initials.into_iter().chain(full) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let name_keys = keys.len() as u8;
        keys.push(f.class.to_lowercase());
        for other in [f.village, f.guardian, f.student_no].into_iter().flatten() {
            if !other.is_empty() {
                keys.push(other.to_lowercase());
            }
        }
        (keys, name_keys)
    }

    proptest::proptest! {
        /// Any texts at all: the keys written in place are the reference keys.
        #[test]
        fn any_fields_give_the_reference_keys(
            texts in proptest::collection::vec(("[张曾单王李a-zA-Z0-9·]{0,5}", "\\PC{0,6}", proptest::option::of("\\PC{0,6}")), 1..6)
        ) {
            let fields: Vec<SearchFields> = texts
                .iter()
                .map(|(name, class, village)| SearchFields {
                    name,
                    class,
                    village: village.as_deref(),
                    guardian: Some(name),
                    student_no: None,
                })
                .collect();
            let index = SearchIndex::build(fields.iter().copied());
            for (i, f) in fields.iter().enumerate() {
                let (keys, name_keys) = index.keys_of(i);
                let (expected, expected_name_keys) = reference_keys(f);
                proptest::prop_assert_eq!(keys, expected);
                proptest::prop_assert_eq!(name_keys, expected_name_keys);
            }
        }
    }

    /// The assumption `push_lowercase` makes: nothing from U+3000 to U+9FFF has a case.
    #[test]
    fn no_character_from_u3000_to_u9fff_changes_in_lowercase() {
        let cased: Vec<char> = ('\u{3000}'..='\u{9fff}')
            .filter(|c| c.to_lowercase().ne([*c]))
            .collect();
        assert_eq!(cased, Vec::<char>::new());
    }

    #[test]
    fn keys_written_in_place_are_the_keys_computed_one_by_one() {
        let fields = [
            (
                "张小珠",
                "七(2)班",
                Some("石门村"),
                Some("张奶奶"),
                Some("20140503"),
            ),
            ("曾小明", "六(1)班", None, None, None),
            ("单丽", "", Some(""), None, Some("G430524201405030021")),
            (
                "Anna李2",
                "Class 7A",
                Some("ＡＢＣ村"),
                Some("ΣΟΦΙΑΣ"),
                None,
            ),
            ("阿依·木拉提", "七（2）班", None, Some("Émile"), None),
            ("", "", None, None, None),
            ("  ", "一(1)班", None, None, None),
            ("A", "a", Some("A"), Some("a"), Some("A")),
            ("㐀丽", "七(2)班", None, None, None),
        ]
        .map(
            |(name, class, village, guardian, student_no)| SearchFields {
                name,
                class,
                village,
                guardian,
                student_no,
            },
        );
        let index = SearchIndex::build(fields.iter().copied());
        for (i, f) in fields.iter().enumerate() {
            let (keys, name_keys) = index.keys_of(i);
            let (expected, expected_name_keys) = reference_keys(f);
            assert_eq!(keys, expected, "{}", f.name);
            assert_eq!(name_keys, expected_name_keys, "{}", f.name);
        }
    }

    fn index(names: &[&str]) -> SearchIndex {
        SearchIndex::build(names.iter().map(|n| SearchFields {
            name: n,
            class: "七(2)班",
            ..SearchFields::default()
        }))
    }

    fn first(idx: &SearchIndex, q: &str) -> Option<usize> {
        idx.search(q).first().map(|h| h.index)
    }

    /// A hit's score is its kind of match (in units of TIER) plus the fuzzy scorer's fine
    /// score below one TIER: the kind decides first, the fine score within a kind (a shorter
    /// gap is better, wherever it stands in the roster).
    #[test]
    fn the_kind_of_match_ranks_first_and_the_fine_score_within_it() {
        let idx = index(&["文小小明", "文小明", "王明华"]);
        let hits = idx.search("wm");
        let order: Vec<usize> = hits.iter().map(|h| h.index).collect();
        assert_eq!(order, vec![2, 1, 0]);
        let kind = |h: &Hit| h.score / TIER;
        let fine = |h: &Hit| h.score % TIER;
        assert_eq!(kind(&hits[1]), kind(&hits[2]), "both scattered");
        assert!(
            kind(&hits[0]) > kind(&hits[1]),
            "a start beats scattered letters"
        );
        assert!(fine(&hits[1]) > fine(&hits[2]), "{hits:?}");
        assert!(
            hits.iter().all(|h| (1..TIER).contains(&fine(h))),
            "{hits:?}"
        );
        // The very first key of the index (the first child's name) is scored too.
        let idx = index(&["文小明", "文小小明"]);
        let hits = idx.search("文明");
        assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), vec![0, 1]);
        assert!(fine(&hits[0]) > fine(&hits[1]), "{hits:?}");
    }

    /// A hit's kind in units of TIER: twice the kind of match, one more in a name key.
    #[test]
    fn the_kind_of_each_match_and_the_bonus_of_a_name() {
        let idx = SearchIndex::build(
            [("小明", "七(2)班", "河口村"), ("王平", "七(2)班", "小明村")]
                .iter()
                .map(|(name, class, village)| SearchFields {
                    name,
                    class,
                    village: Some(village),
                    ..SearchFields::default()
                }),
        );
        let kind = |q: &str| -> Vec<(usize, i64)> {
            idx.search(q)
                .iter()
                .map(|h| (h.index, h.score / TIER))
                .collect()
        };
        // In 小明's name: whole (4), start (3), run (2), scattered (1), with the name's bonus;
        // in 王平's village (not a name): the same kinds without it.
        assert_eq!(kind("小明"), vec![(0, 9), (1, 6)]);
        assert_eq!(kind("小"), vec![(0, 7), (1, 6)]);
        assert_eq!(kind("明"), vec![(0, 5), (1, 4)]);
        assert_eq!(kind("xo"), vec![(0, 3)]);
        assert_eq!(kind("小村"), vec![(1, 2)]);
        // The class, the first field after the name's keys, has no name bonus either.
        assert_eq!(kind("七(2)"), vec![(0, 6), (1, 6)]);
        // A child is ranked by its best key, not its first: 小红明's name holds 小明 only
        // scattered, its village whole.
        let idx = SearchIndex::build(std::iter::once(SearchFields {
            name: "小红明",
            class: "七(2)班",
            village: Some("小明"),
            ..SearchFields::default()
        }));
        let best: Vec<i64> = idx.search("小明").iter().map(|h| h.score / TIER).collect();
        assert_eq!(best, vec![8]);
    }

    /// A search finds exactly the children it should: the others are left out.
    #[test]
    fn a_search_leaves_out_every_child_it_does_not_match() {
        let idx = index(&["李明", "张明", "张小珠", "赵子轩", "文小明"]);
        let found = |q: &str| {
            let mut v: Vec<usize> = idx.search(q).iter().map(|h| h.index).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(found("zxz"), vec![2]);
        assert_eq!(found("张"), vec![1, 2]);
        assert_eq!(found("zhangm"), vec![1]);
        assert_eq!(found("ming"), vec![0, 1, 4]);
        assert_eq!(found("qq"), Vec::<usize>::new());
        assert_eq!(found("明小"), Vec::<usize>::new(), "hanzi out of order");
        assert_eq!(found("文明"), vec![4]);
        assert_eq!(found("七(3)"), Vec::<usize>::new(), "all are in 七(2)班");
    }

    /// The four kinds of match, best first: the whole key, its start, a run inside it,
    /// scattered letters; each a tier of its own.
    #[test]
    fn whole_key_then_start_then_run_then_scattered() {
        let idx = index(&["小华明", "王小明", "小明华", "小明"]);
        let hits = idx.search("xm");
        assert_eq!(
            hits.iter().map(|h| h.index).collect::<Vec<_>>(),
            vec![3, 2, 1, 0]
        );
        let kinds: Vec<i64> = hits.iter().map(|h| h.score / TIER).collect();
        assert!(kinds.windows(2).all(|w| w[0] > w[1]), "{kinds:?}");
    }

    /// More hits than are finely scored: the best kind of match first (all 150 that start
    /// with the query), then the first 50 of the next kind in roster order, scored finely;
    /// the other hits follow unscored, in roster order, even the last 50, which would score
    /// better (a shorter gap) than the first 100.
    #[test]
    fn beyond_the_finely_scored_hits_the_rest_keep_roster_order() {
        // 0–24 score worse than 25–99 and 250–299 (a longer gap); 100–249 start with it.
        let mut names = vec!["文小小明"; 25];
        names.extend(vec!["文小明"; 75]);
        names.extend(vec!["王明华"; 150]);
        names.extend(vec!["文小明"; 50]);
        let idx = index(&names);
        let hits: Vec<usize> = idx.search("wm").iter().map(|h| h.index).collect();
        assert_eq!(hits.len(), 300);
        let sorted = |s: &[usize]| {
            let mut v = s.to_vec();
            v.sort_unstable();
            v
        };
        assert_eq!(sorted(&hits[..150]), (100..250).collect::<Vec<_>>());
        // The first 50 scattered ones in roster order are scored finely: 25–49 before 0–24.
        assert_eq!(hits[150..175].to_vec(), (25..50).collect::<Vec<_>>());
        assert_eq!(hits[175..FINE_LIMIT].to_vec(), (0..25).collect::<Vec<_>>());
        assert_eq!(
            hits[FINE_LIMIT..].to_vec(),
            (50..100).chain(250..300).collect::<Vec<_>>()
        );
        // Refining from a shorter query's hits finds the same, in the same order.
        let previous = idx.search("w");
        let refined: Vec<usize> = idx
            .refine("wm", &previous)
            .iter()
            .map(|h| h.index)
            .collect();
        assert_eq!(refined, hits);
    }

    #[test]
    fn pinyin_of_a_name() {
        let (i, f) = pinyin_keys("张小珠");
        assert_eq!(i, vec!["zxz"]);
        assert_eq!(f, vec!["zhangxiaozhu"]);
        // A middle dot or a space between the parts of a name is not part of a key; Latin
        // letters and digits are, in lower case; a name that starts with one too.
        assert_eq!(
            pinyin_keys("阿依·木拉提"),
            (
                vec!["aymlt".to_string(), "eymlt".to_string()],
                vec!["ayimulati".to_string(), "eyimulati".to_string()]
            )
        );
        assert_eq!(
            pinyin_keys("Anna李2"),
            (
                vec!["anna l2".replace(' ', "")],
                vec!["annali2".to_string()]
            )
        );
        assert_eq!(pinyin_keys(" "), (Vec::new(), Vec::new()));
        assert_eq!(pinyin_keys("·"), (Vec::new(), Vec::new()));
    }

    #[test]
    fn polyphonic_surnames_have_every_reading() {
        let (i, f) = pinyin_keys("曾小明");
        assert!(
            i.contains(&"zxm".to_string()) && i.contains(&"cxm".to_string()),
            "{i:?}"
        );
        assert!(f.contains(&"zengxiaoming".to_string()), "{f:?}");
        let (_, f) = pinyin_keys("单丽");
        assert!(f.contains(&"shanli".to_string()), "{f:?}");
    }

    #[test]
    fn finds_by_initials_full_pinyin_and_hanzi() {
        let idx = index(&["李明", "张明", "张小珠", "赵子轩"]);
        for q in ["zxz", "zhangxz", "张小", "ZXZ", "zhangxiaozhu"] {
            assert_eq!(first(&idx, q), Some(2), "{q}");
        }
    }

    #[test]
    fn exact_initials_rank_above_a_looser_match() {
        // 周子轩张's initials zzxz hold zxz; 张小珠's are exactly zxz.
        let idx = index(&["周子轩张", "张小珠"]);
        assert_eq!(first(&idx, "zxz"), Some(1));
        assert_eq!(idx.search("zxz").len(), 2);
    }

    #[test]
    fn finds_by_class_village_guardian_and_student_number() {
        let idx = SearchIndex::build([
            SearchFields {
                name: "王芳",
                class: "八(1)班",
                village: Some("石门村"),
                guardian: Some("王大爷"),
                student_no: Some("20240701"),
            },
            SearchFields {
                name: "李明",
                class: "七(2)班",
                ..SearchFields::default()
            },
        ]);
        // As an input method types them too: full-width brackets and digits.
        for q in [
            "石门",
            "王大爷",
            "20240701",
            "八(1)",
            "八（1）",
            "２０２４０７０１",
        ] {
            assert_eq!(first(&idx, q), Some(0), "{q}");
        }
        assert_eq!(first(&idx, "七（2）"), Some(1));
        assert!(idx.search("不存在").is_empty());
    }

    #[test]
    fn empty_query_matches_nobody_and_refine_narrows() {
        let idx = index(&["张小珠", "张晓志", "李明"]);
        assert!(idx.search("  ").is_empty());
        let z = idx.search("z");
        assert_eq!(z.len(), 2);
        let zx = idx.refine("zxz", &z);
        assert_eq!(zx, idx.search("zxz"));
    }

    #[test]
    fn many_hits_keep_the_best_first_and_every_hit_once() {
        let mut names: Vec<String> = (0..400).map(|i| format!("李明{i}")).collect();
        names.push("李明".to_string());
        names.push("刘梅".to_string());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let idx = index(&refs);
        let hits = idx.search("lm");
        assert_eq!(hits.len(), 402, "every child whose initials hold lm");
        assert_eq!(hits[0].index, 400, "the exact initials first");
        let mut seen: Vec<usize> = hits.iter().map(|h| h.index).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 402);
        assert!(
            hits.windows(2).all(|w| w[0].score >= w[1].score),
            "best first"
        );
        assert_eq!(idx.refine("lm3", &hits), idx.search("lm3"));
    }

    #[test]
    fn names_without_pinyin_do_not_panic() {
        let idx = index(&["", "Anna", "😀", "李 明"]);
        assert_eq!(first(&idx, "anna"), Some(1));
        assert_eq!(first(&idx, "lm"), Some(3));
    }
}
