//! Where the time of one conversion goes, phase by phase, in one process (no worker): reading,
//! checking, rendering and each output. For profiling, not a benchmark of record.
//!
//!     cargo run --release --example phases -- INPUT.xlsx [RUNS]

use std::time::Instant;
use yusuan::convert::{Checked, Formats, Target, write_outputs};
use yusuan::edition::Edition;
use yusuan::output::WriteMode;

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let input = args.next().ok_or("usage: phases INPUT [RUNS]")?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(3);
    let out = tempfile::tempdir()?;
    let t = Instant::now();
    let edition = Edition::builtin();
    println!("edition       {:>8.1} ms", ms(t));
    for _ in 0..runs {
        let t = Instant::now();
        let budget = yusuan::read::read_input(&edition, input.as_ref())?.budget;
        let read = ms(t);
        let t = Instant::now();
        let findings = yusuan::check::check(&edition, &budget, &Default::default());
        let check = ms(t);
        let checked = Checked {
            findings: &findings,
            input: None,
            more: &[],
        };
        let mut times = Vec::new();
        for (name, formats) in [
            (
                "xlsx",
                Formats {
                    xlsx: true,
                    csv: false,
                    json: false,
                },
            ),
            (
                "csv",
                Formats {
                    xlsx: false,
                    csv: true,
                    json: false,
                },
            ),
            (
                "json",
                Formats {
                    xlsx: false,
                    csv: false,
                    json: true,
                },
            ),
        ] {
            let target = Target {
                dir: out.path(),
                stem: name,
                formats,
                mode: WriteMode::Direct,
                inputs: &[],
            };
            let t = Instant::now();
            write_outputs(&edition, &budget, &checked, &target)?;
            times.push(format!("{name} {:>7.1}", ms(t)));
        }
        println!(
            "read {read:>7.1}  check {check:>7.1} ({} findings)  {}  ms",
            findings.len(),
            times.join("  ")
        );
    }
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
