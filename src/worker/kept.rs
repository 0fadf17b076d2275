//! A reading kept as a worker encoded it, decoded only when it is used: a batch's first pass
//! reads every one-file unit whole and keeps the reading on disk (`batch/prefetch.rs`) without
//! building it in the main process.

use crate::base::error::ReadError;
use crate::read::Reading;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A reading (or the error reading ended in), encoded.
#[derive(Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeptReading(Box<RawValue>);

impl KeptReading {
    /// Encodes a reading; `None` when it cannot be (the unit is then read again).
    pub fn encode(reading: &Result<Reading, ReadError>) -> Option<KeptReading> {
        serde_json::value::to_raw_value(reading)
            .ok()
            .map(KeptReading)
    }

    /// The encoding, to store.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.get().as_bytes()
    }

    /// An encoding read back from where it was stored; `None` when it is not one.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<KeptReading> {
        let text = String::from_utf8(bytes).ok()?;
        RawValue::from_string(text).ok().map(KeptReading)
    }

    /// The reading; `None` when the encoding does not hold one (the unit is then read again).
    pub fn decode(&self) -> Option<Result<Reading, ReadError>> {
        serde_json::from_str(self.0.get()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::Edition;

    #[test]
    fn a_kept_reading_comes_back_as_it_was() {
        let edition = Edition::builtin();
        let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
        let reading = crate::read::read_input(&edition, sample.as_ref());
        let kept = KeptReading::encode(&reading).unwrap();
        let back = KeptReading::from_bytes(kept.as_bytes().to_vec()).unwrap();
        let decoded = back.decode().unwrap().unwrap();
        assert_eq!(decoded.budget, reading.unwrap().budget);
        assert!(KeptReading::from_bytes(b"{not json".to_vec()).is_none());
        let other = KeptReading::from_bytes(b"[1, 2]".to_vec()).unwrap();
        assert!(other.decode().is_none());
    }
}
