//! The sheets of text published with the tables (`[[text_sheet]]`): a cover, a contents page,
//! the unit's functions, its 编制说明 … Read into the budget as text, written back in the
//! edition's order around the tables; those marked `narrative` are checked like a 情况说明.

use serde::Deserialize;

/// `[[text_sheet]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTextSheet {
    pub key: String,
    pub sheet: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub narrative: bool,
}

/// A sheet of text of the edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSheetSpec {
    /// Its key in the budget (`explanation`).
    pub key: String,
    /// The sheet's name (`单位编制说明`), as read and written.
    pub sheet: String,
    /// Whether it stands after the tables (`place = "after"`), not before them.
    pub after_tables: bool,
    /// Whether its figures are checked against the tables, as a 情况说明's are.
    pub narrative: bool,
}

/// Resolves the text sheets: keys and sheet names unique, a place of `before` or `after`.
pub(super) fn resolve(raw: &[RawTextSheet]) -> Result<Vec<TextSheetSpec>, String> {
    let mut out: Vec<TextSheetSpec> = Vec::with_capacity(raw.len());
    for r in raw {
        if out.iter().any(|t| t.key == r.key || t.sheet == r.sheet) {
            return Err(format!("文字工作表“{}”（{}）重复", r.sheet, r.key));
        }
        if r.sheet.trim().is_empty() || r.sheet.chars().count() > 31 {
            return Err(format!("文字工作表名“{}”应有 1 到 31 个字符", r.sheet));
        }
        let after_tables = match r.place.as_deref() {
            None | Some("before") => false,
            Some("after") => true,
            Some(other) => {
                return Err(format!(
                    "文字工作表“{}”的 place 应为 before 或 after，而不是“{other}”",
                    r.sheet
                ));
            }
        };
        out.push(TextSheetSpec {
            key: r.key.clone(),
            sheet: r.sheet.clone(),
            after_tables,
            narrative: r.narrative,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(key: &str, sheet: &str, place: Option<&str>) -> RawTextSheet {
        RawTextSheet {
            key: key.into(),
            sheet: sheet.into(),
            place: place.map(Into::into),
            narrative: false,
        }
    }

    #[test]
    fn text_sheets_have_unique_names_and_a_known_place() {
        let ok = resolve(&[
            raw("cover", "封面", None),
            raw("other", "其他", Some("after")),
        ]);
        let ok = ok.unwrap();
        assert_eq!((ok[0].after_tables, ok[1].after_tables), (false, true));
        let twice = resolve(&[raw("a", "封面", None), raw("b", "封面", None)]).unwrap_err();
        assert!(twice.contains("重复"), "{twice}");
        let place = resolve(&[raw("a", "封面", Some("middle"))]).unwrap_err();
        assert!(place.contains("middle"), "{place}");
    }
}
