// When a closed category opens again, as a kiosk or a lobby screen says it: "otwarte od
// poniedziałku 7:30", "opens Monday 7:30", "otwarte jutro od 7:30", "opens today at 13:00".
//
// The server names the instant (each category's `opens_at` in the status) and the office day
// (the status's `office_date`): "today" and "tomorrow" count from that day, on the office's
// clock, never from the device's, which may be wrong or set to another zone.

const TEXTS = {
  pl: {
    today: "otwarte dziś od {time}",
    tomorrow: "otwarte jutro od {time}",
    later: "otwarte od {day} {time}",
    // "od" takes the genitive: od poniedziałku, od środy.
    days: {
      mon: "poniedziałku", tue: "wtorku", wed: "środy", thu: "czwartku",
      fri: "piątku", sat: "soboty", sun: "niedzieli",
    },
    nextWeek: {
      mon: "przyszłego poniedziałku", tue: "przyszłego wtorku", wed: "przyszłej środy",
      thu: "przyszłego czwartku", fri: "przyszłego piątku", sat: "przyszłej soboty",
      sun: "przyszłej niedzieli",
    },
  },
  en: {
    today: "opens today at {time}",
    tomorrow: "opens tomorrow at {time}",
    later: "opens {day} {time}",
    days: {
      mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday",
      fri: "Friday", sat: "Saturday", sun: "Sunday",
    },
    nextWeek: {
      mon: "next Monday", tue: "next Tuesday", wed: "next Wednesday", thu: "next Thursday",
      fri: "next Friday", sat: "next Saturday", sun: "next Sunday",
    },
  },
};

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
 * @param {import("/common/i18n.js").I18n} i18n the page's languages and the office's zone
 * @param {string} opensAt the category's `opens_at`
 * @param {string} officeDate the status's `office_date` (the office's today)
 * @param {{capital?: boolean}} [options] start with a capital letter (a sentence of its own)
 * @returns {string} "" when `opensAt` is missing
 */
export function openingText(i18n, opensAt, officeDate, { capital = false } = {}) {
  const at = new Date(opensAt);
  if (!opensAt || Number.isNaN(at.getTime())) return "";
  const texts = TEXTS[i18n.language] || TEXTS[i18n.languages.find((l) => TEXTS[l])] || TEXTS.en;
  const when = local(at, i18n.timeZone);
  const days = Math.round((when.day - dayOf(officeDate)) / 86400000);
  let text;
  if (days <= 0) text = texts.today.replace("{time}", when.time);
  else if (days === 1) text = texts.tomorrow.replace("{time}", when.time);
  else {
    const names = days >= 7 ? texts.nextWeek : texts.days;
    text = texts.later.replace("{day}", names[when.weekday] || when.weekday).replace("{time}", when.time);
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
