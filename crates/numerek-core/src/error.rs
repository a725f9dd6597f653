//! Why the office refuses a command. A refused command changes nothing.

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
    /// The category's daily limit is used up.
    #[error("category \"{0}\" has issued all {1} tickets it may issue today")]
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
