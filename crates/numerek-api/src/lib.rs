//! numerek-api: the JSON shapes of numerek's HTTP and WebSocket API v1 (`docs/api.md`), as
//! serde types.
//!
//! The server answers with these types, and the command line, the benchmark, the simulator and
//! the tests read answers back into them: one definition of each shape. The crate depends on
//! serde and jiff only, so a client needs nothing else; the `openapi` feature adds the OpenAPI
//! schemas (utoipa) the server publishes its document with.
//!
//! # Layout
//! - [`format`]: timestamps ([`Time`]), durations ([`Seconds`]) and ticket numbers, each
//!   written the one way the API promises.
//! - [`appointment`]: bookings, the slots on offer and the staff's list of a day.
//! - [`ticket`]: a ticket whole, as the staff feed carries it and as the public sees it; the
//!   kiosk's request.
//! - [`status`]: the office at a glance and a counter's state in it.
//! - [`office`]: the office document.
//! - [`counter`]: a counter's view, its actions' answer and bodies.
//! - [`feed`]: the messages of the live feed.
//! - [`feedback`]: rating a visit, and what a ticket says about its rating.
//! - [`report`]: the summary, the ticket listing and their queries.
//! - [`token`]: access tokens.
//! - [`error`]: the error body and the health answer.
//! - [`open_data`]: the open-data document in the City of Warsaw's two shapes, and its error.
//!
//! Field order is wire order: serde writes fields as they are declared here, and the CSV of the
//! reports takes its columns from [`report::Row`] and [`report::ReportTicket`] in that order.

pub mod appointment;
pub mod counter;
pub mod error;
pub mod feed;
pub mod feedback;
pub mod format;
pub mod office;
pub mod open_data;
pub mod report;
pub mod staffing;
pub mod status;
pub mod ticket;
pub mod token;

pub use appointment::{
    Appointment, AppointmentList, AppointmentListQuery, AppointmentState, AppointmentTicket,
    BookRequest, Slot, Slots, SlotsQuery, TicketAppointment,
};
pub use counter::{
    CallRequest, CounterAnswer, CounterView, Empty, Position, ProfileAnswer, ProfileRequest,
    TransferRequest,
};
pub use error::{ErrorBody, ErrorDetail, Health, HealthStatus};
pub use feed::FeedMessage;
pub use feedback::{FeedbackAnswer, FeedbackRequest, TicketFeedback};
pub use format::{Seconds, TicketNumber, Time, WaitRange};
pub use office::{
    Category, CategoryAppointments, Counter, Form, LocalizedText, Office, OfficeInfo, WeekHours,
};
pub use open_data::{
    WarsawError, WarsawGroup, WarsawGroup2016, WarsawQueues, WarsawQueues2016, WarsawResult,
    WarsawResult2016,
};
pub use report::{
    GroupBy, ReportFormat, ReportTicket, Row, RowKey, Summary, SummaryQuery, TicketListing,
    TicketsQuery,
};
pub use staffing::{Staffing, StaffingQuery, StaffingRow, Weekday};
pub use status::{
    CategoryStatus, ClosedReason, CounterOrder, CounterState, CounterStateName, CurrentTicket,
    PublicCurrentTicket, RecentCall, StaffCurrentTicket, Status,
};
pub use ticket::{EventTicket, IssueRequest, PublicTicket, Ticket, TicketCore, TicketState};
pub use token::{CreateTokenRequest, NewToken, Role, Token, TokenList};
