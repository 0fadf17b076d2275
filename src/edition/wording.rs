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

    /// The entity line of an entity (`单位：313603-某中心`, `编制单位：某院`), from the edition's
    /// pattern; an entity without a code is named by its name alone.
    pub fn entity_line_of(&self, word: &str, code: &str, name: &str) -> String {
        self.entity_line
            .replace("{entity}", word)
            .replace("{code}-{name}", &crate::base::text::who(code, name))
            .replace("{code}", code)
            .replace("{name}", name)
    }

    /// Whether the edition's entity line names a unit by its code (`{code}-{name}`); without
    /// it, units are named, and told apart, by name (a code typed before the name is kept).
    pub fn entity_has_code(&self) -> bool {
        self.entity_line.contains("{code}")
    }

    /// The code and name of an entity line's text: `313603-某中心` → (`313603`, `某中心`). In
    /// an edition whose line has no code, only digits before a dash are a code (a name may
    /// hold a dash).
    pub fn split_entity(&self, text: &str) -> (String, String) {
        let (code, name) = crate::base::text::split_entity(text);
        if self.entity_has_code() || code.chars().all(|c| c.is_ascii_digit()) {
            (code, name)
        } else {
            (String::new(), text.trim().to_owned())
        }
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
