//! Identifiers: the opaque ticket id and the human ticket number.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The opaque, unguessable id of a ticket (at least 96 random bits, URL-safe).
///
/// Core never makes one: it has no randomness. The caller generates it and passes it in, so the
/// domain stays deterministic and testable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketId(pub String);

impl TicketId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The number a citizen sees: the category prefix and at least three digits (`A007`, `A1000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketNumber {
    /// The category's prefix, one or two capital letters.
    pub prefix: String,
    /// The sequence number within the category and office day, starting at 1.
    pub n: u32,
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:03}", self.prefix, self.n)
    }
}

/// Why a text is not a ticket number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a ticket number: expected 1-2 capital letters and at least 3 digits, like A017")]
pub struct InvalidTicketNumber;

impl FromStr for TicketNumber {
    type Err = InvalidTicketNumber;

    /// Parses `A017`; lower-case letters are accepted (a clerk typing `a17` means `A017`), and
    /// fewer than three digits too, because the value is what matters, not the padding.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let split = s
            .find(|c: char| c.is_ascii_digit())
            .ok_or(InvalidTicketNumber)?;
        let (prefix, digits) = s.split_at(split);
        let prefix_ok =
            (1..=2).contains(&prefix.len()) && prefix.chars().all(|c| c.is_ascii_alphabetic());
        if !prefix_ok || digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(InvalidTicketNumber);
        }
        let n: u32 = digits.parse().map_err(|_| InvalidTicketNumber)?;
        if n == 0 {
            return Err(InvalidTicketNumber);
        }
        Ok(Self {
            prefix: prefix.to_ascii_uppercase(),
            n,
        })
    }
}

impl Serialize for TicketNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TicketNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_pad_to_three_digits_and_grow_past_them() {
        let n = |n| TicketNumber {
            prefix: "A".into(),
            n,
        };
        assert_eq!(n(1).to_string(), "A001");
        assert_eq!(n(999).to_string(), "A999");
        assert_eq!(n(1000).to_string(), "A1000");
    }

    #[test]
    fn parsing_accepts_what_a_clerk_types() {
        let parsed: TicketNumber = "ab7".parse().unwrap();
        assert_eq!(parsed.to_string(), "AB007");
        assert_eq!("A017".parse::<TicketNumber>().unwrap().n, 17);
        for bad in ["", "A", "17", "ABC1", "A0", "A1x", "Ą1", "A-1"] {
            assert!(bad.parse::<TicketNumber>().is_err(), "{bad}");
        }
    }
}
