//! The built-in editions, parsed once at build time: each `templates/NAME.toml` of
//! `src/edition/builtin.rs`'s list becomes the same document as JSON in `OUT_DIR`, which the
//! binary reads in a tenth of the time TOML takes (each run and each worker process reads the
//! edition; see bench/floor.sh). The TOML stays the one source; each built-in edition is tested
//! to equal `Edition::parse` of it.

/// The built-in editions' names: `templates/NAME.toml` each (the list `src/edition/builtin.rs`
/// includes).
const EDITIONS: &[&str] = &["sichuan-2023", "shanghai-2026", "shanghai-2026-department"];

fn main() {
    programs_for_the_tests();
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in EDITIONS {
        let source = format!("templates/{name}.toml");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).expect("the built-in edition is readable");
        // A syntax error is reported when the edition is parsed (tests and `Edition::parse`);
        // here the JSON is then left empty.
        let json = match toml::from_str::<toml::Table>(&text) {
            Ok(table) => serde_json::to_string(&table).expect("TOML values are JSON values"),
            Err(_) => String::new(),
        };
        let out = std::path::Path::new(&out_dir).join(format!("{name}.json"));
        std::fs::write(out, json).expect("OUT_DIR is writable");
    }
}

/// The integration tests that read yusuan's outputs with LibreOffice, Gnumeric or poppler are
/// ignored (reported as such, not passed) where the program is missing: `has_soffice`,
/// `has_gnumeric`, `has_poppler`, `has_chromium` are set for what is on `PATH` when the crate is built (probed
/// again when `PATH` changes; after installing one, `touch build.rs`). Under CI they must all be
/// there (`tests/it/main.rs` fails otherwise); `.ci/run` installs them.
fn programs_for_the_tests() {
    println!("cargo::rerun-if-env-changed=PATH");
    let on_path = |program: &str| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
    };
    for (cfg, programs) in [
        ("has_soffice", &["soffice"][..]),
        ("has_gnumeric", &["ssconvert"][..]),
        ("has_poppler", &["pdftotext", "pdftoppm"][..]),
        ("has_chromium", &["chromium", "chromedriver"][..]),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if programs.iter().all(|p| on_path(p)) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
