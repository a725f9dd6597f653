// A wait as an honest range, as the kiosk, the printed ticket, the lobby display and the ticket
// page say it: "ok. 10–15 min", "about 10–15 min", "do 2 min" / "up to 2 min".
//
// The server gives every estimate with `estimated_wait_range_s`, `[low, high]` in seconds: an
// interval that holds the real wait for about four tickets in five (docs/estimation.md). A page
// shows that range, never the single estimate: one number reads as a promise, and a third of
// the people would wait noticeably longer than it. The bounds are widened to whole minutes (the
// low one down, the high one up), and past 20 minutes to whole five minutes, so that the words
// never claim more precision than the range has and never hold less than it does. The words are
// the `wait` section of the texts (`texts/pl.js`, `texts/en.js`).

/** Above this many minutes, bounds are rounded to five minutes. */
const FIVES_ABOVE_MIN = 20;

/**
 * A range's bounds in whole minutes: `low` rounded down, `high` up (past 20 minutes both to
 * five minutes), `high` at least a minute above `low`.
 * @param {[number, number]} range `[low, high]` in seconds
 * @returns {[number, number] | null} null unless two finite numbers, low ≤ high
 */
export function rangeMinutes(range) {
  if (!Array.isArray(range) || range.length !== 2) return null;
  const [low, high] = range.map(Number);
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) return null;
  let lowMin = Math.max(0, Math.floor(low / 60 + 1e-9));
  let highMin = Math.max(lowMin + 1, Math.ceil(high / 60 - 1e-9));
  if (highMin > FIVES_ABOVE_MIN) {
    lowMin = Math.floor(lowMin / 5) * 5;
    highMin = Math.ceil(highMin / 5) * 5;
  }
  return [lowMin, highMin];
}

/** Minutes for people: "12 min", "1 h", "1 h 5 min". */
function span(total) {
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/**
 * The words for a wait range: "about 10–15 min" ("ok. 10–15 min"), "about 50 min – 1 h 20 min",
 * and "up to 2 min" ("do 2 min") when it may be no wait at all.
 * @param {{text: (path: string, params?: object) => string}} i18n the page's languages
 * @param {[number, number] | null | undefined} range the answer's `estimated_wait_range_s`
 * @returns {string} "" without a range
 */
export function waitRangeText(i18n, range) {
  const minutes = rangeMinutes(range);
  if (!minutes) return "";
  const [low, high] = minutes;
  if (low === 0) return i18n.text("wait.upTo", { high: span(high) });
  const between = high < 60 ? `${low}–${high} min` : `${span(low)} – ${span(high)}`;
  return i18n.text("wait.about", { range: between });
}
