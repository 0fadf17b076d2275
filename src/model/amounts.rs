//! A row's amounts by column key: a small map kept as a vector sorted by key.
//!
//! A row has a handful of amount columns (at most the edition's, about twenty), so a sorted
//! vector holds them in a third of the memory of a `BTreeMap` (whose smallest node reserves
//! eleven entries) and iterates them in the same order. In JSON it is the same object of
//! `"column": "amount"`; a key given twice keeps the last value, as a map would.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Amounts by column key, in key order.
///
/// ```
/// use yusuan::model::Amounts;
/// use rust_decimal::Decimal;
///
/// let mut a = Amounts::new();
/// a.insert("项目支出".into(), Decimal::ONE);
/// a.insert("基本支出".into(), Decimal::TWO);
/// *a.get_or_zero("基本支出") += Decimal::ONE;
/// assert_eq!(a.get("基本支出"), Some(&Decimal::new(3, 0)));
/// assert_eq!(a.keys().collect::<Vec<_>>(), ["基本支出", "项目支出"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amounts(Vec<(String, Decimal)>);

impl Amounts {
    /// No amounts.
    pub fn new() -> Amounts {
        Amounts(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The amount in a column.
    pub fn get(&self, key: &str) -> Option<&Decimal> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// The amount in a column, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Decimal> {
        self.find(key).ok().map(|i| &mut self.0[i].1)
    }

    /// The amount in a column to change, inserted as zero when absent.
    pub fn get_or_zero(&mut self, key: &str) -> &mut Decimal {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key.to_owned(), Decimal::ZERO));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Sets the amount in a column; the amount it replaces, if any.
    pub fn insert(&mut self, key: String, value: Decimal) -> Option<Decimal> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes the amount in a column; it, if there was one.
    pub fn remove(&mut self, key: &str) -> Option<Decimal> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    /// Whether a column has an amount.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Whether no column has an amount.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many columns have an amount.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Column keys and amounts, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Decimal)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Column keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Amounts to change, in key order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Decimal> {
        self.0.iter_mut().map(|(_, v)| v)
    }
}

impl FromIterator<(String, Decimal)> for Amounts {
    /// Sorted once (n log n); a key given twice keeps the last value.
    fn from_iter<I: IntoIterator<Item = (String, Decimal)>>(iter: I) -> Amounts {
        let mut v: Vec<(String, Decimal)> = iter.into_iter().collect();
        // Stable: of equal keys, the last given ends last and is the one kept.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, Decimal)> = Vec::with_capacity(v.len());
        for (k, a) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = a,
                _ => out.push((k, a)),
            }
        }
        Amounts(out)
    }
}

impl<'a> IntoIterator for &'a Amounts {
    type Item = (&'a String, &'a Decimal);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Decimal)>,
        fn(&'a (String, Decimal)) -> (&'a String, &'a Decimal),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Amounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Amounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amounts, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Amounts;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of column keys to amounts")
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Amounts, M::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = map.next_entry::<String, Decimal>()? {
                    entries.push(entry);
                }
                Ok(entries.into_iter().collect())
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_the_last_of_a_repeated_key() {
        let a: Amounts = serde_json::from_str(r#"{"b": "1", "a": "2", "b": "3"}"#).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"a":"2","b":"3"}"#);
        let mut m = Amounts::new();
        assert_eq!(m.insert("b".into(), Decimal::ONE), None);
        assert_eq!(m.insert("b".into(), Decimal::TWO), Some(Decimal::ONE));
        m.insert("a".into(), Decimal::ONE);
        assert_eq!(m.len(), 2);
        assert_eq!(m.remove("a"), Some(Decimal::ONE));
        assert!(!m.contains_key("a") && m.contains_key("b"));
    }
}
