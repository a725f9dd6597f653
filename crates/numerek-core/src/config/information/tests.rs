//! A category's `info`, `forms` and `open_data_id`: what they accept, their defaults, and that
//! every refusal names the key and the line.

use crate::config::{ConfigError, MAX_INFO_LEN, OfficeConfig, is_form_url};

/// A small valid office whose `registration` says what to bring and lists two forms; tests break
/// one thing at a time.
const BASE: &str = r#"[office]
id = "test"
name = "Urząd Testowy"
timezone = "Europe/Warsaw"
languages = ["pl", "en"]

[office.hours]
mon = "08:00-16:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15
info = { pl = "Dowód osobisty i wypełniony formularz.", en = "Your ID card and the filled-in form." }
forms = [
  { name = { pl = "Zgłoszenie pobytu stałego", en = "Permanent residence form" }, url = "https://bip.um.example.pl/formularze/meldunek.pdf" },
  { name = { pl = "Pełnomocnictwo", en = "Power of attorney" }, url = "http://um.example.pl/pelnomocnictwo" },
]

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10

[[category]]
id = "archive"
prefix = "C"
name = { pl = "Archiwum", en = "Archive" }
target_wait_min = 10
open_data_id = 35

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax", "archive"]
"#;

const INFO: &str = r#"info = { pl = "Dowód osobisty i wypełniony formularz.", en = "Your ID card and the filled-in form." }"#;
const FIRST_URL: &str = "https://bip.um.example.pl/formularze/meldunek.pdf";
const ARCHIVE_ID: &str = "open_data_id = 35";

/// Replaces the first `from` by `to` in the base office, and expects a refusal naming `key` on
/// the line where the last line of `to` ends up.
#[track_caller]
fn refused(from: &str, to: &str, key: &str) -> ConfigError {
    assert!(BASE.contains(from), "the base has no {from:?}");
    let text = BASE.replacen(from, to, 1);
    let error = OfficeConfig::from_toml(&text).expect_err("must be refused");
    let offset = BASE.find(from).unwrap_or(0);
    let line = BASE[..offset].matches('\n').count() + to.trim_end().lines().count();
    assert_eq!(error.line, Some(line), "wrong line for {to:?}: {error}");
    let shown = error.to_string();
    assert!(shown.contains(key), "{shown:?} does not name {key:?}");
    assert!(shown.starts_with(&format!("line {line}")), "{shown}");
    error
}

#[test]
fn info_forms_and_open_data_ids_parse_with_their_defaults() {
    let config = OfficeConfig::from_toml(BASE).expect("valid");
    let registration = config.category("registration").expect("registration");
    let info = registration.info.as_ref().expect("info");
    assert_eq!(info["pl"], "Dowód osobisty i wypełniony formularz.");
    assert_eq!(info["en"], "Your ID card and the filled-in form.");
    assert_eq!(registration.forms.len(), 2);
    assert_eq!(registration.forms[0].name["en"], "Permanent residence form");
    assert_eq!(registration.forms[0].url, FIRST_URL);
    assert_eq!(
        registration.forms[1].url,
        "http://um.example.pl/pelnomocnictwo"
    );
    let tax = config.category("tax").expect("tax");
    assert_eq!(tax.info, None);
    assert!(tax.forms.is_empty());
    // Positions, unless the file says otherwise.
    let ids: Vec<u32> = config.categories.iter().map(|c| c.open_data_id).collect();
    assert_eq!(ids, [1, 2, 35]);
}

#[test]
fn info_may_span_lines_and_is_trimmed() {
    let text = BASE.replacen(
        INFO,
        "info = { pl = \"\"\"\n  Dowód osobisty.\r\n  Wniosek.\n\"\"\", en = \" ID card. \" }",
        1,
    );
    let config = OfficeConfig::from_toml(&text).expect("valid");
    let info = config.categories[0].info.as_ref().expect("info");
    assert_eq!(info["pl"], "Dowód osobisty.\n  Wniosek.");
    assert_eq!(info["en"], "ID card.");
}

#[test]
fn info_of_exactly_the_longest_length_is_taken_and_one_more_is_refused() {
    let longest = "ż".repeat(MAX_INFO_LEN);
    let text = BASE.replacen(
        "en = \"Your ID card and the filled-in form.\"",
        &format!("en = \"{longest}\""),
        1,
    );
    let config = OfficeConfig::from_toml(&text).expect("600 characters are taken");
    assert_eq!(config.categories[0].info.as_ref().unwrap()["en"], longest);
    let error = refused(
        INFO,
        &format!(
            "info = {{ pl = \"a\", en = \"{}\" }}",
            "x".repeat(MAX_INFO_LEN + 1)
        ),
        "category.info.en",
    );
    assert!(error.message.contains("601 characters"), "{error}");
    assert!(error.message.contains("600"), "{error}");
}

#[test]
fn info_needs_every_office_language_and_no_other() {
    refused(INFO, r#"info = { pl = "Dowód." }"#, "category.info");
    let error = refused(
        INFO,
        r#"info = { pl = "Dowód.", en = "ID.", de = "Ausweis." }"#,
        "category.info.de",
    );
    assert!(error.message.contains("office.languages"), "{error}");
    refused(
        INFO,
        r#"info = { pl = "  ", en = "ID." }"#,
        "category.info.pl",
    );
    refused(
        INFO,
        r#"info = { pl = "a\tb", en = "ID." }"#,
        "category.info.pl",
    );
    refused(INFO, r#"info = "Dowód osobisty""#, "");
}

#[test]
fn forms_need_an_http_or_https_address() {
    for bad in [
        "javascript:alert(1)",
        "ftp://um.example.pl/wniosek.pdf",
        "file:///etc/passwd",
        "data:text/html,hello",
        "//um.example.pl/wniosek",
        "um.example.pl/wniosek",
        "https://",
        "https:///wniosek",
        "https://um.example.pl/wniosek o dowód.pdf",
        // A quote (escaped in TOML) could end an HTML attribute.
        "https://um.example.pl/\\\"onmouseover",
        "https://user@um.example.pl/",
        "mailto:bok@um.example.pl",
    ] {
        let error = refused(FIRST_URL, bad, "category.forms.url");
        assert!(
            error.message.contains("http:// or https://"),
            "{bad}: {error}"
        );
    }
    let long = format!("https://um.example.pl/{}", "a".repeat(500));
    refused(FIRST_URL, &long, "category.forms.url");
    // Any case of the scheme is a web address.
    let text = BASE.replacen(
        FIRST_URL,
        "HTTPS://bip.um.example.pl/Wniosek.pdf?wersja=2#s1",
        1,
    );
    assert!(OfficeConfig::from_toml(&text).is_ok());
}

#[test]
fn the_address_check_alone() {
    assert!(is_form_url("https://um.example.pl"));
    assert!(is_form_url("http://192.168.1.10:8080/formularze/a.pdf"));
    assert!(is_form_url("https://[2001:db8::1]/a"));
    assert!(!is_form_url("https://-/"));
    assert!(!is_form_url("HTTP:/um.example.pl"));
    assert!(!is_form_url(""));
}

#[test]
fn forms_are_refused_twice_without_a_name_or_in_a_missing_language() {
    let text = BASE.replacen("http://um.example.pl/pelnomocnictwo", FIRST_URL, 1);
    let error = OfficeConfig::from_toml(&text).expect_err("an address twice");
    assert_eq!(
        error.line,
        Some(
            BASE.lines()
                .position(|l| l.contains("pelnomocnictwo"))
                .unwrap()
                + 1
        )
    );
    assert!(error.to_string().contains("category.forms.url"), "{error}");
    assert!(error.message.contains("listed twice"), "{error}");

    refused(
        r#"name = { pl = "Pełnomocnictwo", en = "Power of attorney" }"#,
        r#"name = { pl = "Pełnomocnictwo" }"#,
        "category.forms.name",
    );
    refused(
        r#"{ name = { pl = "Pełnomocnictwo", en = "Power of attorney" }, url = "http://um.example.pl/pelnomocnictwo" }"#,
        r#"{ url = "http://um.example.pl/pelnomocnictwo" }"#,
        "",
    );
    refused(
        r#"url = "http://um.example.pl/pelnomocnictwo" }"#,
        r#"url = "http://um.example.pl/pelnomocnictwo", title = "x" }"#,
        "",
    );
}

#[test]
fn at_most_ten_forms() {
    let form = |n: usize| {
        format!(
            r#"  {{ name = {{ pl = "Formularz {n}", en = "Form {n}" }}, url = "https://um.example.pl/f{n}" }},"#
        )
    };
    let ten: Vec<String> = (1..=10).map(form).collect();
    let start = BASE.find("forms = [").unwrap();
    let end = start + BASE[start..].find("]\n\n").unwrap() + 1;
    let with = |forms: &[String]| {
        format!(
            "{}forms = [\n{}\n]{}",
            &BASE[..start],
            forms.join("\n"),
            &BASE[end..]
        )
    };
    let config = OfficeConfig::from_toml(&with(&ten)).expect("ten forms are taken");
    assert_eq!(config.categories[0].forms.len(), 10);
    let eleven: Vec<String> = (1..=11).map(form).collect();
    let error = OfficeConfig::from_toml(&with(&eleven)).expect_err("eleven are not");
    assert!(error.to_string().contains("category.forms"), "{error}");
    assert!(error.message.contains("at most 10"), "{error}");
    assert_eq!(error.line, Some(BASE[..start].matches('\n').count() + 1));
}

#[test]
fn forms_may_be_tables_of_their_own() {
    // `[[category.forms]]` after a category's keys adds a form to that category (tax here).
    let text = BASE.replacen(
        "target_wait_min = 10\n",
        "target_wait_min = 10\n\n[[category.forms]]\nname = { pl = \"Deklaracja\", en = \"Tax return\" }\nurl = \"https://um.example.pl/dn-1\"\n",
        1,
    );
    let config = OfficeConfig::from_toml(&text).expect("valid");
    let tax = config.category("tax").expect("tax");
    assert_eq!(tax.forms.len(), 1);
    assert_eq!(tax.forms[0].name["pl"], "Deklaracja");
    assert_eq!(tax.forms[0].url, "https://um.example.pl/dn-1");
}

#[test]
fn open_data_ids_are_whole_numbers_and_unique_with_the_defaults() {
    refused(ARCHIVE_ID, "open_data_id = 0", "category.open_data_id");
    refused(ARCHIVE_ID, "open_data_id = -3", "category.open_data_id");
    refused(
        ARCHIVE_ID,
        "open_data_id = 1000000",
        "category.open_data_id",
    );
    refused(ARCHIVE_ID, "open_data_id = \"35\"", "");
    // Taken by another category's position (tax is 2 by default).
    let error = refused(ARCHIVE_ID, "open_data_id = 2", "category.open_data_id");
    assert!(error.message.contains("\"tax\""), "{error}");
    assert!(error.message.contains("by its position"), "{error}");
    // Taken by another category's own id: the second one is refused.
    let text = BASE.replacen(
        "target_wait_min = 10\n\n[[category]]\nid = \"archive\"",
        "target_wait_min = 10\nopen_data_id = 35\n\n[[category]]\nid = \"archive\"",
        1,
    );
    let error = OfficeConfig::from_toml(&text).expect_err("35 twice");
    let lines: Vec<&str> = text.lines().collect();
    let archive_line = lines.iter().rposition(|l| *l == ARCHIVE_ID).unwrap() + 1;
    assert_eq!(error.line, Some(archive_line), "{error}");
    assert!(error.message.contains("category \"tax\""), "{error}");
    // A category without one of its own whose position another took: named at its id.
    let text = BASE.replacen(ARCHIVE_ID, "open_data_id = 5", 1).replacen(
        "target_wait_min = 15\n",
        "target_wait_min = 15\nopen_data_id = 3\n",
        1,
    );
    let text = text.replacen("open_data_id = 5", "", 1);
    let error = OfficeConfig::from_toml(&text).expect_err("3 twice");
    let archive_id_line = text.lines().position(|l| l == "id = \"archive\"").unwrap() + 1;
    assert_eq!(error.line, Some(archive_id_line), "{error}");
    assert!(error.message.contains("give it an open_data_id"), "{error}");
}
