// When a closed category opens again, as a kiosk or a lobby screen says it: "otwarte od
// poniedziałku 7:30", "opens Monday 7:30", "otwarte jutro od 7:30", "opens today at 13:00".
//
// The server names the instant (each category's `opens_at` in the status) and the office day
// (the status's `office_date`): "today" and "tomorrow" count from that day, on the office's
// clock, never from the device's, which may be wrong or set to another zone. The words are the
// `opening` section of the texts (`texts/pl.js`, `texts/en.js`).

/** The office's calendar day, weekday and clock of an instant. */
function local(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    year: "numeric", month: "2-digit", day: "2-digit", weekday: "short",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone,
  }).formatToParts(date);
  const part = (type) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    day: Date.UTC(Number(part("year")), Number(part("month")) - 1, Number(part("day"))),
    weekday: part("weekday").slice(0, 3).toLowerCase(),
    time: `${Number(part("hour"))}:${part("minute")}`,
  };
}

/** Midnight UTC of a `YYYY-MM-DD` day, to count whole days between two office days. */
function dayOf(officeDate) {
  const [year, month, day] = String(officeDate).split("-").map(Number);
  return Date.UTC(year, month - 1, day);
}

/**
 * The words for a category's next opening.
 * @param {import("./i18n.js").I18n} i18n the page's languages and the office's zone
 * @param {string} opensAt the category's `opens_at`
 * @param {string} officeDate the status's `office_date` (the office's today)
 * @param {{capital?: boolean}} [options] start with a capital letter (a sentence of its own)
 * @returns {string} "" when `opensAt` is missing
 */
export function openingText(i18n, opensAt, officeDate, { capital = false } = {}) {
  const at = new Date(opensAt);
  if (!opensAt || Number.isNaN(at.getTime())) return "";
  const when = local(at, i18n.timeZone);
  const days = Math.round((when.day - dayOf(officeDate)) / 86400000);
  let text;
  if (days <= 0) text = i18n.text("opening.today", { time: when.time });
  else if (days === 1) text = i18n.text("opening.tomorrow", { time: when.time });
  else {
    const day = i18n.text(`opening.${days >= 7 ? "nextWeek" : "days"}.${when.weekday}`);
    text = i18n.text("opening.later", { day, time: when.time });
  }
  return capital ? text.charAt(0).toLocaleUpperCase(i18n.language) + text.slice(1) : text;
}

/**
 * The office's next opening when no category issues now: the earliest `opens_at`; null while
 * any category is open (or before the first status).
 * @param {object|null} status the latest Status
 */
export function officeOpensAt(status) {
  const categories = status?.categories || [];
  if (categories.length === 0 || categories.some((c) => c.open)) return null;
  const openings = categories.map((c) => c.opens_at).filter(Boolean);
  if (openings.length === 0) return "";
  return openings.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}
