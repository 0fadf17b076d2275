//! File names made safe for any file system: no path separators, no `..`, no control or
//! reserved characters, no leading or trailing dots and spaces, and at most 150 bytes.

/// Longest name in bytes (well under the 255-byte limit of common file systems, leaving room
/// for suffixes such as `.xlsx` and `-2`).
const MAX_BYTES: usize = 150;

/// Whether a character is an invisible format control (Unicode category Cf): bidirectional
/// overrides such as U+202E make `gpj.exe` show as `exe.jpg`, zero-width ones hide in names.
fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{600}'..='\u{605}'
            | '\u{61C}'
            | '\u{6DD}'
            | '\u{70F}'
            | '\u{890}'..='\u{891}'
            | '\u{8E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// A file or directory name that is safe on Windows, macOS and Linux.
pub fn safe(name: &str) -> String {
    let mut out: String = name
        .chars()
        .filter(|&c| !is_format_control(c))
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    while out.contains("..") {
        out = out.replace("..", "_");
    }
    let trim = |s: &str| -> String {
        s.trim_matches(|c: char| c == '.' || c.is_whitespace())
            .to_owned()
    };
    let mut cut = String::new();
    for c in trim(&out).chars() {
        if cut.len() + c.len_utf8() > MAX_BYTES {
            break;
        }
        cut.push(c);
    }
    // Cut short, it may end in a dot or a space again (Windows drops those).
    let mut out = trim(&cut);
    const RESERVED: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let stem = out
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    if out.is_empty() || RESERVED.contains(&stem.as_str()) {
        out.insert(0, '_');
    }
    out
}

/// The names made unique, in order: a name that an earlier one already has — compared as
/// Windows and macOS compare file names, ignoring case — gets `-2`, `-3`, … (`a_b-单位`,
/// `a_b-单位-2`), so two entities never share a folder.
pub fn unique(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let mut candidate = name.clone();
            let mut n = 1;
            while !taken.insert(candidate.to_lowercase()) {
                n += 1;
                candidate = format!("{name}-{n}");
            }
            candidate
        })
        .collect()
}

/// The output name of a budget entity: `313603-四川省人力资源和社会保障信息中心` (the name
/// alone for an entity without a code), made safe.
pub fn entity(code: &str, name: &str) -> String {
    safe(&super::text::who(code, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(
            entity("313603", "四川省人力资源和社会保障信息中心"),
            "313603-四川省人力资源和社会保障信息中心"
        );
        assert_eq!(safe("../../etc/passwd"), "____etc_passwd");
        assert_eq!(safe("a/b\\c:d*e?f\"g<h>i|j"), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(safe("x\u{0}y\n"), "x_y_");
        assert_eq!(safe(" .hidden. "), "hidden");
        assert_eq!(safe(""), "_");
        assert_eq!(safe("CON"), "_CON");
        assert_eq!(safe("nul .txt"), "_nul .txt");
        assert_eq!(safe("313603-四川\u{202E}gpj.exe"), "313603-四川gpj.exe");
        assert_eq!(safe("a\u{200B}b\u{FEFF}"), "ab");
        let cut = format!("{}. x", "单".repeat(49));
        assert!(!safe(&cut).ends_with(['.', ' ']), "{}", safe(&cut));
        assert_eq!(safe("con.txt"), "_con.txt");
        let long = "单".repeat(100);
        assert!(safe(&long).len() <= 150);
        assert!(safe(&long).chars().all(|c| c == '单'));
    }

    #[test]
    fn unique_names_never_collide() {
        let names = ["a_b-同名单位", "a_b-同名单位", "A_B-同名单位", "c"].map(String::from);
        assert_eq!(
            unique(names),
            ["a_b-同名单位", "a_b-同名单位-2", "A_B-同名单位-3", "c"]
        );
    }
}
