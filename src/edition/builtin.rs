//! The editions built into the binary, by name, and where a command's edition comes from:
//! `--edition NAME` (built in) or `--edition FILE` / `--template FILE` (a description of one's
//! own).

use super::raw::RawEdition;
use super::{Edition, EditionError};
use std::path::{Path, PathBuf};

/// One built-in edition: its name, its TOML, and that TOML as JSON (made by `build.rs`, which
/// lists the same names).
struct Builtin {
    name: &'static str,
    toml: &'static str,
    json: &'static str,
}

const BUILTIN: &[Builtin] = &[
    Builtin {
        name: "sichuan-2023",
        toml: include_str!("../../templates/sichuan-2023.toml"),
        json: include_str!(concat!(env!("OUT_DIR"), "/sichuan-2023.json")),
    },
    Builtin {
        name: "shanghai-2026",
        toml: include_str!("../../templates/shanghai-2026.toml"),
        json: include_str!(concat!(env!("OUT_DIR"), "/shanghai-2026.json")),
    },
    Builtin {
        name: "shanghai-2026-department",
        toml: include_str!("../../templates/shanghai-2026-department.toml"),
        json: include_str!(concat!(env!("OUT_DIR"), "/shanghai-2026-department.json")),
    },
];

/// The edition used when a command names none.
pub const DEFAULT_EDITION: &str = "sichuan-2023";

/// The built-in Sichuan 2023 description (the TOML).
pub const SICHUAN_2023: &str = BUILTIN[0].toml;

/// The names of the built-in editions, in the order `yusuan editions` lists them.
///
/// ```
/// let names: Vec<&str> = yusuan::edition::builtin_names().collect();
/// assert!(names.contains(&"sichuan-2023"));
/// ```
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|b| b.name)
}

impl Edition {
    /// A built-in edition by name (see [`builtin_names`]); `None` when there is none of that
    /// name.
    ///
    /// ```
    /// use yusuan::edition::Edition;
    /// assert_eq!(Edition::named("sichuan-2023").unwrap().tables.len(), 13);
    /// assert!(Edition::named("no-such-province").is_none());
    /// ```
    pub fn named(name: &str) -> Option<Edition> {
        let builtin = BUILTIN.iter().find(|b| b.name == name)?;
        // The TOML as JSON, made by build.rs: the same document, read ten times faster.
        let raw: RawEdition =
            serde_json::from_str(builtin.json).expect("a built-in edition is valid");
        Some(Edition::resolve(raw, "内置表样").expect("a built-in edition is valid"))
    }

    /// The TOML of a built-in edition, by name.
    pub fn builtin_toml(name: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|b| b.name == name).map(|b| b.toml)
    }
}

/// Where an edition comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionSource {
    /// Built in, by name.
    Builtin(String),
    /// A description file (TOML).
    File(PathBuf),
}

impl Default for EditionSource {
    fn default() -> EditionSource {
        EditionSource::Builtin(DEFAULT_EDITION.to_owned())
    }
}

impl EditionSource {
    /// What `--edition ARG` means: a built-in edition of that name, otherwise the file at
    /// that path.
    ///
    /// # Errors
    ///
    /// [`EditionError::Unknown`] when `arg` is neither a built-in name nor an existing file.
    ///
    /// ```
    /// use yusuan::edition::EditionSource;
    /// let source = EditionSource::from_arg("sichuan-2023")?;
    /// assert_eq!(source, EditionSource::Builtin("sichuan-2023".into()));
    /// assert!(EditionSource::from_arg("shanghai-1999").is_err());
    /// # Ok::<(), yusuan::edition::EditionError>(())
    /// ```
    pub fn from_arg(arg: &str) -> Result<EditionSource, EditionError> {
        if builtin_names().any(|n| n == arg) {
            return Ok(EditionSource::Builtin(arg.to_owned()));
        }
        let path = Path::new(arg);
        if path.is_file() {
            return Ok(EditionSource::File(path.to_path_buf()));
        }
        Err(EditionError::Unknown {
            name: arg.to_owned(),
            known: builtin_names().collect::<Vec<_>>().join("、"),
        })
    }

    /// The edition.
    ///
    /// # Errors
    ///
    /// As [`Edition::load`] for a file; [`EditionError::Unknown`] for a name not built in.
    pub fn load(&self) -> Result<Edition, EditionError> {
        match self {
            EditionSource::Builtin(name) => {
                Edition::named(name).ok_or_else(|| EditionError::Unknown {
                    name: name.clone(),
                    known: builtin_names().collect::<Vec<_>>().join("、"),
                })
            }
            EditionSource::File(path) => Edition::load(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_edition_is_its_toml() {
        // Built from the JSON that build.rs makes of the TOML: the same edition, field by field.
        for name in builtin_names() {
            let toml = Edition::builtin_toml(name).unwrap();
            let parsed = Edition::parse(toml, "内置表样").unwrap();
            let named = Edition::named(name).unwrap();
            assert_eq!(format!("{named:?}"), format!("{parsed:?}"), "{name}");
        }
    }

    #[test]
    fn a_source_is_a_name_or_a_file() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let arg = file.path().to_str().unwrap();
        assert_eq!(
            EditionSource::from_arg(arg).unwrap(),
            EditionSource::File(file.path().to_path_buf())
        );
        let e = EditionSource::from_arg("四川-2099")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("“四川-2099”") && e.contains("sichuan-2023"),
            "{e}"
        );
        assert_eq!(EditionSource::default().load().unwrap().tables.len(), 13);
    }
}
