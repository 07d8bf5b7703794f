//! The roster's columns: the header exported (Chinese), and every alias accepted on import.
//! docs/import.md lists the same table; a test keeps them in step.

/// One column of the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The key used in code and accepted as an English header.
    pub key: &'static str,
    /// The header written on export (and accepted on import).
    pub header: &'static str,
    /// Other headers accepted on import.
    pub aliases: &'static [&'static str],
    pub required: bool,
}

const fn col(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    required: bool,
) -> Column {
    Column {
        key,
        header,
        aliases,
        required,
    }
}

/// Every column of a child's file on the roster, in export order (and the file form's).
pub const COLUMNS: &[Column] = &[
    col(
        "student_no",
        "学号",
        &["学籍号", "学生学籍号", "学籍辅号"],
        false,
    ),
    col("name", "姓名", &["学生姓名", "儿童姓名"], true),
    col("gender", "性别", &[], true),
    col(
        "birth",
        "出生日期",
        &["出生年月", "生日", "出生年月日"],
        true,
    ),
    col("class", "班级", &["所在班级", "就读班级"], false),
    col(
        "id_no",
        "身份证号",
        &[
            "公民身份证号码",
            "身份证号码",
            "公民身份号码",
            "身份证",
            "儿童身份证号",
        ],
        false,
    ),
    col(
        "village",
        "村",
        &["住址/村", "所在村", "村组", "村(居)", "村(社区)"],
        false,
    ),
    col(
        "address",
        "住址",
        &["家庭住址", "现居住地", "现住址", "家庭详细住址"],
        false,
    ),
    col(
        "boarding",
        "寄宿",
        &["是否寄宿", "是否学校寄宿", "是否住校", "寄宿情况"],
        false,
    ),
    col("type", "留守类型", &["留守情况", "留守儿童类型"], false),
    col("since", "留守起始日期", &["留守时间"], false),
    col("opened", "建档日期", &[], false),
    col("father", "父亲姓名", &["父亲"], false),
    col(
        "father_phone",
        "父亲电话",
        &["父亲联系电话", "父亲手机"],
        false,
    ),
    col(
        "father_work",
        "父亲务工地",
        &[
            "父亲务工地点",
            "父亲外出务工地",
            "父亲当前务工地点",
            "父亲务工单位",
        ],
        false,
    ),
    col("mother", "母亲姓名", &["母亲"], false),
    col(
        "mother_phone",
        "母亲电话",
        &["母亲联系电话", "母亲手机"],
        false,
    ),
    col(
        "mother_work",
        "母亲务工地",
        &[
            "母亲务工地点",
            "母亲外出务工地",
            "母亲当前务工地点",
            "母亲务工单位",
        ],
        false,
    ),
    col(
        "guardian",
        "监护人姓名",
        &[
            "监护人",
            "代理家长",
            "临时监护人",
            "委托监护人姓名",
            "受委托监护人姓名",
        ],
        false,
    ),
    col(
        "guardian_relation",
        "监护人关系",
        &[
            "与学生关系",
            "监护人与学生关系",
            "与被监护人关系",
            "监护人与儿童关系",
            "与儿童关系",
        ],
        false,
    ),
    col(
        "guardian_phone",
        "监护人电话",
        &[
            "监护人联系电话",
            "受委托监护人电话",
            "委托监护人电话",
            "监护人手机",
        ],
        false,
    ),
    col("guardian_age", "监护人年龄", &[], false),
    col(
        "guardian_health",
        "监护人健康状况",
        &["监护人身体情况"],
        false,
    ),
    col("guardianship", "监护类型", &["监护方式"], false),
    col("care", "实际监护情况", &[], false),
    col("assessment", "监护情况评估", &["监护评估"], false),
    col("emergency", "紧急联系人", &["紧急联系人姓名"], false),
    col("emergency_relation", "紧急联系人关系", &[], false),
    col("emergency_phone", "紧急联系人电话", &[], false),
    col(
        "mentor",
        "帮扶教师",
        &["结对教师", "结对帮扶教师", "帮扶责任人"],
        false,
    ),
    col("key_support", "重点帮扶", &["重点帮扶对象"], false),
    col(
        "poverty_support",
        "两免一补",
        &["贫困资助", "济难救助"],
        false,
    ),
    col("special_needs", "特殊需要", &[], false),
    col("buddy", "手拉手好朋友", &["好朋友"], false),
    col("ethnicity", "民族", &[], false),
    col(
        "hukou",
        "户籍所在地",
        &["户籍", "户籍地", "户口所在地"],
        false,
    ),
    col("health", "身体情况", &["健康状况", "身体状况"], false),
    col("remarks", "备注", &[], false),
];

/// Columns of school forms that name a parent by 称谓 rather than in columns of their own
/// (家长姓名, 称谓 父亲, 家长务工单位): read on import into the father's or mother's place
/// (another 称谓, such as 爷爷, is the guardian); never exported.
pub const PARENT_COLUMNS: &[Column] = &[
    col("parent", "家长姓名", &["家长"], false),
    col(
        "parent_relation",
        "称谓",
        &["家长称谓", "与学生关系称谓"],
        false,
    ),
    col(
        "parent_phone",
        "家长电话",
        &["家长联系电话", "家长手机", "联系电话", "家长联系方式"],
        false,
    ),
    col(
        "parent_work",
        "家长务工单位",
        &["家长务工地", "家长务工地点", "务工单位"],
        false,
    ),
];

/// A column's name for English readers (at most 13 characters: the file form's labels).
pub fn label_en(key: &str) -> &'static str {
    match key {
        "student_no" => "Student no.",
        "name" => "Name",
        "gender" => "Gender",
        "birth" => "Birth date",
        "class" => "Class",
        "id_no" => "ID number",
        "village" => "Village",
        "address" => "Address",
        "boarding" => "Boarding",
        "type" => "Who is away",
        "since" => "Away since",
        "opened" => "File opened",
        "father" => "Father",
        "father_phone" => "Father phone",
        "father_work" => "Father works",
        "mother" => "Mother",
        "mother_phone" => "Mother phone",
        "mother_work" => "Mother works",
        "guardian" => "Guardian",
        "guardian_relation" => "Relation",
        "guardian_phone" => "Guard. phone",
        "guardian_age" => "Guard. age",
        "guardian_health" => "Guard. health",
        "guardianship" => "Guardianship",
        "care" => "Actual care",
        "assessment" => "Assessment",
        "emergency" => "Emergency",
        "emergency_relation" => "Emerg. rel.",
        "emergency_phone" => "Emerg. phone",
        "mentor" => "Mentor",
        "key_support" => "Key support",
        "poverty_support" => "Poverty aid",
        "special_needs" => "Special needs",
        "buddy" => "Buddies",
        "ethnicity" => "Ethnicity",
        "hukou" => "Registered in",
        "health" => "Health",
        "remarks" => "Remarks",
        "parent" => "Parent",
        "parent_relation" => "Parent is",
        "parent_phone" => "Parent phone",
        "parent_work" => "Parent works",
        _ => "",
    }
}

/// The column a header names (trimmed, case-insensitive for English names).
pub fn column_for(header: &str) -> Option<&'static Column> {
    let h = normalize_header(header);
    COLUMNS.iter().chain(PARENT_COLUMNS).find(|c| {
        normalize_header(c.header) == h
            || c.key.eq_ignore_ascii_case(&h)
            || c.aliases.iter().any(|a| normalize_header(a) == h)
    })
}

/// A header as it is compared: without any space, full-width space or line break inside it
/// (姓  名, 性　别, 出生⏎日期 are 姓名, 性别, 出生日期), full-width letters, digits and
/// brackets as their ASCII forms, and no byte order mark.
pub fn normalize_header(header: &str) -> String {
    crate::domain::half_width(header)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect()
}

/// Every accepted header, for messages.
pub fn accepted_headers() -> String {
    COLUMNS
        .iter()
        .chain(PARENT_COLUMNS)
        .map(|c| format!("{} ({})", c.header, c.key))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_spaces_breaks_and_widths_they_were_typed_with() {
        for (typed, key) in [
            ("姓  名", "name"),
            ("性　别", "gender"),
            ("出生\n日期", "birth"),
            (" 出生\r\n年月 ", "birth"),
            ("\u{feff}学号", "student_no"),
            ("ＮＡＭＥ", "name"),
            ("父亲联系电话", "father_phone"),
            ("公民身份证号码", "id_no"),
            ("县（市、区）", "-"),
            ("村（居）", "village"),
            ("受委托监护人电话", "guardian_phone"),
            ("父亲当前务工地点", "father_work"),
            ("称  谓", "parent_relation"),
        ] {
            let key = if key == "-" { None } else { Some(key) };
            assert_eq!(column_for(typed).map(|c| c.key), key, "{typed:?}");
        }
        assert_eq!(column_for("备  注 说明").map(|c| c.key), None);
    }

    #[test]
    fn every_column_has_an_english_label_that_fits_the_form() {
        for c in COLUMNS.iter().chain(PARENT_COLUMNS) {
            let l = label_en(c.key);
            assert!(!l.is_empty() && l.len() <= 13, "{}: {l:?}", c.key);
        }
    }

    #[test]
    fn headers_and_aliases_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in COLUMNS.iter().chain(PARENT_COLUMNS) {
            for h in std::iter::once(c.header)
                .chain(std::iter::once(c.key))
                .chain(c.aliases.iter().copied())
            {
                assert!(seen.insert(h), "{h} names two columns");
                assert_eq!(column_for(h).map(|x| x.key), Some(c.key));
            }
        }
        assert_eq!(column_for(" 姓名 ").map(|c| c.key), Some("name"));
        assert_eq!(
            column_for("\u{feff}学号").map(|c| c.key),
            Some("student_no")
        );
        assert_eq!(column_for("NAME").map(|c| c.key), Some("name"));
        assert!(column_for("foo").is_none());
    }

    #[test]
    fn the_import_doc_lists_every_column() {
        let doc = include_str!("../../docs/import.md");
        for c in COLUMNS.iter().chain(PARENT_COLUMNS) {
            assert!(
                doc.contains(&format!("| {} |", c.header)),
                "{} missing in docs/import.md",
                c.header
            );
            assert!(
                doc.contains(&format!("`{}`", c.key)),
                "{} missing in docs/import.md",
                c.key
            );
        }
    }
}
