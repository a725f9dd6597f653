//! TEMPORARY stand-in while the real module is written.
use jiff::civil::{DateTime, Weekday};
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours { pub open_min: u16, pub close_min: u16 }
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeekHours { days: [Option<DayHours>; 7] }
impl WeekHours {
    pub fn day(&self, weekday: Weekday) -> Option<DayHours> { self.days[weekday.to_monday_zero_offset() as usize] }
    pub fn set_day(&mut self, weekday: Weekday, hours: Option<DayHours>) { self.days[weekday.to_monday_zero_offset() as usize] = hours; }
    pub fn is_open_at(&self, local: DateTime) -> bool {
        let m = local.hour() as u16 * 60 + local.minute() as u16;
        self.day(local.weekday()).is_some_and(|d| d.open_min <= m && m < d.close_min)
    }
}
