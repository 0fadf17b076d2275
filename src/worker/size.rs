//! Sizes of memory as people write them: `2G`, `512MiB`, `1.5g`, `1048576`.

use std::fmt;
use std::str::FromStr;

/// A number of bytes, parsed from `2G`, `2GiB`, `512M`, `64k` or plain bytes (binary units).
///
/// ```
/// use yusuan::worker::Size;
///
/// assert_eq!("2G".parse::<Size>().unwrap().0, 2 << 30);
/// assert_eq!("512MiB".parse::<Size>().unwrap().0, 512 << 20);
/// assert_eq!("1.5g".parse::<Size>().unwrap().to_string(), "1.5 GiB");
/// assert!("lots".parse::<Size>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(pub u64);

impl FromStr for Size {
    type Err = String;

    fn from_str(s: &str) -> Result<Size, String> {
        let t = s.trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (number, unit) = t.split_at(split);
        let unit = unit.trim().to_ascii_lowercase();
        let shift = match unit.trim_end_matches("ib").trim_end_matches('b') {
            "" => 0,
            "k" => 10,
            "m" => 20,
            "g" => 30,
            "t" => 40,
            _ => return Err(format!("“{s}”不是大小（例如 2G、512M）")),
        };
        let value: rust_decimal::Decimal = number
            .parse()
            .map_err(|_| format!("“{s}”不是大小（例如 2G、512M）"))?;
        let bytes = value * rust_decimal::Decimal::from(1u64 << shift);
        let bytes: u64 = bytes
            .trunc()
            .try_into()
            .map_err(|_| format!("“{s}”超出范围"))?;
        if bytes < 1 << 20 {
            return Err(format!("“{s}”太小（至少 1M）"));
        }
        Ok(Size(bytes))
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_size(self.0))
    }
}

/// A number of bytes in the largest binary unit that leaves at most two decimals:
/// `2 GiB`, `1.5 GiB`, `512 MiB`.
pub fn format_size(bytes: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift {
            let v = rust_decimal::Decimal::from(bytes) / rust_decimal::Decimal::from(1u64 << shift);
            return format!("{} {unit}", v.round_dp(2).normalize());
        }
    }
    format!("{bytes} 字节")
}
