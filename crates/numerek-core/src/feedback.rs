//! Satisfaction: a served citizen rates the visit from 1 to 5, once, on the phone that follows
//! the ticket or on a tablet at the counter.
//!
//! The rules, pure and with the time passed in:
//! - only a `done` ticket is rated ([`DomainError::TicketNotDone`]), and only once
//!   ([`DomainError::FeedbackGiven`]);
//! - by its id (the phone), for [`FEEDBACK_WINDOW`] after its finish
//!   ([`DomainError::FeedbackClosed`]);
//! - at a counter (the tablet), the counter's last `done` ticket, while its finish is at most
//!   [`COUNTER_WINDOW`] old ([`DomainError::NoRecentTicket`]); one that was rated on the phone
//!   already is [`DomainError::FeedbackGiven`] there too.
//!
//! Nothing about who rated is kept: the ticket keeps its [`Score`] alone — not when it was
//! given, not from where, no address and no token. The `feedback.given` event that makes the
//! rating durable names no ticket on any feed.

use crate::error::DomainError;
use crate::ticket::{Ticket, TicketState};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// How long after its finish a ticket may be rated by its id: the day of the visit and the
/// evening after, for someone who rates at home.
pub const FEEDBACK_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// How long after a finish the counter's tablet may rate it: the person is still at the
/// counter, or just leaving it. Beyond that, whoever touches the tablet is likely someone else.
pub const COUNTER_WINDOW: SignedDuration = SignedDuration::from_mins(3);

/// A rating: 1 (very dissatisfied) to 5 (very satisfied), the five faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl Score {
    /// The lowest score.
    pub const MIN: u8 = 1;
    /// The highest score.
    pub const MAX: u8 = 5;

    /// The score `value`, if it is 1 to 5.
    pub fn new(value: u8) -> Option<Self> {
        (Self::MIN..=Self::MAX)
            .contains(&value)
            .then_some(Self(value))
    }

    /// The score as a number, 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value).ok_or_else(|| format!("a score is 1 to 5, not {value}"))
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> Self {
        score.0
    }
}

/// Until when `ticket` may be rated by its id: [`FEEDBACK_WINDOW`] after its finish, for a
/// `done` ticket; `None` for any other.
pub fn open_until(ticket: &Ticket) -> Option<Timestamp> {
    if ticket.state != TicketState::Done {
        return None;
    }
    ticket.finished_at?.checked_add(FEEDBACK_WINDOW).ok()
}

/// Whether `ticket` may be rated at `now` by its id; the reason when not. The checks run in the
/// order of the errors: not done, rated already, too late.
///
/// # Errors
/// [`DomainError::TicketNotDone`], [`DomainError::FeedbackGiven`],
/// [`DomainError::FeedbackClosed`].
pub fn check_by_id(ticket: &Ticket, now: Timestamp) -> Result<(), DomainError> {
    check_done_and_open(ticket)?;
    match open_until(ticket) {
        Some(until) if now <= until => Ok(()),
        _ => Err(DomainError::FeedbackClosed(ticket.number.to_string())),
    }
}

/// Whether the counter's last `done` ticket, `last` (if any), may be rated at `now` from the
/// counter's tablet; the reason when not.
///
/// # Errors
/// [`DomainError::NoRecentTicket`] when there is none or it finished more than
/// [`COUNTER_WINDOW`] ago; [`DomainError::FeedbackGiven`] when it was rated already.
pub fn check_at_counter(
    counter: &str,
    last: Option<&Ticket>,
    now: Timestamp,
) -> Result<(), DomainError> {
    let recent = last.filter(|ticket| {
        ticket.state == TicketState::Done
            && ticket
                .finished_at
                .is_some_and(|finished| now.duration_since(finished) <= COUNTER_WINDOW)
    });
    let Some(ticket) = recent else {
        return Err(DomainError::NoRecentTicket(counter.to_owned()));
    };
    check_done_and_open(ticket)
}

/// A `done` ticket not rated yet.
fn check_done_and_open(ticket: &Ticket) -> Result<(), DomainError> {
    if ticket.state != TicketState::Done {
        return Err(DomainError::TicketNotDone(ticket.number.to_string()));
    }
    if ticket.feedback.is_some() {
        return Err(DomainError::FeedbackGiven(ticket.number.to_string()));
    }
    Ok(())
}

/// The ticket as it is once rated `score`.
pub fn rated(ticket: &Ticket, score: Score) -> Ticket {
    let mut rated = ticket.clone();
    rated.feedback = Some(score);
    rated
}
