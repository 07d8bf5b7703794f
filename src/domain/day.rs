//! How dates are serialised: as `2026-11-29` for people (JSON), as a day number for the
//! database (postcard), where a string date would cost a parse per field on every read.
//! Use with `#[serde(with = "crate::domain::day")]` (or `day::opt` for `Option<NaiveDate>`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        date.serialize(s)
    } else {
        date.num_days_from_ce().serialize(s)
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    if d.is_human_readable() {
        NaiveDate::deserialize(d)
    } else {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n)
            .ok_or_else(|| D::Error::custom(format!("day number {n} is not a date")))
    }
}

pub mod opt {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct W<'a>(#[serde(with = "super")] &'a NaiveDate);
        date.as_ref().map(W).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        #[derive(Deserialize)]
        struct W(#[serde(with = "super")] NaiveDate);
        Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        #[serde(with = "super")]
        a: NaiveDate,
        #[serde(with = "super::opt")]
        b: Option<NaiveDate>,
    }

    #[test]
    fn compact_in_the_database_readable_in_json() {
        let t = T {
            a: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            b: Some(NaiveDate::from_ymd_opt(2014, 5, 3).unwrap()),
        };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"a":"2026-11-29","b":"2014-05-03"}"#);
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), t);
        let bytes = postcard::to_stdvec(&t).unwrap();
        assert!(bytes.len() <= 8, "{bytes:?}");
        assert_eq!(postcard::from_bytes::<T>(&bytes).unwrap(), t);
        let none = T { b: None, ..t };
        assert_eq!(
            postcard::from_bytes::<T>(&postcard::to_stdvec(&none).unwrap()).unwrap(),
            none
        );
    }
}
