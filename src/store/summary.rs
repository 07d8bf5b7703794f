//! The roster summary's bytes (schema 9): a fixed layout read in place, field by field,
//! instead of a serde decoding. Every list, the queue and the app's first screen read all
//! the school's summaries, so their decoding was most of what those commands cost.
//!
//! Layout, little-endian:
//!
//! ```text
//! id u64 | birth i32 | opened i32 | surveyed i32 | mentor u64 | flags u8 | gender u8
//! | left_behind u8 | status u8 | slots u16
//! | for each slot set in `slots`, lowest first: day i32, event u64
//! | the lengths of name, student_no, class, village, guardian_name and archive reason: u32
//!   each (u32::MAX for none) | their UTF-8 bytes, one after the other
//! ```
//!
//! The texts are checked as UTF-8 in one pass, then cut at their lengths (each cut must fall
//! between two characters).
//!
//! `flags`: 1 key support, 2 poverty support, 4 boarding, 8 has a mentor, 16 surveyed.
//! `status`: 0 active, 1 parents returned, 2 graduated, 3 transferred, 4 another reason (its
//! text is the last string). Bytes that do not follow the layout are an error naming the
//! type, never a panic: the file is the user's, and it may be damaged.
//!
//! This module must not know about tables, transactions or the domain's rules.

use std::borrow::Cow;

use chrono::NaiveDate;
use redb::{TypeName, Value};

use super::codec::CodecError;
use crate::domain::{
    ArchiveReason, ChildId, ChildSummary, Gender, LAST_EVENT_SLOTS, LastEvents, LeftBehindType,
    StaffId, Status,
};

/// The name redb records for the table's values. Never change it.
const TYPE_NAME: &str = "guanai.ChildSummary.fixed";

/// The table value type of the roster.
#[derive(Debug)]
pub struct SummaryRec;

/// One summary's bytes, borrowed from the page when read.
#[derive(Debug)]
pub struct SummaryBytes<'a>(Cow<'a, [u8]>);

const KEY_SUPPORT: u8 = 1;
const POVERTY_SUPPORT: u8 = 2;
const BOARDING: u8 = 4;
const HAS_MENTOR: u8 = 8;
const SURVEYED: u8 = 16;
const NONE: u32 = u32::MAX;

fn day(d: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d)
}

fn error(action: &'static str, source: postcard::Error) -> CodecError {
    CodecError {
        type_name: TYPE_NAME,
        action,
        source,
    }
}

impl SummaryBytes<'static> {
    pub fn encode<S: AsRef<str>>(s: &ChildSummary<S>) -> Result<Self, CodecError> {
        let mut out = Vec::with_capacity(160);
        out.extend_from_slice(&s.id.0.to_le_bytes());
        out.extend_from_slice(&day(s.birth).to_le_bytes());
        out.extend_from_slice(&day(s.opened).to_le_bytes());
        out.extend_from_slice(&s.surveyed.map_or(0, day).to_le_bytes());
        out.extend_from_slice(&s.mentor.map_or(0, |m| m.0).to_le_bytes());
        let flags = [
            (s.key_support, KEY_SUPPORT),
            (s.poverty_support, POVERTY_SUPPORT),
            (s.boarding, BOARDING),
            (s.mentor.is_some(), HAS_MENTOR),
            (s.surveyed.is_some(), SURVEYED),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |f, (_, bit)| f | bit);
        out.push(flags);
        out.push(match s.gender {
            Gender::Male => 0,
            Gender::Female => 1,
        });
        out.push(match s.left_behind {
            LeftBehindType::BothParents => 0,
            LeftBehindType::OneParent => 1,
        });
        let (status, reason) = match &s.status {
            Status::Active => (0, None),
            Status::Archived(ArchiveReason::ParentsReturned) => (1, None),
            Status::Archived(ArchiveReason::Graduated) => (2, None),
            Status::Archived(ArchiveReason::Transferred) => (3, None),
            Status::Archived(ArchiveReason::Other(text)) => (4, Some(text.as_str())),
        };
        out.push(status);
        let slots = s.last.slots();
        let set = slots
            .iter()
            .enumerate()
            .filter(|(_, (_, event))| *event != 0)
            .fold(0u16, |m, (i, _)| m | (1 << i));
        out.extend_from_slice(&set.to_le_bytes());
        for (d, event) in slots.iter().filter(|(_, event)| *event != 0) {
            out.extend_from_slice(&d.to_le_bytes());
            out.extend_from_slice(&event.to_le_bytes());
        }
        let texts = [
            Some(s.name.as_ref()),
            s.student_no.as_ref().map(AsRef::as_ref),
            Some(s.class.as_ref()),
            s.village.as_ref().map(AsRef::as_ref),
            s.guardian_name.as_ref().map(AsRef::as_ref),
            reason,
        ];
        for text in texts {
            let len = match text {
                Some(t) => u32::try_from(t.len())
                    .ok()
                    .filter(|&n| n != NONE)
                    .ok_or_else(|| error("encoded", postcard::Error::SerializeBufferFull))?,
                None => NONE,
            };
            out.extend_from_slice(&len.to_le_bytes());
        }
        for text in texts.into_iter().flatten() {
            out.extend_from_slice(text.as_bytes());
        }
        Ok(SummaryBytes(Cow::Owned(out)))
    }
}

/// Reads the layout front to back; `None` when the bytes end early.
struct Fields<'a> {
    bytes: &'a [u8],
}

impl<'a> Fields<'a> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.bytes.split_first_chunk::<N>()?;
        self.bytes = rest;
        Some(*head)
    }

    fn i32(&mut self) -> Option<i32> {
        self.take().map(i32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }

    /// The next `n` bytes.
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }
}

fn date(d: i32) -> Result<NaiveDate, CodecError> {
    NaiveDate::from_num_days_from_ce_opt(d)
        .ok_or_else(|| error("decoded", postcard::Error::DeserializeBadEncoding))
}

fn utf8(bytes: &[u8]) -> Result<&str, CodecError> {
    std::str::from_utf8(bytes).map_err(|_| error("decoded", postcard::Error::DeserializeBadUtf8))
}

impl SummaryBytes<'_> {
    /// The summary with its text borrowed from these bytes: no copies.
    pub fn decode_borrowed(&self) -> Result<ChildSummary<&str>, CodecError> {
        let end = || error("decoded", postcard::Error::DeserializeUnexpectedEnd);
        let bad = || error("decoded", postcard::Error::DeserializeBadEnum);
        let mut f = Fields { bytes: &self.0 };
        let id = f.u64().ok_or_else(end)?;
        let birth = f.i32().ok_or_else(end)?;
        let opened = f.i32().ok_or_else(end)?;
        let surveyed = f.i32().ok_or_else(end)?;
        let mentor = f.u64().ok_or_else(end)?;
        let [flags, gender, left_behind, status] = f.take::<4>().ok_or_else(end)?;
        let set = f.take().map(u16::from_le_bytes).ok_or_else(end)?;
        let mut slots = [(0i32, 0u64); LAST_EVENT_SLOTS];
        for (i, slot) in slots.iter_mut().enumerate() {
            if set & (1 << i) != 0 {
                *slot = (f.i32().ok_or_else(end)?, f.u64().ok_or_else(end)?);
                if slot.1 == 0 {
                    return Err(bad());
                }
            }
        }
        let mut lens = [0u32; 6];
        for len in &mut lens {
            *len = f.take().map(u32::from_le_bytes).ok_or_else(end)?;
        }
        let total = lens
            .iter()
            .filter(|&&n| n != NONE)
            .try_fold(0usize, |sum, &n| sum.checked_add(n as usize))
            .ok_or_else(end)?;
        let all = utf8(f.bytes(total).ok_or_else(end)?)?;
        if !f.bytes.is_empty() || flags >> 5 != 0 {
            return Err(error("decoded", postcard::Error::DeserializeBadEncoding));
        }
        let mut at = 0usize;
        let mut texts = [None; 6];
        for (text, &len) in texts.iter_mut().zip(&lens) {
            if len != NONE {
                let next = at + len as usize;
                *text = Some(
                    all.get(at..next)
                        .ok_or_else(|| error("decoded", postcard::Error::DeserializeBadUtf8))?,
                );
                at = next;
            }
        }
        let [name, student_no, class, village, guardian_name, reason] = texts;
        let (name, class) = (name.ok_or_else(bad)?, class.ok_or_else(bad)?);
        let status = match (status, reason) {
            (0, None) => Status::Active,
            (1, None) => Status::Archived(ArchiveReason::ParentsReturned),
            (2, None) => Status::Archived(ArchiveReason::Graduated),
            (3, None) => Status::Archived(ArchiveReason::Transferred),
            (4, Some(text)) => Status::Archived(ArchiveReason::Other(text.to_string())),
            _ => return Err(bad()),
        };
        Ok(ChildSummary {
            id: ChildId(id),
            name,
            gender: match gender {
                0 => Gender::Male,
                1 => Gender::Female,
                _ => return Err(bad()),
            },
            birth: date(birth)?,
            student_no,
            class,
            village,
            left_behind: match left_behind {
                0 => LeftBehindType::BothParents,
                1 => LeftBehindType::OneParent,
                _ => return Err(bad()),
            },
            mentor: (flags & HAS_MENTOR != 0).then_some(StaffId(mentor)),
            guardian_name,
            key_support: flags & KEY_SUPPORT != 0,
            poverty_support: flags & POVERTY_SUPPORT != 0,
            boarding: flags & BOARDING != 0,
            status,
            opened: date(opened)?,
            surveyed: (flags & SURVEYED != 0)
                .then(|| date(surveyed))
                .transpose()?,
            last: LastEvents::from_slots(slots),
        })
    }

    /// The summary, its text copied out.
    pub fn decode(&self) -> Result<ChildSummary, CodecError> {
        self.decode_borrowed().map(|s| s.to_owned_summary())
    }
}

impl Value for SummaryRec {
    type SelfType<'a>
        = SummaryBytes<'a>
    where
        Self: 'a;
    type AsBytes<'a>
        = &'a [u8]
    where
        Self: 'a;

    fn fixed_width() -> Option<usize> {
        None
    }

    fn from_bytes<'a>(data: &'a [u8]) -> SummaryBytes<'a>
    where
        Self: 'a,
    {
        SummaryBytes(Cow::Borrowed(data))
    }

    fn as_bytes<'a, 'b: 'a>(value: &'a SummaryBytes<'b>) -> &'a [u8]
    where
        Self: 'b,
    {
        &value.0
    }

    fn type_name() -> TypeName {
        TypeName::new(TYPE_NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EventKind;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn sample() -> ChildSummary {
        let mut last = LastEvents::default();
        last.record(EventKind::Talk, d(2026, 11, 3), crate::domain::EventId(41));
        last.record(EventKind::Call, d(2026, 10, 30), crate::domain::EventId(7));
        ChildSummary {
            id: ChildId(1234),
            name: "王小明".into(),
            gender: Gender::Female,
            birth: d(2014, 5, 3),
            student_no: Some("20140503".into()),
            class: "四(2)班".into(),
            village: None,
            left_behind: LeftBehindType::OneParent,
            mentor: Some(StaffId(0)),
            guardian_name: Some("王奶奶".into()),
            key_support: true,
            poverty_support: false,
            boarding: true,
            status: Status::Archived(ArchiveReason::Other("随父母去广东".into())),
            opened: d(2025, 9, 1),
            surveyed: None,
            last,
        }
    }

    fn round_trip(s: &ChildSummary) -> ChildSummary {
        let bytes = SummaryBytes::encode(s).unwrap();
        SummaryRec::from_bytes(SummaryRec::as_bytes(&bytes))
            .decode()
            .unwrap()
    }

    #[test]
    fn a_summary_comes_back_as_it_went_in() {
        let s = sample();
        assert_eq!(round_trip(&s), s);
        // Staff id 0 is a mentor, not the absence of one; no survey is not day 0.
        let mut other = sample();
        other.mentor = None;
        other.surveyed = Some(d(2026, 9, 15));
        other.status = Status::Active;
        other.student_no = Some(String::new());
        assert_eq!(round_trip(&other), other);
    }

    #[test]
    fn damaged_bytes_are_an_error_naming_the_type() {
        let good = SummaryBytes::encode(&sample()).unwrap();
        let bytes = SummaryRec::as_bytes(&good).to_vec();
        // Cut anywhere: an error, never a panic.
        for cut in 0..bytes.len() {
            let err = SummaryRec::from_bytes(&bytes[..cut]).decode().unwrap_err();
            assert!(err.to_string().contains(TYPE_NAME), "{err}");
        }
        // A byte too many, an unknown gender, an unknown flag, invalid UTF-8 in the name.
        let mut longer = bytes.clone();
        longer.push(0);
        let mut gender = bytes.clone();
        gender[29] = 9;
        let mut flags = bytes.clone();
        flags[28] |= 0x80;
        let mut text = bytes.clone();
        let name_at = 34 + 2 * 12 + 6 * 4;
        text[name_at] = 0xff;
        // The name's length one short and the student number's one long: the same bytes, cut
        // inside the name's last character.
        let mut cut = bytes.clone();
        let lens_at = 34 + 2 * 12;
        cut[lens_at] -= 1;
        cut[lens_at + 4] += 1;
        for broken in [longer, gender, flags, text, cut] {
            let err = SummaryRec::from_bytes(&broken).decode().unwrap_err();
            assert!(err.to_string().contains("could not be decoded"), "{err}");
        }
    }

    fn any_summary() -> impl Strategy<Value = ChildSummary> {
        (
            (
                any::<u64>(),
                "[一-龥]{1,4}",
                proptest::option::of("[0-9A-Z]{0,12}"),
            ),
            (
                proptest::option::of(any::<u64>()),
                any::<[bool; 3]>(),
                0u8..5,
            ),
            proptest::collection::vec((0u8..16, 700_000i32..750_000, 1u64..1_000_000), 0..20),
            proptest::option::of(700_000i32..750_000),
        )
            .prop_map(
                |((id, name, no), (mentor, flags, status), events, surveyed)| {
                    let mut last = LastEvents::default();
                    let mut slots = *last.slots();
                    for (slot, day, event) in events {
                        slots[slot as usize] = (day, event);
                    }
                    last = LastEvents::from_slots(slots);
                    ChildSummary {
                        id: ChildId(id),
                        name,
                        gender: if flags[0] {
                            Gender::Male
                        } else {
                            Gender::Female
                        },
                        birth: d(2013, 2, 28),
                        student_no: no,
                        class: "七(2)班".into(),
                        village: Some("石门村".into()),
                        left_behind: if flags[1] {
                            LeftBehindType::BothParents
                        } else {
                            LeftBehindType::OneParent
                        },
                        mentor: mentor.map(StaffId),
                        guardian_name: None,
                        key_support: flags[2],
                        poverty_support: !flags[2],
                        boarding: flags[0],
                        status: match status {
                            0 => Status::Active,
                            1 => Status::Archived(ArchiveReason::ParentsReturned),
                            2 => Status::Archived(ArchiveReason::Graduated),
                            3 => Status::Archived(ArchiveReason::Transferred),
                            _ => Status::Archived(ArchiveReason::Other("转学".into())),
                        },
                        opened: d(2025, 9, 1),
                        surveyed: surveyed.and_then(NaiveDate::from_num_days_from_ce_opt),
                        last,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn any_summary_round_trips(s in any_summary()) {
            prop_assert_eq!(round_trip(&s), s);
        }

        #[test]
        fn any_bytes_decode_or_fail_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = SummaryRec::from_bytes(&bytes).decode();
        }
    }
}
