//! Each `[[counter]]` table: its id, names, the categories it serves and may serve, and the
//! order it calls them in.

use super::values::RawText;
use super::{Checker, ConfigError, MAX_COUNTER_ID_LEN};
use crate::config::{CategoryConfig, CounterConfig, CounterOrder};
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;

/// One `[[counter]]` table, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCounter {
    id: Spanned<String>,
    name: RawText,
    categories: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    order: Option<Spanned<String>>,
    #[serde(default)]
    may_serve: Option<Spanned<Vec<Spanned<String>>>>,
}

impl Checker<'_> {
    pub(super) fn counters(
        &self,
        raw: &[Spanned<RawCounter>],
        languages: &[String],
        categories: &[CategoryConfig],
        office_span: &Range<usize>,
    ) -> Result<Vec<CounterConfig>, ConfigError> {
        if raw.is_empty() {
            return Err(ConfigError {
                line: Some(self.line(office_span)),
                key: Some("counter".into()),
                message: "the office has no [[counter]]: at least one is needed".into(),
            });
        }
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(raw.len());
        for spanned in raw {
            let counter = spanned.get_ref();
            let id = counter.id.get_ref();
            let id_ok = !id.is_empty()
                && id.len() <= MAX_COUNTER_ID_LEN
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !id_ok {
                return Err(self.error(
                    &counter.id.span(),
                    "counter.id",
                    format!(
                        "\"{id}\" is not a counter id: use 1-{MAX_COUNTER_ID_LEN} letters A-Z, \
                         a-z, digits or hyphens, like \"3\" or \"K2\""
                    ),
                ));
            }
            if let Some(first) = ids.insert(id.clone(), self.line(&counter.id.span())) {
                return Err(self.error(
                    &counter.id.span(),
                    "counter.id",
                    format!("\"{id}\" is already the id of the counter on line {first}"),
                ));
            }
            if counter.categories.get_ref().is_empty() {
                return Err(self.error(
                    &counter.categories.span(),
                    "counter.categories",
                    "a counter must serve at least one category",
                ));
            }
            let served = self.category_list(
                counter.categories.get_ref(),
                categories,
                "counter.categories",
            )?;
            let may_serve = match &counter.may_serve {
                None => served.clone(),
                Some(list) => {
                    let allowed =
                        self.category_list(list.get_ref(), categories, "counter.may_serve")?;
                    if let Some(missing) = served.iter().find(|c| !allowed.contains(c)) {
                        return Err(self.error(
                            &list.span(),
                            "counter.may_serve",
                            format!(
                                "counter \"{id}\" serves \"{missing}\" (counter.categories), so \
                                 may_serve must list it too"
                            ),
                        ));
                    }
                    allowed
                }
            };
            let order = match counter.order.as_ref().map(|o| (o.get_ref().as_str(), o)) {
                None | Some(("fifo", _)) => CounterOrder::Fifo,
                Some(("listed", _)) => CounterOrder::Listed,
                Some((other, spanned)) => {
                    return Err(self.error(
                        &spanned.span(),
                        "counter.order",
                        format!("\"{other}\" is not an order: use \"fifo\" or \"listed\""),
                    ));
                }
            };
            out.push(CounterConfig {
                id: id.clone(),
                name: self.localized(&counter.name, "counter.name", languages)?,
                categories: served,
                order,
                may_serve,
            });
        }
        Ok(out)
    }

    /// A list of category ids under `key`: each an existing category, each once, in the order
    /// given.
    fn category_list(
        &self,
        list: &[Spanned<String>],
        categories: &[CategoryConfig],
        key: &str,
    ) -> Result<Vec<String>, ConfigError> {
        let mut out: Vec<String> = Vec::with_capacity(list.len());
        for category in list {
            let name = category.get_ref();
            if !categories.iter().any(|c| &c.id == name) {
                let known: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
                return Err(self.error(
                    &category.span(),
                    key,
                    format!(
                        "there is no category \"{name}\"; the categories are {}",
                        known.join(", ")
                    ),
                ));
            }
            if out.contains(name) {
                return Err(self.error(
                    &category.span(),
                    key,
                    format!("\"{name}\" is listed twice"),
                ));
            }
            out.push(name.clone());
        }
        Ok(out)
    }
}
