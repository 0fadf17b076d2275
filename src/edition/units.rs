//! Amount units: the edition's, and a table's own where it differs (Shanghai prints the
//! “三公” table in 万元, every other table in 元). Rules across tables compare figures in the
//! edition's unit, converted exactly.

use super::Edition;
use crate::base::amount::AmountUnit;
use rust_decimal::Decimal;

impl Edition {
    /// The edition's amount unit (the unit of every table without its own).
    pub fn amount_unit(&self) -> AmountUnit {
        AmountUnit::parse(&self.amount_unit).unwrap_or(AmountUnit::TenThousandYuan)
    }

    /// The amount unit of table `number`'s figures: its own, else the edition's.
    ///
    /// ```
    /// let edition = yusuan::edition::Edition::builtin();
    /// assert_eq!(edition.unit_name_of(9), "万元");
    /// ```
    pub fn unit_of(&self, number: u8) -> AmountUnit {
        self.table(number)
            .and_then(|t| t.amount_unit.as_deref())
            .and_then(AmountUnit::parse)
            .unwrap_or_else(|| self.amount_unit())
    }

    /// The name of table `number`'s amount unit (`万元`), as its amount-unit line writes it.
    pub fn unit_name_of(&self, number: u8) -> &str {
        self.table(number)
            .and_then(|t| t.amount_unit.as_deref())
            .unwrap_or(&self.amount_unit)
    }

    /// A figure of table `number` in the edition's unit: exact (元 to 万元 divides by a power of
    /// ten).
    pub fn in_edition_unit(&self, number: u8, value: Decimal) -> Decimal {
        let unit = self.unit_of(number);
        let edition = self.amount_unit();
        if unit == edition {
            value
        } else {
            value * unit.yuan() / edition.yuan()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::SICHUAN_2023;
    use super::*;

    #[test]
    fn a_table_may_have_a_unit_of_its_own_and_is_compared_in_the_editions() {
        let e = Edition::builtin();
        assert_eq!(e.unit_of(9), AmountUnit::TenThousandYuan);
        let toml = SICHUAN_2023
            .replacen("amount_unit = \"万元\"", "amount_unit = \"元\"", 1)
            .replace(
                "title = \"一般公共预算“三公”经费支出预算表\"",
                "title = \"一般公共预算“三公”经费支出预算表\"\namount_unit = \"万元\"",
            );
        let e = Edition::parse(&toml, "t").unwrap();
        assert_eq!(
            (e.unit_of(9), e.unit_name_of(9)),
            (AmountUnit::TenThousandYuan, "万元")
        );
        assert_eq!(e.unit_of(7), AmountUnit::Yuan);
        assert_eq!(
            e.in_edition_unit(9, "6.4".parse().unwrap()),
            Decimal::from(64_000)
        );
        assert_eq!(e.in_edition_unit(7, Decimal::from(7)), Decimal::from(7));
        let bad = toml.replace("amount_unit = \"万元\"", "amount_unit = \"亿元\"");
        let message = Edition::parse(&bad, "t").unwrap_err().to_string();
        assert!(message.contains("金额单位“亿元”无法识别"), "{message}");
    }
}
