//! TEMPORARY stand-in while the real module is written.
use super::OfficeConfig;
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);
pub fn parse(_text: &str) -> Result<OfficeConfig, ConfigError> { Err(ConfigError("not yet".into())) }
