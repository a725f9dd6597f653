//! Estimating: the live state turned into what [`crate::estimate`] replays (every category's
//! line, the open counters, the service times and arrivals measured today), and the cut-off's
//! "would a ticket taken now be called before the last call of the day".
//!
//! The estimate's arithmetic lives in [`crate::estimate`], which knows no office; this module is
//! the one place that knows both.

use super::Office;
use crate::config::{CategoryConfig, CounterOrder};
use crate::counter::CounterState;
use crate::day::local_datetime;
use crate::estimate::{
    self, Arrivals, LISTED_PER_LINE, Line, LineKey, Moments, Place, Plan, Probe, ReplayKey, Server,
    ServiceStats, SlotPlace, WaitRange,
};
use crate::queue::CategoryQueue;
use crate::ticket::Ticket;
use jiff::Timestamp;

impl Office {
    /// The estimated wait of a ticket issued at `now` in the category at `index` (at the back
    /// of the priority tickets, or of everybody).
    pub(super) fn estimate_new(&self, index: usize, priority: bool, now: Timestamp) -> WaitRange {
        let probe = Probe {
            line: index,
            priority,
        };
        WaitRange::of(self.call_out(now, &[probe]).probes[0])
    }

    /// The cut-off: when a ticket of `category` taken at `now` and called `wait_s` later would
    /// be called after the last call of the day (issuing closes, plus `cutoff_min`), that last
    /// call as local `HH:MM`. `None`: no cut-off, or the call comes in time.
    pub(super) fn past_last_call(
        &self,
        category: &CategoryConfig,
        now: Timestamp,
        wait_s: f64,
    ) -> Option<String> {
        let cutoff_min = category.cutoff_min?;
        let tz = &self.config.office.tz;
        let local = local_datetime(tz, now);
        let close_min = category.hours.closing_min(local.weekday())?;
        let last_call = local
            .date()
            .at(0, 0, 0, 0)
            .checked_add(jiff::SignedDuration::from_mins(i64::from(
                u32::from(close_min) + cutoff_min,
            )))
            .ok()?;
        let call = local_datetime(
            tz,
            now.checked_add(jiff::SignedDuration::try_from_secs_f64(wait_s).ok()?)
                .ok()?,
        );
        (call > last_call).then(|| format!("{:02}:{:02}", last_call.hour(), last_call.minute()))
    }

    /// Plays today forward from `now` (see [`crate::estimate::callout`]): the expected call time
    /// of every waiting ticket and of every probe.
    pub(super) fn call_out(&self, now: Timestamp, probes: &[Probe]) -> Plan {
        let (lines, servers) = self.replay_inputs(now);
        estimate::call_out(now.as_millisecond(), &lines, &servers, probes)
    }

    /// What the call-out replays at `now`: every category's line (its walk-ins, its
    /// checked-in appointment tickets and today's bookings still to come) and every open
    /// counter.
    fn replay_inputs(&self, now: Timestamp) -> (Vec<Line>, Vec<Server>) {
        let local = local_datetime(&self.config.office.tz, now);
        let mut bookings: Vec<Vec<i64>> = vec![Vec::new(); self.config.categories.len()];
        // Bookings whose slot has started without a check-in are not foreseen: most who are
        // late by then do not come, and those who do are counted once checked in.
        for appointment in self.bookings_today() {
            if appointment.start >= now
                && let Some(line) = self.category_index(&appointment.category)
            {
                bookings[line].push(appointment.start.as_millisecond());
            }
        }
        let lines: Vec<Line> = self
            .config
            .categories
            .iter()
            .zip(bookings)
            .map(|(category, bookings)| {
                let queue = self.queues.get(&category.id);
                let waiting: Vec<Place> = queue
                    .map(|q| q.iter().take(LISTED_PER_LINE).map(Place::of).collect())
                    .unwrap_or_default();
                Line {
                    more: queue.map_or(0, CategoryQueue::walk_in_len) - waiting.len(),
                    waiting,
                    service: self.expected_call(category, 0.0),
                    mean_var_s2: self.service_stats(category).mean_var(prior_s(category)),
                    arrivals: self.foreseen_arrivals(category, now, local),
                    slots: queue
                        .map(|q| q.slots().map(SlotPlace::of).collect())
                        .unwrap_or_default(),
                    bookings,
                }
            })
            .collect();
        (lines, self.servers(now))
    }

    /// What a replay at `now` depends on besides the lines' first tickets, which
    /// [`Office::fronts`] stands for: cheap to make, so that a burst of issued tickets is
    /// answered from one replay.
    pub(super) fn replay_key(&self, now: Timestamp) -> ReplayKey {
        let local = local_datetime(&self.config.office.tz, now);
        ReplayKey {
            now_ms: now.as_millisecond(),
            fronts: self.fronts,
            lines: self
                .config
                .categories
                .iter()
                .map(|category| {
                    LineKey::of(
                        self.queues
                            .get(&category.id)
                            .map_or(0, CategoryQueue::walk_in_len),
                        self.expected_call(category, 0.0),
                        self.service_stats(category).mean_var(prior_s(category)),
                        self.foreseen_arrivals(category, now, local),
                    )
                })
                .collect(),
            servers: self.servers(now),
        }
    }

    /// The open counters, each serving its work profile in force and free when its current
    /// call is expected to end.
    fn servers(&self, now: Timestamp) -> Vec<Server> {
        self.counters
            .iter()
            .enumerate()
            .filter(|(_, status)| status.state == CounterState::Open)
            .map(|(index, status)| (self.profile_at(index), status))
            .map(|(profile, status)| Server {
                lines: profile
                    .categories
                    .iter()
                    .filter_map(|id| self.category_index(id))
                    .collect(),
                listed: profile.order == CounterOrder::Listed,
                free_in: status
                    .current
                    .as_ref()
                    .and_then(|id| self.ticket_ref(id))
                    .map_or(Moments::default(), |ticket| {
                        self.remaining_call(ticket, now)
                    }),
            })
            .collect()
    }

    /// Today's counter times of `category` (none yet: empty).
    fn service_stats(&self, category: &CategoryConfig) -> &ServiceStats {
        static NONE: ServiceStats = ServiceStats::EMPTY;
        self.service.get(&category.id).unwrap_or(&NONE)
    }

    /// The counter time still to come of a call of `category` that has run `elapsed_s`.
    fn expected_call(&self, category: &CategoryConfig, elapsed_s: f64) -> Moments {
        self.service_stats(category)
            .remaining(elapsed_s, prior_s(category))
    }

    /// How much longer a counter is likely to be busy with the ticket it called.
    fn remaining_call(&self, ticket: &Ticket, now: Timestamp) -> Moments {
        let Some(category) = self.config.category(&ticket.category) else {
            return Moments::default();
        };
        let elapsed = ticket
            .last_called_at
            .map_or(0.0, |at| now.duration_since(at).as_secs_f64());
        self.expected_call(category, elapsed)
    }

    /// The tickets of `category` to expect from `now` until its issuing closes today.
    fn foreseen_arrivals(
        &self,
        category: &CategoryConfig,
        now: Timestamp,
        local: jiff::civil::DateTime,
    ) -> Arrivals {
        let (Some(hours), Some(log)) = (
            category.hours.day(local.weekday()),
            self.issues.get(&category.id),
        ) else {
            return Arrivals::default();
        };
        let second_of_day = f64::from(local.hour()) * 3600.0
            + f64::from(local.minute()) * 60.0
            + f64::from(local.second());
        let forecast = log.forecast(
            now.as_millisecond(),
            second_of_day - f64::from(hours.open_min) * 60.0,
            f64::from(hours.close_min) * 60.0 - second_of_day,
        );
        // How many of them are priority tickets: the office's share today, not the category's
        // last hour (one priority ticket among a handful must not foresee one every quarter).
        let share = if category.priority {
            self.priority_share(now)
        } else {
            0.0
        };
        forecast.with_priority_share(share)
    }

    /// The share of priority tickets among the tickets issued today before `now` in the
    /// categories that offer them (0 before any).
    fn priority_share(&self, now: Timestamp) -> f64 {
        let (mut normal, mut priority) = (0, 0);
        for category in self.config.categories.iter().filter(|c| c.priority) {
            if let Some(log) = self.issues.get(&category.id) {
                let (n, p) = log.counts_before(now.as_millisecond());
                normal += n;
                priority += p;
            }
        }
        if priority == 0 {
            0.0
        } else {
            priority as f64 / (normal + priority) as f64
        }
    }
}

/// The configured counter time of a category, in seconds.
fn prior_s(category: &CategoryConfig) -> f64 {
    f64::from(category.expected_service_s)
}
