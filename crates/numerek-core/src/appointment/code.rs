//! Booking codes: the citizen's only key to an appointment.
//!
//! Eight characters of an alphabet without the look-alikes 0/O and 1/I, so a code read off a
//! phone, a printout or a calendar entry is typed right at the kiosk: 32 symbols of 5 bits, 40
//! random bits in all. Like a ticket id, a code is a capability (whoever knows it may cancel the
//! visit and check in), so it never appears on a public surface.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The symbols of a code, in the order of their 5-bit values.
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// How many symbols a code has.
pub const CODE_LEN: usize = 8;

/// How many random bytes make a code: 8 symbols × 5 bits = 40 bits.
pub const CODE_RANDOM_BYTES: usize = 5;

/// A booking code, always in its canonical form (capital letters).
///
/// Core makes no random numbers: the caller draws [`CODE_RANDOM_BYTES`] bytes and turns them
/// into a code with [`BookingCode::from_random`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BookingCode([u8; CODE_LEN]);

/// Why a text is not a booking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not a booking code: expected 8 characters of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (no 0, O, 1 or \
     I), like 7KQ2MWX9"
)]
pub struct InvalidBookingCode;

impl BookingCode {
    /// The smallest code in their order (for ranges over codes).
    pub(crate) const FIRST: Self = Self([CODE_ALPHABET[0]; CODE_LEN]);
    /// The largest code in their order.
    pub(crate) const LAST: Self = Self([CODE_ALPHABET[31]; CODE_LEN]);

    /// The code of 40 random bits: each 5 bits, most significant first, pick a symbol.
    pub fn from_random(bytes: [u8; CODE_RANDOM_BYTES]) -> Self {
        let bits = bytes
            .iter()
            .fold(0u64, |acc, &byte| (acc << 8) | u64::from(byte));
        let mut symbols = [0u8; CODE_LEN];
        for (i, symbol) in symbols.iter_mut().enumerate() {
            let shift = 5 * (CODE_LEN - 1 - i);
            *symbol = CODE_ALPHABET[((bits >> shift) & 0x1f) as usize];
        }
        Self(symbols)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Every byte is one of CODE_ALPHABET (ASCII), by construction.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl FromStr for BookingCode {
    type Err = InvalidBookingCode;

    /// Parses a code typed by a citizen: letters in either case (`7kq2mwx9` is `7KQ2MWX9`),
    /// nothing else forgiven.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bytes = text.as_bytes();
        if bytes.len() != CODE_LEN {
            return Err(InvalidBookingCode);
        }
        let mut symbols = [0u8; CODE_LEN];
        for (symbol, &byte) in symbols.iter_mut().zip(bytes) {
            let upper = byte.to_ascii_uppercase();
            if !CODE_ALPHABET.contains(&upper) {
                return Err(InvalidBookingCode);
            }
            *symbol = upper;
        }
        Ok(Self(symbols))
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BookingCode({})", self.as_str())
    }
}

impl Serialize for BookingCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for BookingCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn the_alphabet_has_32_symbols_without_look_alikes() {
        let symbols: HashSet<u8> = CODE_ALPHABET.iter().copied().collect();
        assert_eq!(symbols.len(), 32);
        for look_alike in *b"01OI" {
            assert!(!symbols.contains(&look_alike), "{}", look_alike as char);
        }
        assert!(
            CODE_ALPHABET
                .iter()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        );
    }

    #[test]
    fn random_bytes_map_five_bits_to_a_symbol() {
        assert_eq!(BookingCode::from_random([0; 5]).as_str(), "22222222");
        assert_eq!(BookingCode::from_random([0xff; 5]).as_str(), "ZZZZZZZZ");
        // 0b00001_00010_00011_00100_00101_00110_00111_01000
        let bytes = [
            0b0000_1000,
            0b1000_0110,
            0b0100_0010,
            0b1001_1000,
            0b1110_1000,
        ];
        assert_eq!(BookingCode::from_random(bytes).as_str(), "3456789A");
    }

    #[test]
    fn input_is_case_insensitive_and_strict_otherwise() {
        let code: BookingCode = "7kq2mwx9".parse().expect("lower case is accepted");
        assert_eq!(code.to_string(), "7KQ2MWX9");
        assert_eq!("7KQ2MWX9".parse::<BookingCode>(), Ok(code));
        for bad in [
            "",
            "7KQ2MWX",
            "7KQ2MWX99",
            "7KQ2MWX0",
            "7KQ2MWXO",
            "7KQ2MWX1",
            "7KQ2MWXI",
            "7KQ2 MWX",
            " 7KQ2MWX",
            "7KQ2-MWX",
            "7KQ2MWXĄ",
        ] {
            assert_eq!(
                bad.parse::<BookingCode>(),
                Err(InvalidBookingCode),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn codes_serialize_as_text_and_refuse_bad_text() {
        let code: BookingCode = "ABCDEFGH".parse().expect("a code");
        let json = serde_json_like(&code);
        assert_eq!(json, "ABCDEFGH");
        let back: Result<BookingCode, _> = toml::Value::String("abcdefgh".into()).try_into();
        assert_eq!(back.ok(), Some(code));
        let bad: Result<BookingCode, _> = toml::Value::String("ABCDEFG0".into()).try_into();
        assert!(bad.is_err());
    }

    /// The text a serializer is given, through the `toml` value serializer (core has no JSON).
    fn serde_json_like(code: &BookingCode) -> String {
        match toml::Value::try_from(code) {
            Ok(toml::Value::String(text)) => text,
            other => panic!("a code serializes as a string: {other:?}"),
        }
    }

    proptest! {
        /// Every 40-bit value is a valid code that reads back as itself, and distinct values
        /// give distinct codes (no bit is lost).
        #[test]
        fn every_random_code_parses_back(a in any::<[u8; 5]>(), b in any::<[u8; 5]>()) {
            let code = BookingCode::from_random(a);
            prop_assert_eq!(code.as_str().parse::<BookingCode>(), Ok(code));
            prop_assert_eq!(code.as_str().to_ascii_lowercase().parse::<BookingCode>(), Ok(code));
            prop_assert_eq!(a == b, code == BookingCode::from_random(b));
        }
    }
}
