//! What the staffing figures need of the counters: for each office day, the stretches of time
//! each counter was open or paused and the categories it served meanwhile.
//!
//! The record is made from the day's `counter.changed` events, which carry the counter's
//! whole setup after each change (state and work profile), so a day's events alone give it:
//! the store keeps one [`CounterDay`] per office day, and can remake today's from the event log
//! after a restart.

use crate::counter::CounterState;
use crate::event::{Event, EventKind};
use jiff::Timestamp;
use jiff::civil::Date;

/// One stretch of a day during which a counter was open (or paused) with one work profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterSpan {
    /// The counter's id.
    pub counter: String,
    /// [`CounterState::Open`] or [`CounterState::Paused`]; closed time is not recorded.
    pub state: CounterState,
    /// When the stretch began, in milliseconds since the Unix epoch.
    pub start_ms: i64,
    /// When it ended (excluded).
    pub end_ms: i64,
    /// The categories the counter served meanwhile (its work profile). Empty only when recorded
    /// from an event of a version without work profiles: the office file's categories then.
    pub categories: Vec<String>,
}

/// The counters of one office day: every stretch any counter was open or paused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterDay {
    /// The office day.
    pub office_date: Date,
    /// The stretches, in the order they ended.
    pub spans: Vec<CounterSpan>,
}

impl CounterDay {
    /// The record of `office_date` made from its events (in sequence order), with stretches
    /// still running at `end` ended there.
    pub fn from_events<'a>(
        office_date: Date,
        events: impl IntoIterator<Item = &'a Event>,
        end: Timestamp,
    ) -> Self {
        let mut recorder = CounterDayRecorder::new(office_date);
        for event in events {
            recorder.record(event);
        }
        recorder.record_until(end)
    }
}

/// A counter's stretch that has begun and not yet ended.
#[derive(Debug, Clone)]
struct Running {
    counter: String,
    state: CounterState,
    start_ms: i64,
    categories: Vec<String>,
}

/// Builds a day's [`CounterDay`] from its events, one at a time: every day starts with every
/// counter closed.
#[derive(Debug, Clone)]
pub struct CounterDayRecorder {
    office_date: Date,
    running: Vec<Running>,
    spans: Vec<CounterSpan>,
}

impl CounterDayRecorder {
    /// A recorder of `office_date`, with every counter closed.
    pub fn new(office_date: Date) -> Self {
        Self {
            office_date,
            running: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// The office day it records.
    pub fn office_date(&self) -> Date {
        self.office_date
    }

    /// Takes one event of the day into account: a `counter.changed` ends the counter's running
    /// stretch and, unless it closes the counter, begins a new one with the state and profile
    /// it carries; the `day.started` of a later day ends every stretch. Other events change
    /// nothing here.
    pub fn record(&mut self, event: &Event) {
        let at = event.at.as_millisecond();
        match &event.kind {
            EventKind::CounterChanged {
                counter,
                state,
                categories,
                ..
            } => {
                self.end(counter, at);
                if *state != CounterState::Closed {
                    self.running.push(Running {
                        counter: counter.clone(),
                        state: *state,
                        start_ms: at,
                        categories: categories.clone(),
                    });
                }
            }
            EventKind::DayStarted { office_date } if *office_date > self.office_date => {
                let counters: Vec<String> =
                    self.running.iter().map(|r| r.counter.clone()).collect();
                for counter in counters {
                    self.end(&counter, at);
                }
            }
            _ => {}
        }
    }

    /// Ends a counter's running stretch at `at_ms`, if it has one; a stretch of no time is
    /// dropped.
    fn end(&mut self, counter: &str, at_ms: i64) {
        let Some(index) = self.running.iter().position(|r| r.counter == counter) else {
            return;
        };
        let running = self.running.swap_remove(index);
        if at_ms > running.start_ms {
            self.spans.push(CounterSpan {
                counter: running.counter,
                state: running.state,
                start_ms: running.start_ms,
                end_ms: at_ms,
                categories: running.categories,
            });
        }
    }

    /// The record so far, with the stretches still running ended at `end` (the end of the
    /// day, or now for today).
    pub fn record_until(&self, end: Timestamp) -> CounterDay {
        let mut copy = self.clone();
        let mut counters: Vec<String> = copy.running.iter().map(|r| r.counter.clone()).collect();
        counters.sort();
        for counter in counters {
            copy.end(&counter, end.as_millisecond());
        }
        CounterDay {
            office_date: self.office_date,
            spans: copy.spans,
        }
    }
}
