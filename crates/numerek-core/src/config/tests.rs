//! The office file: what it accepts, and that every refusal names the key and the line.

use super::*;
use jiff::civil::Weekday;

const EXAMPLE: &str = include_str!("../../../../config/example-office.toml");

/// A small valid office; tests break one thing in it at a time.
const BASE: &str = r#"[office]
id = "test"
name = "Urząd Testowy"
timezone = "Europe/Warsaw"
languages = ["pl", "en"]

[office.hours]
mon = "08:00-16:00"
fri = "08:00-12:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10
daily_limit = 50
priority = false
hours = { fri = "closed", sat = "09:00-11:00" }

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]
order = "listed"
"#;

/// The 1-based line of the first line holding `needle`.
fn line_of_first(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

/// Replaces the first `from` by `to` in the base office, and expects a refusal naming `key` on
/// the line where the last line of `to` ends up.
#[track_caller]
fn refused(from: &str, to: &str, key: &str) -> ConfigError {
    assert!(BASE.contains(from), "the base has no {from:?}");
    let text = BASE.replacen(from, to, 1);
    let error = OfficeConfig::from_toml(&text).expect_err("must be refused");
    // The problem is on the last line of the replacement.
    let offset = BASE.find(from).unwrap_or(0);
    let line = BASE[..offset].matches('\n').count() + to.trim_end().lines().count();
    assert_eq!(error.line, Some(line), "wrong line for {to:?}: {error}");
    let shown = error.to_string();
    assert!(shown.contains(key), "{shown:?} does not name {key:?}");
    assert!(shown.starts_with(&format!("line {line}")), "{shown}");
    error
}

#[test]
fn the_example_office_is_a_real_bok() {
    let config = OfficeConfig::from_toml(EXAMPLE).expect("the example office is valid");
    assert_eq!(config.office.timezone, "Europe/Warsaw");
    assert_eq!(config.office.languages, ["pl", "en"]);
    assert_eq!(config.default_language(), "pl");
    assert!(config.categories.len() >= 6);
    assert!((5..=8).contains(&config.counters.len()));
    assert!(config.counters.iter().any(|c| c.categories.len() > 1));
    assert!(
        config
            .counters
            .iter()
            .any(|c| c.order == CounterOrder::Listed)
    );
    assert!(!config.office.announcements.is_empty());
    let civil = config.category("civil-registry").expect("civil registry");
    // Its own Friday hours, the office's on other days.
    assert_eq!(
        civil
            .hours
            .day(Weekday::Friday)
            .map(|h| h.to_string())
            .as_deref(),
        Some("07:30-11:30")
    );
    assert_eq!(
        civil.hours.day(Weekday::Monday),
        config.office.hours.day(Weekday::Monday)
    );
    assert_eq!(civil.hours.day(Weekday::Sunday), None);
    assert!(!config.category("cash-desk").expect("cash desk").priority);
    for category in &config.categories {
        assert_eq!(
            category.name.len(),
            2,
            "{} is named in pl and en",
            category.id
        );
    }
}

#[test]
fn the_base_office_parses_with_defaults_and_overrides() {
    let config = OfficeConfig::from_toml(BASE).expect("valid");
    let registration = config.category("registration").expect("registration");
    assert!(registration.priority, "priority defaults to true");
    assert_eq!(registration.daily_limit, None);
    assert_eq!(registration.target_wait_s, 900);
    assert_eq!(registration.expected_service_s, 300, "5 minutes by default");
    let tax = config.category("tax").expect("tax");
    assert!(!tax.priority);
    assert_eq!(tax.daily_limit, Some(50));
    assert_eq!(
        tax.hours.day(Weekday::Friday),
        None,
        "\"closed\" overrides the office"
    );
    assert_eq!(
        tax.hours
            .day(Weekday::Saturday)
            .map(|h| h.to_string())
            .as_deref(),
        Some("09:00-11:00")
    );
    assert_eq!(
        tax.hours
            .day(Weekday::Monday)
            .map(|h| h.to_string())
            .as_deref(),
        Some("08:00-16:00")
    );
    assert_eq!(
        config.counter("1").expect("counter").order,
        CounterOrder::Listed
    );
    assert_eq!(
        config.counter("1").expect("counter").categories,
        ["registration", "tax"]
    );
}

#[test]
fn unknown_keys_are_refused_with_their_line() {
    refused(
        "target_wait_min = 15",
        "target_wait_mins = 15",
        "target_wait_mins",
    );
    refused("order = \"listed\"", "ordre = \"listed\"", "ordre");
    refused(
        "fri = \"08:00-12:00\"",
        "fri = \"08:00-12:00\"\nfry = \"08:00-12:00\"",
        "fry",
    );
    refused(
        "languages = [\"pl\", \"en\"]",
        "languages = [\"pl\", \"en\"]\ncolour = \"red\"",
        "colour",
    );
}

#[test]
fn wrong_types_are_refused_with_their_line() {
    refused(
        "target_wait_min = 15",
        "target_wait_min = \"15\"",
        "invalid type",
    );
    refused("priority = false", "priority = \"no\"", "invalid type");
    refused(
        "categories = [\"registration\", \"tax\"]",
        "categories = \"registration\"",
        "invalid type",
    );
}

#[test]
fn references_and_uniqueness_are_checked() {
    refused(
        "categories = [\"registration\", \"tax\"]",
        "categories = [\"registration\", \"taxes\"]",
        "counter.categories",
    );
    refused(
        "categories = [\"registration\", \"tax\"]",
        "categories = [\"tax\", \"tax\", \"registration\"]",
        "listed twice",
    );
    refused("prefix = \"B\"", "prefix = \"A\"", "category.prefix");
    refused("id = \"tax\"", "id = \"registration\"", "category.id");
    let second_counter = format!(
        "{BASE}\n[[counter]]\nid = \"1\"\nname = {{ pl = \"S\", en = \"C\" }}\ncategories = [\"tax\"]\n"
    );
    let error = OfficeConfig::from_toml(&second_counter).expect_err("two counters 1");
    assert_eq!(error.line, Some(BASE.lines().count() + 3), "{error}");
    assert!(
        error.to_string().contains("counter.id") && error.message.contains("already"),
        "{error}"
    );
    refused(
        "categories = [\"registration\", \"tax\"]",
        "categories = []",
        "at least one category",
    );
    // A category nobody serves is named on its own line.
    let unserved = BASE.replace(
        "categories = [\"registration\", \"tax\"]",
        "categories = [\"tax\"]",
    );
    let error = OfficeConfig::from_toml(&unserved).expect_err("registration is served by nobody");
    assert_eq!(
        error.line,
        Some(line_of_first(BASE, "id = \"registration\"")),
        "{error}"
    );
    assert!(error.message.contains("no counter serves"), "{error}");
}

#[test]
fn hours_are_checked() {
    refused(
        "mon = \"08:00-16:00\"",
        "mon = \"16:00-08:00\"",
        "office.hours.mon",
    );
    refused("mon = \"08:00-16:00\"", "mon = \"8-16\"", "HH:MM-HH:MM");
    refused(
        "sat = \"09:00-11:00\"",
        "sat = \"09:00-25:00\"",
        "category.hours.sat",
    );
    // A category open on no day can never issue a ticket.
    let text = BASE
        .replace("mon = \"08:00-16:00\"\n", "")
        .replace("fri = \"08:00-12:00\"\n", "");
    let error = OfficeConfig::from_toml(&text).expect_err("registration is never open");
    assert!(error.to_string().contains("open on no day"), "{error}");
}

#[test]
fn values_are_checked() {
    refused("id = \"test\"", "id = \"Test Office\"", "office.id");
    refused(
        "timezone = \"Europe/Warsaw\"",
        "timezone = \"Europe/Warszawa\"",
        "office.timezone",
    );
    refused(
        "languages = [\"pl\", \"en\"]",
        "languages = []",
        "office.languages",
    );
    refused(
        "languages = [\"pl\", \"en\"]",
        "languages = [\"pl\", \"pl\"]",
        "listed twice",
    );
    refused(
        "languages = [\"pl\", \"en\"]",
        "languages = [\"Polish\"]",
        "language code",
    );
    refused("prefix = \"A\"", "prefix = \"a\"", "capital letters");
    refused("prefix = \"A\"", "prefix = \"ABC\"", "capital letters");
    refused(
        "target_wait_min = 15",
        "target_wait_min = 0",
        "target_wait_min",
    );
    refused("daily_limit = 50", "daily_limit = -1", "daily_limit");
    refused(
        "order = \"listed\"",
        "order = \"random\"",
        "\"fifo\" or \"listed\"",
    );
    refused("id = \"1\"", "id = \"counter one\"", "counter.id");
    refused(
        "languages = [\"pl\", \"en\"]",
        "languages = [\"pl\", \"en\"]\npublic_url = \"kolejka.example.pl/x\"",
        "office.public_url",
    );
    let with_url = BASE.replace(
        "languages = [\"pl\", \"en\"]",
        "languages = [\"pl\", \"en\"]\npublic_url = \"https://kolejka.example.pl/\"",
    );
    let config = OfficeConfig::from_toml(&with_url).expect("a valid public_url");
    assert_eq!(
        config.office.public_url.as_deref(),
        Some("https://kolejka.example.pl")
    );
    refused(
        "target_wait_min = 15",
        "target_wait_min = 15\nexpected_service_min = 0",
        "expected_service_min",
    );
}

#[test]
fn every_name_is_given_in_every_office_language() {
    refused(
        "name = { pl = \"Meldunki\", en = \"Registration\" }",
        "name = { pl = \"Meldunki\" }",
        "\"en\" is missing",
    );
    refused(
        "name = { pl = \"Meldunki\", en = \"Registration\" }",
        "name = { pl = \"Meldunki\", en = \"Registration\", de = \"Meldewesen\" }",
        "category.name.de",
    );
    refused(
        "name = { pl = \"Stanowisko 1\", en = \"Counter 1\" }",
        "name = { pl = \"Stanowisko 1\", en = \"  \" }",
        "counter.name.en",
    );
}

#[test]
fn syntax_errors_and_missing_parts_are_refused_with_a_line() {
    let error = OfficeConfig::from_toml("[office]\nid = \"x\nname = 1\n").expect_err("broken");
    assert_eq!(error.line, Some(2), "{error}");
    let error = OfficeConfig::from_toml(BASE.split("[[category]]").next().unwrap_or(BASE))
        .expect_err("no categories");
    assert!(error.to_string().contains("[[category]]"), "{error}");
    let error = OfficeConfig::from_toml(&BASE.replace("name = \"Urząd Testowy\"\n", ""))
        .expect_err("no name");
    assert!(error.to_string().contains("name"), "{error}");
    assert!(error.line.is_some(), "{error}");
    assert!(OfficeConfig::from_toml("").is_err());
}

#[test]
fn the_cut_off_is_set_per_office_and_per_category() {
    let none = OfficeConfig::from_toml(BASE).expect("valid");
    assert!(none.categories.iter().all(|c| c.cutoff_min.is_none()));
    assert_eq!(none.office.cutoff_min, None, "no cut-off by default");

    let text = BASE
        .replacen(
            "languages = [\"pl\", \"en\"]",
            "languages = [\"pl\", \"en\"]\ncutoff_min = 20",
            1,
        )
        .replacen("daily_limit = 50", "daily_limit = 50\ncutoff_min = 0", 1);
    let config = OfficeConfig::from_toml(&text).expect("valid");
    assert_eq!(config.office.cutoff_min, Some(20));
    let cutoff = |id: &str| config.category(id).expect("a category").cutoff_min;
    assert_eq!(cutoff("registration"), Some(20), "the office's");
    assert_eq!(cutoff("tax"), Some(0), "its own");

    let off = text.replacen("cutoff_min = 0", "cutoff_min = false", 1);
    let config = OfficeConfig::from_toml(&off).expect("valid");
    assert_eq!(
        config.category("tax").expect("tax").cutoff_min,
        None,
        "false turns the office's cut-off off"
    );
}

#[test]
fn the_cut_off_is_checked() {
    let office = "languages = [\"pl\", \"en\"]";
    for bad in ["-1", "1441"] {
        refused(
            office,
            &format!("{office}\ncutoff_min = {bad}"),
            "office.cutoff_min",
        );
    }
    refused(
        office,
        &format!("{office}\ncutoff_min = \"20\""),
        "invalid type",
    );
    for bad in ["true", "\"20\"", "2000", "-5", "1.5"] {
        let error = refused(
            "daily_limit = 50",
            &format!("daily_limit = 50\ncutoff_min = {bad}"),
            "category.cutoff_min",
        );
        assert!(error.message.contains("minutes"), "{error}");
    }
}

/// The office file with `lines` added to `[office]` (after its languages).
fn with_office_lines(lines: &str) -> Result<OfficeConfig, ConfigError> {
    OfficeConfig::from_toml(&BASE.replacen(
        "languages = [\"pl\", \"en\"]",
        &format!("languages = [\"pl\", \"en\"]\n{lines}"),
        1,
    ))
}

#[test]
fn the_security_keys_have_safe_defaults() {
    let config = OfficeConfig::from_toml(BASE).expect("valid");
    let office = &config.office;
    assert!(office.allowed_origins.is_empty());
    assert!(office.trusted_proxies.is_empty());
    assert_eq!(office.feed_clients_per_address, 32);
    assert_eq!(office.connections_per_address, 256);
    assert!(!office.metrics_public, "metrics need a token by default");
    assert_eq!(office.retention_days, 730);
    assert_eq!(office.public_origin(), None);
}

#[test]
fn the_security_keys_are_read() {
    let config = with_office_lines(
        "public_url = \"https://Kolejka.example.pl\"\n\
         allowed_origins = [\"https://portal.example.pl\", \"http://10.0.0.5:8080\"]\n\
         trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"::1\"]\n\
         feed_clients_per_address = 4\n\
         connections_per_address = 64\n\
         metrics_public = true\n\
         retention_days = 1",
    )
    .expect("valid");
    let office = &config.office;
    let origins: Vec<&str> = office.allowed_origins.iter().map(|o| o.as_str()).collect();
    assert_eq!(
        origins,
        ["https://portal.example.pl", "http://10.0.0.5:8080"]
    );
    assert_eq!(
        office.public_origin().map(|o| o.to_string()).as_deref(),
        Some("https://kolejka.example.pl")
    );
    assert!(office.is_trusted_proxy("10.20.30.40".parse().unwrap()));
    assert!(office.is_trusted_proxy("::1".parse().unwrap()));
    assert!(office.is_trusted_proxy("::ffff:127.0.0.1".parse().unwrap()));
    assert!(!office.is_trusted_proxy("127.0.0.2".parse().unwrap()));
    assert_eq!(office.feed_clients_per_address, 4);
    assert_eq!(office.connections_per_address, 64);
    assert!(office.metrics_public);
    assert_eq!(office.retention_days, 1);
}

#[test]
fn bad_security_keys_are_refused_with_key_and_line() {
    let languages = "languages = [\"pl\", \"en\"]";
    for (line, key) in [
        (
            "allowed_origins = [\"portal.example.pl\"]",
            "office.allowed_origins",
        ),
        (
            "allowed_origins = [\"https://a.pl/path\"]",
            "office.allowed_origins",
        ),
        ("allowed_origins = [\"null\"]", "office.allowed_origins"),
        (
            "allowed_origins = [\"https://a.pl\", \"HTTPS://A.pl:443\"]",
            "listed twice",
        ),
        (
            "trusted_proxies = [\"proxy.local\"]",
            "office.trusted_proxies",
        ),
        (
            "trusted_proxies = [\"10.1.2.3/8\"]",
            "office.trusted_proxies",
        ),
        ("trusted_proxies = [\"::1\", \"::1\"]", "listed twice"),
        (
            "feed_clients_per_address = 0",
            "office.feed_clients_per_address",
        ),
        (
            "feed_clients_per_address = 1000001",
            "office.feed_clients_per_address",
        ),
        (
            "connections_per_address = 0",
            "office.connections_per_address",
        ),
        (
            "connections_per_address = -5",
            "office.connections_per_address",
        ),
        ("retention_days = 0", "office.retention_days"),
        ("retention_days = 3661", "office.retention_days"),
    ] {
        let error = refused(languages, &format!("{languages}\n{line}"), key);
        assert!(error.key.is_some(), "{error}");
    }
    // Wrong types are refused by the reader, with the line.
    for line in [
        "retention_days = \"730\"",
        "metrics_public = \"yes\"",
        "trusted_proxies = \"127.0.0.1\"",
    ] {
        let error = with_office_lines(line).expect_err(line);
        assert_eq!(error.line, Some(6), "{line}: {error}");
    }
    // The limits are accepted at their ends.
    let config = with_office_lines("retention_days = 3660\nconnections_per_address = 1000000")
        .expect("valid");
    assert_eq!(config.office.retention_days, 3660);
    assert_eq!(config.office.connections_per_address, 1_000_000);
}

#[test]
fn may_serve_defaults_to_the_counters_categories_and_is_checked() {
    let config = OfficeConfig::from_toml(BASE).expect("valid");
    let counter = config.counter("1").expect("counter");
    assert_eq!(counter.may_serve, counter.categories, "the default");

    let wider = BASE.replace(
        "order = \"listed\"",
        "order = \"listed\"\nmay_serve = [\"tax\", \"registration\"]",
    );
    let config = OfficeConfig::from_toml(&wider).expect("may_serve in another order is valid");
    assert_eq!(
        config.counter("1").expect("counter").may_serve,
        ["tax", "registration"],
        "kept as listed"
    );

    let with = |list: &str| format!("order = \"listed\"\nmay_serve = {list}");
    refused(
        "order = \"listed\"",
        &with("[\"registration\", \"tax\", \"permits\"]"),
        "counter.may_serve",
    );
    let error = refused(
        "order = \"listed\"",
        &with("[\"registration\", \"tax\", \"tax\"]"),
        "counter.may_serve",
    );
    assert!(error.message.contains("listed twice"), "{error}");
    let error = refused(
        "order = \"listed\"",
        &with("[\"registration\"]"),
        "counter.may_serve",
    );
    assert!(
        error.message.contains("\"tax\"") && error.message.contains("must list it"),
        "{error}"
    );
    refused("order = \"listed\"", &with("[]"), "counter.may_serve");
    refused(
        "order = \"listed\"",
        &with("\"registration\""),
        "invalid type",
    );
}
