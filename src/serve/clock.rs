//! The time of a record, as RFC 3339 UTC (`2026-12-06T12:50:03Z`).

/// Now.
pub fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    at(seconds)
}

/// A time given in seconds since 1970 (Howard Hinnant's days-to-civil).
fn at(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_written_as_rfc_3339_utc() {
        assert_eq!(super::at(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::at(1_796_560_203), "2026-12-06T12:30:03Z");
        assert_eq!(super::at(951_782_400), "2000-02-29T00:00:00Z");
    }
}
