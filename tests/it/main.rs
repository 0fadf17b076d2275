//! The integration tests: one test binary (cargo builds and links one executable, not one per
//! topic), a module per topic. They run the real `yusuan` binary (`common::yusuan`) on
//! workbooks made by other writers (openpyxl, LibreOffice; scripts committed beside the
//! fixtures), and read what it writes with calamine, Gnumeric, LibreOffice and poppler.
//!
//! Run one topic with `cargo test --test it golden::`, one test by its name.

mod common;

mod batch;
mod convert;
mod corpus;
mod data;
mod docs;
mod draft;
mod editions;
mod engines;
mod fuzz;
mod golden;
mod hostile;
mod layers;
mod libreoffice;
mod low_memory;
mod merge;
mod narrative;
mod printing;
mod problems;
mod property;
mod rules;
mod safety;
mod serve;
mod shanghai;
mod template;
mod truthful;
mod variants;

/// The tests that read outputs with LibreOffice, Gnumeric or poppler are ignored where the
/// program is missing; under CI (`.ci/run`, which installs them) none may be.
#[test]
fn under_ci_every_program_the_tests_read_with_is_installed() {
    let built_with = [
        ("libreoffice-calc-nogui", cfg!(has_soffice)),
        ("gnumeric", cfg!(has_gnumeric)),
        ("poppler-utils", cfg!(has_poppler)),
        ("chromium chromium-driver", cfg!(has_chromium)),
    ];
    let missing: Vec<&str> = built_with
        .iter()
        .filter(|(_, here)| !here)
        .map(|(package, _)| *package)
        .collect();
    if std::env::var_os("CI").is_some() {
        assert!(missing.is_empty(), "CI needs: apt-get install {missing:?}");
    }
}
