//! Loading the office configuration: a file, or the example office built into the binary.

use anyhow::Context;
use numerek_core::OfficeConfig;
use std::path::Path;
use std::sync::Arc;

/// The example office of `config/example-office.toml`, compiled in.
pub const EXAMPLE_OFFICE: &str = include_str!("../../../config/example-office.toml");

/// Loads and validates the configuration (the built-in example without a file).
pub fn load(path: Option<&Path>) -> anyhow::Result<Arc<OfficeConfig>> {
    let config = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("cannot read the configuration file {}", path.display())
            })?;
            OfficeConfig::from_toml(&text).with_context(|| {
                format!("the configuration file {} is not valid", path.display())
            })?
        }
        None => OfficeConfig::from_toml(EXAMPLE_OFFICE)
            .context("the built-in example office is not valid (a bug: please report it)")?,
    };
    Ok(Arc::new(config))
}
