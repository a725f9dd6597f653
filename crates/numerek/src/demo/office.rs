//! The demo's office: the example office built into numerek, open around the clock, and the
//! counter left for a person to work while the bots work the others.

use crate::office;
use anyhow::Context;
use jiff::civil::Weekday;
use numerek_core::OfficeConfig;
use numerek_core::config::{CounterConfig, DayHours, WeekHours};
use std::sync::Arc;

/// The example office (`config/example-office.toml`) with the whole week as its hours, for the
/// office and for every category (a category's own hours included), marked as a demo. Nothing
/// else changes: categories, counters, limits and texts are the example's.
///
/// # Errors
/// When the built-in example is not valid (a bug).
pub fn demo_office() -> anyhow::Result<Arc<OfficeConfig>> {
    let mut config = OfficeConfig::clone(&*office::load(None)?);
    let around_the_clock = whole_week();
    config.office.demo = true;
    config.office.hours = around_the_clock.clone();
    for category in &mut config.categories {
        category.hours = around_the_clock.clone();
    }
    Ok(Arc::new(config))
}

/// `00:00-24:00` every day.
fn whole_week() -> WeekHours {
    let mut week = WeekHours::default();
    for day in Weekday::Monday.cycle_forward().take(7) {
        week.set_day(
            day,
            Some(DayHours {
                open_min: 0,
                close_min: 24 * 60,
            }),
        );
    }
    week
}

/// The counter left for a person: the last one whose categories no other counter serves. No
/// clerk bot calls a ticket of those categories (no other counter serves them) and no simulated
/// citizen takes one (the traffic comes only for what the bots' counters serve), so a ticket a
/// person takes there waits for that person.
///
/// # Errors
/// When every counter shares a category with another (not so in the example office).
pub fn own_counter(config: &OfficeConfig) -> anyhow::Result<&CounterConfig> {
    config
        .counters
        .iter()
        .rev()
        .find(|counter| {
            config
                .counters
                .iter()
                .filter(|other| other.id != counter.id)
                .all(|other| {
                    other
                        .categories
                        .iter()
                        .all(|c| !counter.categories.contains(c))
                })
        })
        .context("the demo needs a counter whose categories no other counter serves")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use numerek_core::Office;
    use numerek_core::day::office_date;

    #[test]
    fn the_demo_office_issues_every_category_at_any_hour_of_any_day() {
        let demo = demo_office().expect("valid");
        assert!(demo.office.demo);
        // Saturday night, Sunday's last minute, Monday dawn, and a Friday afternoon.
        for at in [
            "2026-12-05T03:00:00+01:00",
            "2026-12-06T23:59:59+01:00",
            "2026-12-07T00:00:00+01:00",
            "2026-12-11T16:45:00+01:00",
        ] {
            let now: Timestamp = at.parse().expect("instant");
            let office = Office::new(demo.clone(), office_date(&demo.office.tz, now));
            let status = office.status(now);
            assert!(
                status.categories.iter().all(|c| c.open),
                "every category issues at {at}: {:?}",
                status.categories
            );
        }
    }

    #[test]
    fn the_demo_changes_only_the_hours_and_serve_keeps_the_real_ones() {
        let demo = demo_office().expect("valid");
        let example = office::load(None).expect("valid");
        assert!(!example.office.demo, "`numerek serve` runs no demo");
        assert_eq!(demo.office.name, example.office.name);
        assert_eq!(demo.categories.len(), example.categories.len());
        assert_eq!(demo.counters.len(), example.counters.len());
        // The example office itself keeps its hours: closed on a Saturday.
        let saturday: Timestamp = "2026-12-05T10:00:00+01:00".parse().expect("instant");
        let office = Office::new(example.clone(), office_date(&example.office.tz, saturday));
        assert!(office.status(saturday).categories.iter().all(|c| !c.open));
    }

    #[test]
    fn the_persons_counter_serves_what_no_other_counter_serves() {
        let demo = demo_office().expect("valid");
        let own = own_counter(&demo).expect("a counter of its own");
        assert_eq!(own.id, "7", "the cash desk");
        assert_eq!(own.categories, ["cash-desk"]);
        for other in demo.counters.iter().filter(|c| c.id != own.id) {
            assert!(!other.categories.contains(&"cash-desk".to_owned()));
        }
    }
}
