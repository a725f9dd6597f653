//! Encoding stored values: JSON of the core types, with decode failures reported as damage.

use crate::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Encodes a value for storage.
pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain data structs with string keys to JSON cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Decodes a stored value.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}
