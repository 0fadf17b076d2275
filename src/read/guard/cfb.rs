//! The header of an OLE compound file (a legacy `.xls`): its sector counts must fit in the
//! file, or a reader sizing its tables from them allocates far more than the file holds.

/// The compound file signature.
pub(super) const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks the header of a compound file of `bytes`; `Err` says what is wrong.
pub(super) fn check(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 512 || bytes[..8] != SIGNATURE {
        return Err("文件头不完整".into());
    }
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |at: usize| {
        u64::from(u32::from_le_bytes([
            bytes[at],
            bytes[at + 1],
            bytes[at + 2],
            bytes[at + 3],
        ]))
    };
    let sector_shift = u16_at(30);
    if sector_shift != 9 && sector_shift != 12 {
        return Err(format!("扇区大小 2^{sector_shift} 无效"));
    }
    if u16_at(32) != 6 {
        return Err(format!("小扇区大小 2^{} 无效", u16_at(32)));
    }
    let sector = 1u64 << sector_shift;
    let sectors_in_file = (bytes.len() as u64).div_ceil(sector);
    for (what, at) in [
        ("目录扇区", 40),
        ("分配表扇区", 44),
        ("小分配表扇区", 64),
        ("分配表索引扇区", 72),
    ] {
        let count = u32_at(at);
        if count > sectors_in_file {
            return Err(format!(
                "声明了 {count} 个{what}，而文件只有 {sectors_in_file} 个扇区"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(sector_shift: u16, fat_sectors: u32) -> Vec<u8> {
        let mut h = vec![0u8; 4096];
        h[..8].copy_from_slice(&SIGNATURE);
        h[30..32].copy_from_slice(&sector_shift.to_le_bytes());
        h[32..34].copy_from_slice(&6u16.to_le_bytes());
        h[44..48].copy_from_slice(&fat_sectors.to_le_bytes());
        h
    }

    #[test]
    fn counts_must_fit_the_file() {
        assert!(check(&header(9, 1)).is_ok());
        assert!(
            check(&header(9, 0x0FFF_FFFF))
                .unwrap_err()
                .contains("分配表扇区")
        );
        assert!(check(&header(30, 1)).unwrap_err().contains("扇区大小"));
        assert!(check(&header(9, 1)[..100]).is_err());
    }
}
