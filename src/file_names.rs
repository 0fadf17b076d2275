//! File names made safe for any file system: no path separators, no `..`, no control or
//! reserved characters, no leading or trailing dots and spaces, and at most 150 bytes.

/// Longest name in bytes (well under the 255-byte limit of common file systems, leaving room
/// for suffixes such as `.xlsx` and `-2`).
const MAX_BYTES: usize = 150;

/// A file or directory name that is safe on Windows, macOS and Linux.
pub fn safe(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    while out.contains("..") {
        out = out.replace("..", "_");
    }
    let trimmed = out.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut out = String::new();
    for c in trimmed.chars() {
        if out.len() + c.len_utf8() > MAX_BYTES {
            break;
        }
        out.push(c);
    }
    const RESERVED: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    if out.is_empty() || RESERVED.contains(&stem.as_str()) {
        out.insert(0, '_');
    }
    out
}

/// The output name of a budget entity: `313603-四川省人力资源和社会保障信息中心`, made safe.
pub fn entity(code: &str, name: &str) -> String {
    safe(&format!("{code}-{name}"))
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
        assert_eq!(safe("con.txt"), "_con.txt");
        let long = "单".repeat(100);
        assert!(safe(&long).len() <= 150);
        assert!(safe(&long).chars().all(|c| c == '单'));
    }
}
