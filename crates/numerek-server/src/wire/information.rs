//! What a category tells citizens before the counter, as `Category` of `GET /api/v1/office`
//! carries it: `info` (a text in every office language, or null) and `forms`.

use numerek_core::config::{FormLink, LocalizedText};
use serde::Serialize;

/// One of `Category.forms`: `{"name": {"pl", "en"}, "url"}`.
#[derive(Debug, Serialize)]
pub struct Form<'a> {
    /// The form's name in every office language.
    pub name: &'a LocalizedText,
    /// Where it is: an `http://` or `https://` address.
    pub url: &'a str,
}

impl<'a> From<&'a FormLink> for Form<'a> {
    fn from(form: &'a FormLink) -> Self {
        Self {
            name: &form.name,
            url: &form.url,
        }
    }
}
