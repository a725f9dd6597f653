//! Why the office refuses a command. A refused command changes nothing.
//!
//! No message carries a booking code: a code is a key, and messages end up in logs.

use crate::appointment::{AppointmentState, LocalWindow};
use jiff::civil::Date;

use crate::opening::Opening;

/// A refusal, one variant per reason a caller can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The category does not exist.
    #[error("there is no category \"{0}\"")]
    UnknownCategory(String),
    /// The counter does not exist.
    #[error("there is no counter \"{0}\"")]
    UnknownCounter(String),
    /// No ticket of today has that number or id.
    #[error("there is no ticket {0} today")]
    UnknownTicket(String),
    /// Priority was asked for in a category that does not offer it.
    #[error("category \"{0}\" does not offer priority tickets")]
    PriorityNotOffered(String),
    /// The language is not one of the office's.
    #[error("language \"{0}\" is not one of the office's languages")]
    UnknownLanguage(String),
    /// Outside the category's issuing hours.
    #[error("category \"{category}\" is not issuing tickets now; {}", opens_phrase(.opens))]
    CategoryClosed {
        /// The category.
        category: String,
        /// When it opens (`None`: its hours never open).
        opens: Option<Opening>,
    },
    /// The cut-off: a ticket taken now would, by the estimate, be called after the category's
    /// last call of the day (its closing time plus its `cutoff_min`).
    #[error(
        "tickets for category \"{category}\" are no longer issued today: the estimated wait of \
         {wait_min} minutes runs past {last_call}, the last call of the day{}",
        opens_again(.opens)
    )]
    CutOff {
        /// The category.
        category: String,
        /// The estimated wait, in whole minutes (rounded up).
        wait_min: u32,
        /// The last call, local `HH:MM`.
        last_call: String,
        /// When it issues again (with the next day's hours).
        opens: Option<Opening>,
    },
    /// The category's daily limit is used up: by the tickets issued, and the places kept for
    /// the visits booked today.
    #[error(
        "category \"{0}\" has no ticket left of the {1} it may issue today (issued, or kept for \
         booked visits)"
    )]
    DailyLimitReached(String, u32),
    /// The counter holds no called ticket.
    #[error("counter \"{0}\" has no current ticket")]
    NoCurrentTicket(String),
    /// The ticket is not waiting, so it cannot be called or cancelled.
    #[error("ticket {0} is not waiting")]
    TicketNotWaiting(String),
    /// A work profile without any category.
    #[error("a counter must serve at least one category")]
    EmptyProfile,
    /// A work profile that names a category twice.
    #[error("category \"{0}\" is listed twice")]
    RepeatedCategory(String),
    /// A clerk asked for a category outside the counter's `may_serve`.
    #[error(
        "the office file does not let a clerk move counter \"{counter}\" to category \
         \"{category}\" (its may_serve); a manager can"
    )]
    NotMayServe {
        /// The counter.
        counter: String,
        /// The first category asked for that it may not serve.
        category: String,
    },
    /// No appointment has that code (the office holds those of today and later).
    #[error("there is no appointment with this code")]
    UnknownAppointment,
    /// The category takes no bookings (it has no `appointments` in the office file).
    #[error("category \"{0}\" takes no appointments")]
    NoAppointments(String),
    /// The time asked for is not a slot that can be booked now.
    #[error("this slot cannot be booked: {0}")]
    SlotUnavailable(SlotProblem),
    /// Every place of the slot is booked.
    #[error("this slot is fully booked")]
    SlotFull,
    /// The appointment is no longer `booked`: it cannot be cancelled or checked in.
    #[error("the appointment is {}, not booked", .0.as_str())]
    AppointmentNotBooked(AppointmentState),
    /// Checking in before the window opens.
    #[error("it is too early to check in: check-in for this appointment is open {0}")]
    CheckinTooEarly(LocalWindow),
    /// Checking in after the window closed (the appointment is, or is about to be, missed).
    #[error("it is too late to check in: check-in for this appointment was open {0}")]
    CheckinTooLate(LocalWindow),
    /// A rating for a ticket that is not `done` (waiting, called, a no-show or cancelled).
    #[error("ticket {0} is not done: only a served ticket can be rated")]
    TicketNotDone(String),
    /// The ticket has been rated already (on the phone or at the counter).
    #[error("ticket {0} has been rated already")]
    FeedbackGiven(String),
    /// The ticket finished more than 24 hours ago.
    #[error("ticket {0} can no longer be rated: a visit is rated within 24 hours of its end")]
    FeedbackClosed(String),
    /// The counter finished no ticket recently enough to be rated at its tablet.
    #[error("counter \"{0}\" has finished no ticket in the last 3 minutes")]
    NoRecentTicket(String),
    /// The booking code drawn by the caller is already some appointment's: draw another.
    /// (Never a citizen's problem; the caller retries with fresh random bytes.)
    #[error("the booking code is taken")]
    BookingCodeTaken,
}

/// "it opens Monday 07:30", or that it never does.
fn opens_phrase(opens: &Option<Opening>) -> String {
    match opens {
        Some(opening) => format!("it opens {opening}"),
        None => "it has no issuing hours".to_owned(),
    }
}

/// "; it opens again tomorrow at 07:30", or nothing when it never does.
fn opens_again(opens: &Option<Opening>) -> String {
    opens
        .as_ref()
        .map(|opening| format!("; it opens again {opening}"))
        .unwrap_or_default()
}

/// Why a time is not a slot that can be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotProblem {
    /// No slot of the category starts then.
    #[error("no slot of the category starts at that time")]
    NotASlotStart,
    /// The slot has started or is over.
    #[error("the slot is in the past")]
    Past,
    /// The slot is further ahead than the category takes bookings for.
    #[error("bookings are taken at most {days_ahead} days ahead")]
    BeyondDaysAhead {
        /// The category's `days_ahead`.
        days_ahead: u32,
    },
    /// The office is closed that day.
    #[error("the office is closed on {0}")]
    ClosedDate(Date),
}
