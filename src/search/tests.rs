//! The search module's tests: the keys, the matching, the order of hits.
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
