//! The checks every text, name and date passes before it is stored, and the JSON the audit
//! log keeps of a record. Shared by every family of commands and by the dump check.
//!
//! Pure functions of their arguments: no database, no identity, no wording beyond the
//! refusal's expected value.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Field, Result, ServiceError};
use crate::domain::{Event, is_hidden_control, normalize_phone};

/// Longest name, class or number, in characters.
pub(super) const NAME: usize = 50;
/// Longest one-line text (a workplace, an address, a situation).
pub(super) const LONG: usize = 300;
/// Longest item in short lists (who was present).
pub(super) const SHORT: usize = 50;
/// Longest note on an event.
pub(super) const NOTE: usize = 10_000;
/// A pupil is at most this old.
pub(super) const OLDEST_PUPIL_YEARS: i64 = 30;

/// A one-line text field: trimmed, no control characters (a tab or an escape sequence would
/// break every table and could drive a colleague's terminal) and no direction overrides (which
/// make a name read as another), at most `max` characters. What a Chinese input method types
/// in full width (（1）, ２０２６, ：, the ideographic space) is stored in its ASCII form, so
/// that 一（1）班 and 一(1)班 are one class and a search finds both; prose (a note) keeps what
/// was typed.
pub(super) fn line(field: Field, value: &str, max: usize) -> Result<String> {
    let half = crate::domain::half_width(value);
    let v = half.trim();
    if v.chars().any(is_hidden_control) {
        return Err(ServiceError::invalid_with(
            field,
            &shown(v),
            "一行文字, 不含制表符、换行、转义序列或文字方向控制符",
            "one line of text, without tabs, line breaks, escape sequences or direction overrides",
        ));
    }
    check_length(field, v, max)?;
    Ok(v.to_string())
}

pub(super) fn opt_line(field: Field, value: &Option<String>, max: usize) -> Result<Option<String>> {
    match value {
        Some(v) => Ok(Some(line(field, v, max)?).filter(|v| !v.is_empty())),
        None => Ok(None),
    }
}

pub(super) fn opt_phone(field: Field, value: &Option<String>) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => Ok(Some(
            normalize_phone(p).map_err(|e| ServiceError::invalid(field, e))?,
        )),
        _ => Ok(None),
    }
}

/// A note: several lines allowed, other control characters not.
pub(super) fn note(field: Field, value: &str) -> Result<String> {
    let v = value.trim();
    if v.chars().any(|c| is_hidden_control(c) && c != '\n') {
        return Err(ServiceError::invalid_with(
            field,
            &shown(v),
            "文字, 可以换行, 不含制表符、转义序列或文字方向控制符",
            "text, line breaks allowed, no tabs, escape sequences or direction overrides",
        ));
    }
    check_length(field, v, NOTE)?;
    Ok(v.to_string())
}

/// A refused text as a message quotes it: its hidden characters made visible (\u{202e},
/// \t), and a long one cut after 40 characters with its length, so that the message, not
/// the text, is what the user reads.
fn shown(v: &str) -> String {
    let n = v.chars().count();
    let start: String = v.chars().take(40).collect();
    let mut out = start.escape_debug().to_string();
    if n > 40 {
        out.push_str(&format!("… ({n} 字/chars)"));
    }
    out
}

pub(super) fn check_length(field: Field, v: &str, max: usize) -> Result<()> {
    let n = v.chars().count();
    if n > max {
        let start: String = v.chars().take(20).collect();
        return Err(ServiceError::invalid_with(
            field,
            &format!("{start}… ({n} 字/chars)"),
            &format!("不超过 {max} 个字"),
            &format!("at most {max} characters"),
        ));
    }
    Ok(())
}

/// A Unix account name as `useradd` accepts it.
pub(super) fn unix_name(u: &str) -> Result<String> {
    let ok = u.len() <= 32
        && u.chars().enumerate().all(|(i, c)| {
            c.is_ascii_lowercase()
                || c == '_'
                || (i > 0 && (c.is_ascii_digit() || c == '-' || c == '.'))
        });
    if ok {
        Ok(u.to_string())
    } else {
        Err(ServiceError::invalid_with(
            Field::Unix,
            u,
            "系统用户名: 小写字母或 _ 开头, 由小写字母、数字、_ - . 组成, 不超过 32 个字符",
            "a Unix user name: a lowercase letter or _ first, then lowercase letters, digits, _ - or ., at most 32 characters",
        ))
    }
}

pub(super) fn future_date(field: Field, date: NaiveDate, today: NaiveDate) -> ServiceError {
    ServiceError::invalid_with(
        field,
        &date.to_string(),
        &format!("不晚于今天 ({today}) 的日期"),
        &format!("a date no later than today ({today})"),
    )
}

/// A record as the audit log keeps it: JSON, with every identity number masked wherever it
/// stands (身份证号, a 学籍号 written G + the number, a note): the log is read by whoever may
/// read the audit, and a number must never be logged whole.
pub(super) fn json<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    crate::domain::mask_ids_in(&text).into_owned()
}

/// An event as the audit log keeps it: counselling summaries stay out of the log.
pub(super) fn audit_json(event: &Event) -> String {
    if event.kind.is_restricted() {
        let mut e = event.clone();
        e.summary = String::from("[restricted]");
        json(&e)
    } else {
        json(event)
    }
}

/// Refuses an empty (or all-blank) `value` of `field`, saying what is wanted.
pub(super) fn not_empty(field: Field, value: &str, zh: &str, en: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(ServiceError::invalid_with(field, value, zh, en));
    }
    Ok(())
}
