//! A year of a busy office, written straight into a fresh data directory: the tickets of every
//! working day of the year before today, with realistic times and outcomes.

use jiff::SignedDuration;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use numerek_core::ticket::QueueKey;
use numerek_core::{OfficeConfig, Ticket, TicketId, TicketNumber, TicketState};
use numerek_store::OfflineStore;
use std::path::Path;
use std::sync::Arc;

/// A small, fast, seeded random number generator (SplitMix64): the history only needs to look
/// plausible and be the same on every run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// The working days (Monday to Friday) of the `days` days before `today`, oldest first.
pub fn working_days(today: Date, days: i64) -> Vec<Date> {
    (1..=days)
        .rev()
        .filter_map(|back| today.checked_sub(jiff::Span::new().days(back)).ok())
        .filter(|d| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
        .collect()
}

/// One day's tickets: `count` of them issued between 07:30 and 15:00, over the categories and
/// counters of the office, 90% served, 5% no-shows, 5% cancelled.
fn day_tickets(
    config: &OfficeConfig,
    tz: &TimeZone,
    day: Date,
    count: u64,
    rng: &mut Rng,
    first_seq: u64,
) -> Vec<Ticket> {
    let opening = numerek_core::day::start_of_day(tz, day) + SignedDuration::from_mins(7 * 60 + 30);
    let span_ms = 7 * 3_600_000 + 1_800_000;
    let mut numbers = vec![0u32; config.categories.len()];
    let mut tickets = Vec::with_capacity(count as usize);
    for i in 0..count {
        let c = rng.below(config.categories.len() as u64) as usize;
        let category = &config.categories[c];
        numbers[c] += 1;
        let issued_at = opening + SignedDuration::from_millis((span_ms * i / count) as i64);
        let serving: Vec<&str> = config
            .counters
            .iter()
            .filter(|k| k.categories.contains(&category.id))
            .map(|k| k.id.as_str())
            .collect();
        let counter = serving[rng.below(serving.len() as u64) as usize].to_owned();
        let wait = SignedDuration::from_millis(rng.below(40 * 60_000) as i64);
        let service = SignedDuration::from_millis(60_000 + rng.below(14 * 60_000) as i64);
        let called_at = issued_at + wait;
        let outcome = rng.below(100);
        let (state, called, finished_at) = match outcome {
            0..90 => (TicketState::Done, true, called_at + service),
            90..95 => (
                TicketState::NoShow,
                true,
                called_at + SignedDuration::from_secs(90),
            ),
            _ => (TicketState::Cancelled, false, issued_at + wait),
        };
        let seq = first_seq + i;
        tickets.push(Ticket {
            id: TicketId(format!("h{:016x}{:08x}", rng.next_u64(), seq)),
            number: TicketNumber {
                prefix: category.prefix.clone(),
                n: numbers[c],
            },
            office_date: day,
            issue_seq: seq,
            issued_category: category.id.clone(),
            category: category.id.clone(),
            priority: rng.below(20) == 0,
            language: None,
            state,
            issued_at,
            called_at: called.then_some(called_at),
            first_called_at: called.then_some(called_at),
            last_called_at: called.then_some(called_at),
            last_call_seq: 0,
            finished_at: Some(finished_at),
            counter: None,
            last_counter: called.then_some(counter),
            recalls: 0,
            transferred_from: None,
            queue_key: QueueKey {
                at_ms: issued_at.as_millisecond(),
                order: 0,
            },
            appointment: None,
            feedback: None,
        });
    }
    tickets
}

/// Writes about `total` tickets over the working days of the year before `today` into a new
/// database in `data_dir`; answers how many were written and the first and last day.
pub fn write_year(
    config: &Arc<OfficeConfig>,
    data_dir: &Path,
    today: Date,
    total: u64,
) -> anyhow::Result<(u64, Date, Date)> {
    let days = working_days(today, 365);
    let first = *days
        .first()
        .ok_or_else(|| anyhow::anyhow!("no working days"))?;
    let last = *days
        .last()
        .ok_or_else(|| anyhow::anyhow!("no working days"))?;
    let now = numerek_core::day::start_of_day(&config.office.tz, today);
    let store = OfflineStore::open(data_dir, config.clone(), now)?;
    let tz = config.office.tz.clone();
    let mut rng = Rng::new(2026);
    let per_day = total / days.len() as u64;
    let mut extra = total % days.len() as u64;
    let mut written = 0;
    let mut seq = 1;
    let mut batch = Vec::new();
    for day in days {
        let count = per_day + u64::from(extra > 0);
        extra = extra.saturating_sub(1);
        batch.extend(day_tickets(config, &tz, day, count, &mut rng, seq));
        seq += count;
        if batch.len() >= 100_000 {
            written += store.import_history(&batch)? as u64;
            batch.clear();
        }
    }
    written += store.import_history(&batch)? as u64;
    Ok((written, first, last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_year_has_about_261_working_days() {
        let days = working_days(date(2026, 11, 24), 365);
        assert_eq!(days.len(), 261);
        assert!(days.iter().all(|d| d.weekday() != Weekday::Sunday));
        assert_eq!(days.last(), Some(&date(2026, 11, 23)));
    }
}
