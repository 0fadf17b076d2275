//! The sheets of text the edition describes (封面, 单位职能, 编制说明 …), read as text: each
//! cell's lines are paragraphs, top to bottom and left to right.

use super::workbook::Sheet;
use crate::edition::Edition;
use crate::model::TextSheet;

/// The edition's text sheets found among the sheets of `files` (by name, spaces aside; the
/// first file that has one gives it), in the edition's order.
pub(super) fn read(edition: &Edition, files: &[(String, Vec<Sheet>)]) -> Vec<TextSheet> {
    edition
        .text_sheets
        .iter()
        .filter_map(|spec| {
            let wanted = crate::base::text::compact(&spec.sheet);
            let sheet = files
                .iter()
                .flat_map(|(_, sheets)| sheets)
                .find(|s| crate::base::text::compact(&s.name) == wanted)?;
            // A sheet left blank (a template's) says nothing.
            let paragraphs = paragraphs(sheet);
            (!paragraphs.is_empty()).then(|| TextSheet {
                key: spec.key.clone(),
                paragraphs,
            })
        })
        .collect()
}

/// A sheet's text: every cell's lines, trimmed, blank ones left out.
fn paragraphs(sheet: &Sheet) -> Vec<String> {
    sheet
        .cells
        .iter()
        .flatten()
        .flat_map(|cell| {
            cell.text()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::workbook::Value;

    #[test]
    fn a_text_sheet_is_its_cells_lines_in_order() {
        let toml = crate::edition::SICHUAN_2023.to_owned()
            + "\n[[text_sheet]]\nkey = \"functions\"\nsheet = \"单位职能\"\n";
        let edition = Edition::parse(&toml, "t").unwrap();
        let sheet = |name: &str| Sheet {
            name: name.into(),
            cells: vec![
                vec![Value::Text("某单位主要职能".into())],
                vec![],
                vec![
                    Value::Text("    主要职能包括：\n\n    1.负责……\n".into()),
                    Value::Empty,
                ],
            ],
            merges: None,
        };
        let files = vec![(
            "a.xlsx".to_owned(),
            vec![sheet("单位支出总表"), sheet(" 单位职能 ")],
        )];
        let texts = read(&edition, &files);
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].key, "functions");
        assert_eq!(
            texts[0].paragraphs,
            ["某单位主要职能", "主要职能包括：", "1.负责……"]
        );
        assert!(read(&edition, &files[..0]).is_empty());
    }
}
