//! The resident identity card number (公民身份号码, GB 11643): 18 characters — a six-digit
//! region code, the birth date as yyyymmdd, a three-digit sequence whose last digit is odd
//! for a boy and even for a girl, and a check character (ISO 7064 MOD 11-2, `0`–`9` or `X`).
//!
//! Reading, checking and masking only; who may see the whole number is the service's
//! decision. Nothing here logs or prints a number.

use chrono::NaiveDate;

use super::child::Gender;

/// A checked identity number: 17 digits and a check character, `X` upper-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber(String);

/// Why a text is not an identity number, in both UI languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Not 18 characters of digits (and a final X).
    Shape,
    /// The check character does not match the other 17 (a digit mistyped).
    Check { expected: char },
    /// The date inside is not a date.
    Date,
}

impl IdError {
    pub fn zh(&self) -> String {
        match self {
            IdError::Shape => "18 位身份证号 (17 位数字加一位数字或 X)".into(),
            IdError::Check { expected } => format!(
                "校验位正确的身份证号 (按前 17 位, 最后一位应为 {expected}; 请核对是否抄错了数字)"
            ),
            IdError::Date => "第 7 到 14 位是出生日期 (年月日) 的身份证号".into(),
        }
    }
    pub fn en(&self) -> String {
        match self {
            IdError::Shape => "an 18-character ID number (17 digits, then a digit or X)".into(),
            IdError::Check { expected } => format!(
                "an ID number whose check character is right (from the first 17 digits it should be {expected}; look for a mistyped digit)"
            ),
            IdError::Date => "an ID number whose characters 7 to 14 are a birth date".into(),
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

impl IdNumber {
    /// Reads a number as written: spaces, a leading apostrophe (Excel's "keep as text") and a
    /// lower-case x are forgiven; everything else must be right.
    pub fn parse(text: &str) -> Result<IdNumber, IdError> {
        let t: String = text
            .trim()
            .trim_start_matches(['\'', '‘', '’'])
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == 'x' { 'X' } else { c })
            .collect();
        let chars: Vec<char> = t.chars().collect();
        if chars.len() != 18
            || !chars[..17].iter().all(char::is_ascii_digit)
            || !(chars[17].is_ascii_digit() || chars[17] == 'X')
        {
            return Err(IdError::Shape);
        }
        let sum: u32 = chars[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
            .sum();
        let expected = CHECK[(sum % 11) as usize];
        let number = IdNumber(t);
        if number.birth().is_none() {
            return Err(IdError::Date);
        }
        if chars[17] != expected {
            return Err(IdError::Check { expected });
        }
        Ok(number)
    }

    /// The birth date the number carries.
    pub fn birth(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.0.get(6..14)?, "%Y%m%d").ok()
    }

    /// The gender the number carries (the 17th digit: odd for a boy).
    pub fn gender(&self) -> Gender {
        match self.0.as_bytes().get(16).map(|b| b.wrapping_sub(b'0') % 2) {
            Some(1) => Gender::Male,
            _ => Gender::Female,
        }
    }

    /// The number of a child born on `birth` in the region `region` (six digits), with the
    /// sequence `sequence` (0–499) made odd or even by `gender`: for demonstration schools.
    pub fn compose(region: &str, birth: NaiveDate, sequence: u16, gender: Gender) -> Option<Self> {
        let last = (sequence % 500) * 2 + u16::from(gender == Gender::Male);
        let first = format!("{region}{}{last:03}", birth.format("%Y%m%d"));
        let sum: u32 = first
            .chars()
            .zip(WEIGHTS)
            .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
            .sum();
        IdNumber::parse(&format!("{first}{}", CHECK[(sum % 11) as usize])).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A number as everyone but an administrator sees it: the first four and the last four
/// characters, stars between (4305**********1008). Anything shorter than nine characters is
/// all stars.
pub fn mask_id(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 9 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    chars[..4]
        .iter()
        .copied()
        .chain(std::iter::repeat_n('*', n - 8))
        .chain(chars[n - 4..].iter().copied())
        .collect()
}

/// `text` with every identity number in it masked — any run of 15 or more digits (with a
/// final X): a 身份证号 of 18 characters or an old one of 15, or a 学籍号 written G + the
/// number: for what may reach a log, a terminal or someone who is not an administrator.
/// Phone numbers (11 or 12 digits in China) and student numbers stay as they are.
pub fn mask_ids_in(text: &str) -> std::borrow::Cow<'_, str> {
    // Too short to hold a run of 15 digits (a student number, most of a roster's cells).
    if text.len() < 15 {
        return std::borrow::Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let long_run = |from: usize| {
        let digits = bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let x = usize::from(matches!(bytes.get(from + digits), Some(b'X' | b'x')));
        (digits >= 15).then_some(digits + x)
    };
    let mut i = 0;
    let mut out: Option<String> = None;
    let mut copied = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit());
        if starts && let Some(len) = long_run(i) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            o.push_str(&mask_id(&text[i..i + len]));
            i += len;
            copied = i;
            continue;
        }
        i += 1;
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            std::borrow::Cow::Owned(o)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Whether a text is a masked number (what a non-administrator was shown, sent back as it
/// was by an edit).
pub fn is_masked(number: &str) -> bool {
    number.contains('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_right_number_gives_its_birth_and_gender() {
        // 43052420141202123 → check character computed by hand: sum % 11 = 4 → 8.
        let id = IdNumber::parse("430524201412021238").unwrap();
        assert_eq!(id.birth(), NaiveDate::from_ymd_opt(2014, 12, 2));
        assert_eq!(id.gender(), Gender::Male);
        assert_eq!(
            IdNumber::parse(" '43052420141202123 8").unwrap().as_str(),
            "430524201412021238"
        );
        let x = IdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(x.as_str(), "11010519491231002X");
        assert_eq!(x.gender(), Gender::Female);
        let made = IdNumber::compose(
            "430524",
            NaiveDate::from_ymd_opt(2014, 12, 2).unwrap(),
            61,
            Gender::Male,
        );
        assert_eq!(made.map(|m| m.0), Some("430524201412021238".to_string()));
    }

    #[test]
    fn a_wrong_check_character_says_which_it_should_be() {
        assert_eq!(
            IdNumber::parse("430524201412021239"),
            Err(IdError::Check { expected: '8' })
        );
        assert_eq!(IdNumber::parse("4305242014120212"), Err(IdError::Shape));
        assert_eq!(IdNumber::parse("4.30524E+17"), Err(IdError::Shape));
        assert_eq!(IdNumber::parse("430524201413021236"), Err(IdError::Date));
    }

    #[test]
    fn numbers_inside_text_are_masked_and_phones_are_not() {
        assert_eq!(
            mask_ids_in("学号 G430524201412021238, 电话 13907391234"),
            "学号 G4305**********1238, 电话 13907391234"
        );
        assert_eq!(
            mask_ids_in("\"id_no\":\"11010519491231002x\""),
            "\"id_no\":\"1101**********002x\""
        );
        assert_eq!(
            mask_ids_in("430524141202123"),
            "4305*******2123",
            "an old 15-digit ID"
        );
        assert_eq!(mask_ids_in("07391234567890"), "07391234567890");
        // The shortest that is masked, and one digit short of it.
        assert_eq!(mask_ids_in("43052414120212"), "43052414120212");
        assert_eq!(mask_ids_in("430524141202123"), "4305*******2123");
        assert_eq!(mask_ids_in("张三"), "张三");
    }

    #[test]
    fn masking_keeps_four_and_four() {
        assert_eq!(mask_id("430524201412021238"), "4305**********1238");
        assert_eq!(mask_id("12345678"), "********");
        assert!(is_masked(&mask_id("430524201412021238")));
        assert!(!is_masked("430524201412021238"));
    }
}
