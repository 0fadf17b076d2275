//! Editions by name: `yusuan editions` lists the built-in ones, `--edition NAME|FILE` chooses
//! one on every command (`--template FILE` still works), and a run under the default edition
//! named explicitly, or under its TOML given as a file, writes exactly what a run without it
//! writes.

use crate::common::*;
use std::path::Path;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_builtin_editions_are_listed_with_their_tables() {
    let out = yusuan(["editions"]);
    assert!(out.status.success());
    let listed = text(&out.stdout);
    assert!(
        listed.starts_with("sichuan-2023  四川省2023年单位预算（默认），13 张表"),
        "{listed}"
    );
    assert!(
        listed.contains("  表13 单位预算项目支出绩效目标表"),
        "{listed}"
    );
    let out = yusuan(["editions", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["name"], "sichuan-2023");
    assert_eq!(json[0]["default"], true);
    assert_eq!(json[0]["tables"].as_array().unwrap().len(), 13);
}

/// The canonical JSON of the sample converted with these leading arguments.
fn converted(dir: &Path, leading: &[&str]) -> String {
    let out = dir.join(leading.join("_").replace(['/', '.'], "-"));
    let mut args: Vec<std::ffi::OsString> = leading.iter().map(Into::into).collect();
    args.extend([
        "convert".into(),
        sample().into_os_string(),
        "-o".into(),
        out.clone().into_os_string(),
        "--formats".into(),
        "json,csv".into(),
    ]);
    let run = yusuan(&args);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    std::fs::read_to_string(out.join(format!("{SAMPLE_STEM}.json"))).unwrap()
        + &std::fs::read_to_string(out.join(SAMPLE_STEM).join("facts.csv")).unwrap()
}

#[test]
fn naming_the_default_edition_or_its_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let toml = root().join("templates/sichuan-2023.toml");
    let toml = toml.to_str().unwrap();
    let plain = converted(dir.path(), &[]);
    // The workers are started with the same edition: by name, or by the file's absolute path.
    assert_eq!(converted(dir.path(), &["--edition", "sichuan-2023"]), plain);
    assert_eq!(converted(dir.path(), &["--edition", toml]), plain);
    assert_eq!(converted(dir.path(), &["--template", toml]), plain);
}

#[test]
fn an_edition_that_is_neither_built_in_nor_a_file_is_one_line() {
    let out = yusuan(["--edition", "shanghai-1999", "rules"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("“shanghai-1999”") && err.contains("sichuan-2023"),
        "{err}"
    );
    let out = yusuan(["--edition", "sichuan-2023", "--template", "x.toml", "rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("不能与 --template"),
        "{}",
        text(&out.stderr)
    );
}
