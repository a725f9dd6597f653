//! The keys of a category that tell citizens before they reach the counter: `info` (what to
//! bring), `forms` (links to forms) and `open_data_id` (the category's group id in the open-data
//! feed). Kept apart from the rest of the parser, which only hooks these in.

use super::super::information::{
    FormLink, MAX_FORMS, MAX_INFO_LEN, MAX_OPEN_DATA_ID, MAX_URL_LEN, is_form_url,
};
use super::category::RawCategory;
use super::values::RawText;
use super::{Checker, ConfigError};
use crate::config::{CategoryConfig, LocalizedText};
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

/// One of a category's `forms = [{ name = { pl, en }, url = "https://…" }]`, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawForm {
    name: RawText,
    url: Spanned<String>,
}

/// A category's `forms`, as serde reads it.
pub(super) type RawForms = Spanned<Vec<Spanned<RawForm>>>;

impl Checker<'_> {
    /// A category's `info`: a text in exactly the office's languages, each at most
    /// [`MAX_INFO_LEN`] characters, on one or more lines (a line break is the only control
    /// character taken; Windows line ends become plain ones).
    pub(super) fn info(
        &self,
        raw: Option<&RawText>,
        languages: &[String],
    ) -> Result<Option<LocalizedText>, ConfigError> {
        const KEY: &str = "category.info";
        let Some(raw) = raw else { return Ok(None) };
        let mut out = LocalizedText::new();
        for (language, text) in raw.get_ref() {
            let key = format!("{KEY}.{language}");
            if !languages.contains(language) {
                return Err(self.error(
                    &text.span(),
                    &key,
                    format!(
                        "\"{language}\" is not one of office.languages ({})",
                        languages.join(", ")
                    ),
                ));
            }
            let value = text.get_ref().replace("\r\n", "\n");
            let value = value.trim();
            if value.is_empty() {
                return Err(self.error(&text.span(), &key, "the text is empty"));
            }
            let length = value.chars().count();
            if length > MAX_INFO_LEN {
                return Err(self.error(
                    &text.span(),
                    &key,
                    format!(
                        "the text has {length} characters; what to bring is at most \
                         {MAX_INFO_LEN} characters a language"
                    ),
                ));
            }
            if value.chars().any(|c| c.is_control() && c != '\n') {
                return Err(self.error(
                    &text.span(),
                    &key,
                    "the text has a control character (only line breaks are taken)",
                ));
            }
            out.insert(language.clone(), value.to_owned());
        }
        if let Some(missing) = languages.iter().find(|l| !out.contains_key(*l)) {
            return Err(self.error(
                &raw.span(),
                KEY,
                format!(
                    "the text in \"{missing}\" is missing: every language of office.languages \
                     ({}) is needed",
                    languages.join(", ")
                ),
            ));
        }
        Ok(Some(out))
    }

    /// A category's `forms`: at most [`MAX_FORMS`], each a name in every office language and
    /// an `http://` or `https://` address, no address twice.
    pub(super) fn forms(
        &self,
        raw: Option<&RawForms>,
        languages: &[String],
    ) -> Result<Vec<FormLink>, ConfigError> {
        const KEY: &str = "category.forms";
        let Some(raw) = raw else {
            return Ok(Vec::new());
        };
        if raw.get_ref().len() > MAX_FORMS {
            return Err(self.error(
                &raw.span(),
                KEY,
                format!(
                    "{} forms are listed; a category lists at most {MAX_FORMS}",
                    raw.get_ref().len()
                ),
            ));
        }
        let mut out: Vec<FormLink> = Vec::with_capacity(raw.get_ref().len());
        for form in raw.get_ref() {
            let form = form.get_ref();
            let name = self.localized(&form.name, &format!("{KEY}.name"), languages)?;
            let url = form.url.get_ref().trim();
            if !is_form_url(url) {
                return Err(self.error(
                    &form.url.span(),
                    &format!("{KEY}.url"),
                    format!(
                        "\"{}\" is not a web address like \"https://www.um.example.pl/wnioski/\": \
                         http:// or https://, a host name, no spaces or quotes, at most \
                         {MAX_URL_LEN} characters",
                        form.url.get_ref()
                    ),
                ));
            }
            if out.iter().any(|known| known.url == url) {
                return Err(self.error(
                    &form.url.span(),
                    &format!("{KEY}.url"),
                    format!("\"{url}\" is listed twice"),
                ));
            }
            out.push(FormLink {
                name,
                url: url.to_owned(),
            });
        }
        Ok(out)
    }

    /// Gives every category its `open_data_id`: its own, else its position in the file (1 for
    /// the first), each from 1 to [`MAX_OPEN_DATA_ID`] and no two alike. `raw` and `categories`
    /// are the file's categories in the same order.
    pub(super) fn open_data_ids(
        &self,
        raw: &[Spanned<RawCategory>],
        categories: &mut [CategoryConfig],
    ) -> Result<(), ConfigError> {
        const KEY: &str = "category.open_data_id";
        let mut taken: HashMap<u32, (&str, bool)> = HashMap::new();
        for (position, (spanned, category)) in raw.iter().zip(categories.iter_mut()).enumerate() {
            let given = spanned.get_ref().open_data_id.as_ref();
            let id = match given {
                None => u32::try_from(position + 1).unwrap_or(u32::MAX),
                Some(value) => match u32::try_from(*value.get_ref()) {
                    Ok(id) if (1..=MAX_OPEN_DATA_ID).contains(&id) => id,
                    _ => {
                        return Err(self.error(
                            &value.span(),
                            KEY,
                            format!(
                                "{} is not a group id from 1 to {MAX_OPEN_DATA_ID}",
                                value.get_ref()
                            ),
                        ));
                    }
                },
            };
            if let Some((other, other_given)) = taken.get(&id) {
                let span = given.map_or_else(|| spanned.get_ref().id.span(), Spanned::span);
                let whose = if *other_given {
                    format!("the open_data_id of category \"{other}\"")
                } else {
                    format!(
                        "the open_data_id category \"{other}\" has by its position (it sets none)"
                    )
                };
                let hint = if given.is_some() {
                    "choose another"
                } else {
                    "this category has it by its position: give it an open_data_id of its own"
                };
                return Err(self.error(&span, KEY, format!("{id} is already {whose}; {hint}")));
            }
            taken.insert(
                id,
                (spanned.get_ref().id.get_ref().as_str(), given.is_some()),
            );
            category.open_data_id = id;
        }
        Ok(())
    }
}
