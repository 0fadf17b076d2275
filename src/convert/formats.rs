//! Which outputs a conversion writes: `--formats xlsx,csv,json`.

/// Which outputs to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// `OUTDIR/X.xlsx`.
    pub xlsx: bool,
    /// `OUTDIR/X/NN-<title>.csv` and `OUTDIR/X/facts.csv`.
    pub csv: bool,
    /// `OUTDIR/X.json`.
    pub json: bool,
}

impl Formats {
    /// Every output.
    pub const ALL: Formats = Formats {
        xlsx: true,
        csv: true,
        json: true,
    };

    /// Parses a list such as `xlsx,csv`.
    ///
    /// # Errors
    ///
    /// The reason, in Chinese, for an unknown format or an empty list.
    pub fn parse(list: &str) -> Result<Formats, String> {
        let mut f = Formats {
            xlsx: false,
            csv: false,
            json: false,
        };
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "xlsx" => f.xlsx = true,
                "csv" => f.csv = true,
                "json" => f.json = true,
                other => return Err(format!("未知的输出格式“{other}”（可选 xlsx、csv、json）")),
            }
        }
        if f == (Formats {
            xlsx: false,
            csv: false,
            json: false,
        }) {
            return Err("至少选择一种输出格式".into());
        }
        Ok(f)
    }
}
