//! The floor of yusuan's work, for the benchmarks (`bench/floor.sh`): a bare program that reads
//! every sheet of a workbook with calamine and writes every cell again with rust_xlsxwriter
//! (plain values, no formats), plus one CSV per sheet. No model, no checks, no layout: what
//! reading and writing the same cells costs at least.
//!
//!     cargo run --release --example floor -- OUTDIR INPUT...
//!     cargo run --release --example floor -- --jobs N OUTDIR DIR   # every .xlsx under DIR
//!
//! An OUTDIR of `-` reads every sheet and writes nothing: the floor of reading alone (the part
//! of a merge before its one department workbook is written).

use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::Workbook;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Failure> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut jobs = 1;
    if args.first().is_some_and(|a| a == "--jobs") {
        jobs = args.get(1).ok_or("--jobs N")?.parse()?;
        args.drain(..2);
    }
    let (outdir, inputs) = args
        .split_first()
        .ok_or("usage: floor [--jobs N] OUTDIR INPUT...")?;
    let outdir = PathBuf::from(outdir);
    let mut files = Vec::new();
    for input in inputs {
        let path = PathBuf::from(input);
        if path.is_dir() {
            collect(&path, &mut files)?;
        } else {
            files.push(path);
        }
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
                    let done = if outdir.as_os_str() == "-" {
                        read(file)
                    } else {
                        copy(file, &outdir, &stem)
                    };
                    if done.is_err() {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    eprintln!(
        "floor: {} workbooks, {} unreadable",
        files.len(),
        failed.into_inner()
    );
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// One workbook read: every sheet's cells, kept nowhere.
fn read(input: &Path) -> Result<(), Failure> {
    let mut source = open_workbook_auto(input)?;
    let mut cells = 0usize;
    for name in source.sheet_names() {
        cells += source.worksheet_range(&name)?.used_cells().count();
    }
    std::hint::black_box(cells);
    Ok(())
}

/// One workbook: every sheet's cells into `OUTDIR/STEM.xlsx` and `OUTDIR/STEM/<sheet>.csv`.
fn copy(input: &Path, outdir: &Path, stem: &str) -> Result<(), Failure> {
    let mut source = open_workbook_auto(input)?;
    let mut book = Workbook::new();
    // The same compression as yusuan's workbooks: a fair floor.
    book.set_zip_compression_level(yusuan::convert::XLSX_ZIP_LEVEL);
    let csv_dir = outdir.join(stem);
    std::fs::create_dir_all(&csv_dir)?;
    for name in source.sheet_names() {
        let range = source.worksheet_range(&name)?;
        let sheet = book.add_worksheet();
        let mut csv = String::new();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r0 + r as u32, (c0 as usize + c) as u16);
                if c > c0 as u16 {
                    csv.push(',');
                }
                match cell {
                    Data::Empty => {}
                    Data::Float(f) => {
                        sheet.write_number(r, c, *f)?;
                        write!(csv, "{f}")?;
                    }
                    Data::Int(i) => {
                        sheet.write_number(r, c, *i as f64)?;
                        write!(csv, "{i}")?;
                    }
                    other => {
                        let text = other.to_string();
                        sheet.write_string(r, c, &text)?;
                        csv.push('"');
                        csv.push_str(&text.replace('"', "\"\""));
                        csv.push('"');
                    }
                }
            }
            csv.push('\n');
        }
        std::fs::write(csv_dir.join(format!("{name}.csv")), csv)?;
    }
    book.save(outdir.join(format!("{stem}.xlsx")))?;
    Ok(())
}
