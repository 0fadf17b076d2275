//! The 情况说明 as Markdown: the title, `##` and `###` headings, one paragraph per block.

use crate::narrative::{Block, Composed};

/// The narrative as a Markdown text.
pub fn markdown(composed: &Composed) -> String {
    let mut out = format!("# {}\n", composed.title);
    for block in &composed.blocks {
        out.push('\n');
        match block {
            Block::Heading { level, text } => {
                out.push_str(&"#".repeat(usize::from(*level) + 1));
                out.push(' ');
                out.push_str(text);
            }
            Block::Paragraph(text) => out.push_str(text),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_under_the_title() {
        let composed = Composed {
            title: "某单位2023年单位预算情况说明".into(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "一、收支预算情况说明".into(),
                },
                Block::Paragraph("收支预算总数1347.44万元。".into()),
                Block::Heading {
                    level: 2,
                    text: "（一）收入预算情况".into(),
                },
            ],
        };
        assert_eq!(
            markdown(&composed),
            "# 某单位2023年单位预算情况说明\n\n## 一、收支预算情况说明\n\n收支预算总数1347.44万元。\n\n### （一）收入预算情况\n"
        );
    }
}
