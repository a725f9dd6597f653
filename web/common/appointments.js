// Appointments in the pages (docs/appointments.md): booking codes as people read and type
// them, the office's days of a slot listing, and which categories take bookings. Shared by the
// booking page (/book/), the kiosk's check-in and the counter's appointments panel.

/** The characters of a booking code: no 0/O, no 1/I, so none is mistaken for another. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** How many characters a code has. */
export const CODE_LENGTH = 8;

/** How many characters one group of a code shown to people has ("7K3M QX9P"). */
export const GROUP_LENGTH = 4;

/**
 * What a person typed, as the characters of a code: upper case, spaces and dashes (of a code
 * written in groups) left out. Null when anything else is in it, or it is longer than a code.
 * @param {string} typed
 * @returns {string|null}
 */
export function codeInput(typed) {
  const code = String(typed ?? "").toUpperCase().replace(/[\s-]/g, "");
  if (code.length > CODE_LENGTH) return null;
  return [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}

/** Whether `typed` is a whole code (see `codeInput`). */
export function isCode(typed) {
  const code = codeInput(typed);
  return code !== null && code.length === CODE_LENGTH;
}

/**
 * A code (or the part of one typed so far) in groups of four, for reading aloud and copying by
 * hand: "7K3MQX9P" → "7K3M QX9P". With `blanks`, the characters still missing are shown as
 * `blank` ("7K3 ____" style): the kiosk's code entry.
 */
export function groupCode(code, { blanks = false, blank = "_" } = {}) {
  let text = String(code ?? "");
  if (blanks) text = text.padEnd(CODE_LENGTH, blank);
  const groups = [];
  for (let at = 0; at < text.length; at += GROUP_LENGTH) groups.push(text.slice(at, at + GROUP_LENGTH));
  return groups.join(" ");
}

/** The office's calendar date of `instant` ("2026-12-08") in the IANA zone `timeZone`. */
export function officeDate(instant, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** The date `days` after the calendar date `date` ("2026-12-31", 1 → "2027-01-01"). */
export function addDays(date, days) {
  const [year, month, day] = date.split("-").map(Number);
  const next = new Date(Date.UTC(year, month - 1, day + days));
  return next.toISOString().slice(0, 10);
}

/**
 * A slot listing's slots by the office's day: `[{date, slots, free}]` in the order of the
 * days, each day's slots in order of their start; `free` is the day's free places. Days without
 * slots are not in it.
 * @param {{start: string, end: string, free: number}[]} slots
 * @param {string} timeZone the office's zone
 */
export function slotsByDay(slots, timeZone) {
  const days = new Map();
  const sorted = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const slot of sorted) {
    const date = officeDate(new Date(slot.start), timeZone);
    if (!days.has(date)) days.set(date, { date, slots: [], free: 0 });
    const day = days.get(date);
    day.slots.push(slot);
    day.free += slot.free;
  }
  return [...days.values()];
}

/**
 * The categories of the office document (`GET /office`) that take bookings: those with
 * `appointments`, in the office's order.
 * @param {{categories: object[]}} office
 */
export function bookableCategories(office) {
  return (office?.categories || []).filter((category) => Boolean(category.appointments));
}

/**
 * The last day of a category's slot listing from `today`: `days_ahead` days on, but no more
 * than one listing covers (31 days, today included).
 * @param {{appointments: {days_ahead: number}}} category
 * @param {string} today
 */
export function lastBookableDay(category, today) {
  const ahead = category?.appointments?.days_ahead ?? MAX_LISTED_DAYS - 1;
  return addDays(today, Math.min(ahead, MAX_LISTED_DAYS - 1));
}

/** How many days one slot listing of the API covers at most. */
export const MAX_LISTED_DAYS = 31;

/**
 * The check-in window a `checkin_too_early` / `checkin_too_late` refusal names in its message,
 * in the office's local time: `{opensDate, opens, closesDate, closes}` ("2026-12-08", "09:45",
 * "2026-12-08", "10:25"), or null when the message names none.
 * @param {string} message
 */
export function refusalWindow(message) {
  const text = String(message ?? "");
  const sameDay = /(\d{4}-\d{2}-\d{2}) from (\d{2}:\d{2}) to (\d{2}:\d{2})/.exec(text);
  if (sameDay) {
    const [, date, opens, closes] = sameDay;
    return { opensDate: date, opens, closesDate: date, closes };
  }
  const twoDays = /from (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) to (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/.exec(text);
  if (twoDays) {
    const [, opensDate, opens, closesDate, closes] = twoDays;
    return { opensDate, opens, closesDate, closes };
  }
  return null;
}
