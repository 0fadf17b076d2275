//! The edition's wording of the lines around a table: the entity and amount-unit lines, and
//! the words by which a note says its table is empty.

use super::Edition;

impl Edition {
    /// The label of the amount-unit line (`金额单位`): its pattern up to `{unit}`.
    pub fn amount_unit_label(&self) -> &str {
        let pattern = &self.amount_unit_line;
        pattern[..pattern.find("{unit}").unwrap_or(pattern.len())]
            .trim_end_matches([':', '：', ' '])
    }

    /// The entity line of an entity (`单位：313603-某中心`), from the edition's pattern.
    pub fn entity_line_of(&self, word: &str, code: &str, name: &str) -> String {
        let who = if code.is_empty() && name.is_empty() {
            String::new()
        } else {
            format!("{code}-{name}")
        };
        self.entity_line
            .replace("{entity}", word)
            .replace("{code}-{name}", &who)
    }

    /// Whether a note line says its table is empty (`说明：此表无数据`, `本表为空表`): it holds
    /// one of the edition's `empty_note_words`, spaces and width aside.
    pub fn says_empty(&self, note: &str) -> bool {
        let folded = crate::base::text::fold(note);
        self.empty_note_words
            .iter()
            .any(|w| folded.contains(&crate::base::text::fold(w)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::SICHUAN_2023;
    use super::*;

    #[test]
    fn the_words_of_an_empty_table_and_the_finding_are_the_editions() {
        let e = Edition::builtin();
        assert!(e.says_empty("说明：此表无数据"));
        assert!(e.says_empty("本表为 空表"));
        assert!(!e.says_empty("注：单位为万元"));
        let r16 = &e.empty_notes[0];
        assert!(r16.text.contains("{description}："), "{}", r16.text);
        // Another edition's words; a rule without `text` says its description alone.
        let other = SICHUAN_2023
            .replace(
                "empty_note_words = [\"无数据\", \"空表\"]",
                "empty_note_words = [\"无此类预算\"]",
            )
            .replace(
                "text = \"{description}：本表没有数据，也没有“此表无数据”的说明\"\n",
                "",
            );
        let e = Edition::parse(&other, "t").unwrap();
        assert!(e.says_empty("注：本单位无此类预算，故本表为空表。"));
        assert!(!e.says_empty("说明：此表无数据"));
        assert_eq!(e.empty_notes[0].text, "{description}");
    }
}
