//! Exact money: parsing cell values into `Decimal` and converting between amount units.
//!
//! calamine hands numbers over as `f64`; they go through their shortest round-trip text
//! (Rust's `{}`), never through a binary conversion, so `369.40000000000003` cannot appear
//! from a value that Excel shows as `369.4`.

use rust_decimal::Decimal;
use std::str::FromStr;

/// An amount unit the reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountUnit {
    /// 元.
    Yuan,
    /// 千元.
    ThousandYuan,
    /// 万元.
    TenThousandYuan,
}

impl AmountUnit {
    /// Recognises a unit name as written after `金额单位：`.
    pub fn parse(s: &str) -> Option<AmountUnit> {
        match crate::base::text::compact(s).as_str() {
            "元" => Some(AmountUnit::Yuan),
            "千元" => Some(AmountUnit::ThousandYuan),
            "万元" => Some(AmountUnit::TenThousandYuan),
            _ => None,
        }
    }

    /// How many 元 one of this unit is.
    pub fn yuan(self) -> Decimal {
        match self {
            AmountUnit::Yuan => Decimal::ONE,
            AmountUnit::ThousandYuan => Decimal::from(1_000),
            AmountUnit::TenThousandYuan => Decimal::from(10_000),
        }
    }

    /// The official name.
    pub fn name(self) -> &'static str {
        match self {
            AmountUnit::Yuan => "元",
            AmountUnit::ThousandYuan => "千元",
            AmountUnit::TenThousandYuan => "万元",
        }
    }
}

/// Converts an amount exactly from one unit to another (a division by a power of ten is exact).
pub fn convert(value: Decimal, from: AmountUnit, to: AmountUnit) -> Decimal {
    if from == to {
        value
    } else {
        canonical(value * from.yuan() / to.yuan())
    }
}

/// The canonical form of an amount: no trailing zeros beyond the second decimal, at least two
/// decimals (`596.7` → `596.70`, `1.23450` → `1.2345`).
pub fn canonical(value: Decimal) -> Decimal {
    let mut v = value.normalize();
    if v.scale() < 2 {
        v.rescale(2);
    }
    v
}

/// Amounts a budget can hold are smaller than this many 元 (10^15, a thousand trillion): far
/// beyond any budget, far within what a decimal adds up exactly — so no sum of amounts read
/// can overflow.
pub const LIMIT_YUAN: i64 = 1_000_000_000_000_000;

/// Whether `value`, in `unit`, is an amount a budget can hold (|value| < [`LIMIT_YUAN`] 元);
/// no multiplication overflows on the way.
pub fn within_limit(value: Decimal, unit: AmountUnit) -> bool {
    value
        .checked_mul(unit.yuan())
        .is_some_and(|yuan| yuan.abs() < Decimal::from(LIMIT_YUAN))
}

/// Why a cell could not be read as an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// Text that is not a number.
    NotANumber,
    /// A number that a decimal cannot hold (too large, NaN, infinite).
    OutOfRange,
}

/// Converts a number cell to a decimal through its shortest round-trip text.
pub fn from_f64(value: f64) -> Result<Decimal, AmountError> {
    if !value.is_finite() {
        return Err(AmountError::OutOfRange);
    }
    let text = format!("{value}");
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map(canonical)
        .map_err(|_| AmountError::OutOfRange)
}

/// Parses amount text as finance clerks write it: thousands separators, full-width digits,
/// a leading minus or parentheses for negatives. Blank, `-` and `—` mean "nothing" (`None`).
pub fn from_text(text: &str) -> Result<Option<Decimal>, AmountError> {
    let folded: String = crate::base::text::fold(text)
        .chars()
        .filter(|&c| c != ',')
        .collect();
    if folded.is_empty() || folded.chars().all(|c| c == '-') {
        return Ok(None);
    }
    let (negative, body) = match folded.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => (true, inner),
        None => (false, folded.as_str()),
    };
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return Err(AmountError::NotANumber);
    }
    let value = Decimal::from_str(body).map_err(|_| AmountError::NotANumber)?;
    Ok(Some(canonical(if negative { -value } else { value })))
}

/// Formats an amount as a plain decimal (no thousands separators), as in CSV and JSON.
pub fn plain(value: Decimal) -> String {
    canonical(value).to_string()
}

/// Formats an amount as printed in the tables: thousands separated, two decimals at least
/// (`1,347.44`, `-6.00`).
pub fn grouped(value: Decimal) -> String {
    let text = canonical(value).abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut out = String::new();
    if value.is_sign_negative() && !value.is_zero() {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_limit_of_a_budget() {
        assert!(within_limit(
            Decimal::new(134744, 2),
            AmountUnit::TenThousandYuan
        ));
        // 10^11 万元 = 10^15 元: beyond.
        let beyond = Decimal::from(100_000_000_000i64);
        assert!(!within_limit(beyond, AmountUnit::TenThousandYuan));
        assert!(within_limit(beyond, AmountUnit::Yuan));
        assert!(!within_limit(Decimal::MAX, AmountUnit::TenThousandYuan));
        assert!(!within_limit(Decimal::MIN, AmountUnit::Yuan));
    }

    #[test]
    fn grouped_like_the_tables() {
        assert_eq!(grouped(d("1347.44")), "1,347.44");
        assert_eq!(grouped(d("1347.26")), "1,347.26");
        assert_eq!(grouped(d("-6")), "-6.00");
        assert_eq!(grouped(d("1234567.8")), "1,234,567.80");
        assert_eq!(grouped(d("0.125")), "0.125");
        assert_eq!(grouped(d("0")), "0.00");
    }

    #[test]
    fn f64_goes_through_shortest_text() {
        assert_eq!(
            from_f64(369.40000000000003).unwrap().to_string(),
            "369.40000000000003"
        );
        assert_eq!(from_f64(0.1 + 0.2).unwrap(), d("0.30000000000000004"));
        assert_eq!(from_f64(596.7).unwrap().to_string(), "596.70");
        assert_eq!(from_f64(1347.44).unwrap().to_string(), "1347.44");
        assert_eq!(from_f64(1e-7).unwrap(), d("0.0000001"));
        assert!(from_f64(f64::NAN).is_err());
        assert!(from_f64(1e300).is_err());
    }

    #[test]
    fn text_amounts() {
        assert_eq!(from_text("1,347.44").unwrap(), Some(d("1347.44")));
        assert_eq!(from_text(" -12.5 ").unwrap(), Some(d("-12.50")));
        assert_eq!(from_text("(3.00)").unwrap(), Some(d("-3.00")));
        assert_eq!(from_text("１２３").unwrap(), Some(d("123.00")));
        assert_eq!(from_text("-").unwrap(), None);
        assert_eq!(from_text("—").unwrap(), None);
        assert_eq!(from_text("").unwrap(), None);
        assert_eq!(from_text("abc"), Err(AmountError::NotANumber));
        assert_eq!(from_text("1.2.3"), Err(AmountError::NotANumber));
    }

    #[test]
    fn unit_conversion_is_exact() {
        let yuan = d("13474400");
        assert_eq!(
            convert(yuan, AmountUnit::Yuan, AmountUnit::TenThousandYuan),
            d("1347.44")
        );
        let odd = d("12345.67");
        assert_eq!(
            convert(odd, AmountUnit::Yuan, AmountUnit::TenThousandYuan).to_string(),
            "1.234567"
        );
        assert_eq!(
            AmountUnit::parse("万 元"),
            Some(AmountUnit::TenThousandYuan)
        );
    }

    #[test]
    fn canonical_form() {
        assert_eq!(canonical(d("596.7")).to_string(), "596.70");
        assert_eq!(canonical(d("1.23450")).to_string(), "1.2345");
        assert_eq!(canonical(d("12")).to_string(), "12.00");
    }
}
