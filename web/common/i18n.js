// Texts in the office languages. Each page brings its dictionary; this module switches the
// language of the page (`<html lang>`, every `data-i18n` element) and formats values.
//
// Dictionaries map a language to keys: `{pl: {take: "Pobierz numerek"}, en: {take: "Take a number"}}`.
// A text may hold `{name}` placeholders filled from `params`.

export class I18n {
  /**
   * @param {Record<string, Record<string, string>>} dictionary
   * @param {string[]} languages the office languages, first the default
   * @param {string} [timeZone] the office's IANA zone: dates and clocks show the office's time,
   *   whatever zone the device is set to
   */
  constructor(dictionary, languages, timeZone = undefined) {
    this.timeZone = timeZone;
    this.dictionary = dictionary;
    this.languages = languages.filter((l) => dictionary[l]);
    if (this.languages.length === 0) this.languages = Object.keys(dictionary);
    this.language = this.languages[0];
    this.listeners = [];
  }

  /** The text of `key` in the current language (the default language's, or the key itself, when missing). */
  t(key, params = {}) {
    const text =
      (this.dictionary[this.language] || {})[key] ??
      (this.dictionary[this.languages[0]] || {})[key] ??
      key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
  }

  /** A configured text (`{pl: "...", en: "..."}`) in the current language. */
  pick(localized) {
    if (!localized) return "";
    return localized[this.language] ?? localized[this.languages[0]] ?? Object.values(localized)[0] ?? "";
  }

  /** Switches the page to `language` and re-renders every `data-i18n` element. */
  set(language, root = document) {
    if (!this.languages.includes(language)) return;
    this.language = language;
    document.documentElement.lang = language;
    this.apply(root);
    for (const listener of this.listeners) listener(language);
  }

  /**
   * Keeps the language a person chooses (`choose`) in the browser's storage under `key`, and
   * takes the one kept there now, if any. Storage may be disabled; then nothing is kept.
   */
  remember(key) {
    this.storageKey = key;
    try {
      const stored = localStorage.getItem(key);
      if (stored) this.language = stored;
    } catch {
      // Storage may be disabled.
    }
  }

  /** Switches to `language` as a person's choice, kept for their next visit (see `remember`). */
  choose(language) {
    this.set(language);
    if (!this.storageKey) return;
    try {
      localStorage.setItem(this.storageKey, language);
    } catch {
      // Storage may be disabled.
    }
  }

  /** Calls `listener(language)` after every switch. */
  onChange(listener) {
    this.listeners.push(listener);
  }

  /** Fills `data-i18n="key"` elements' text and `data-i18n-label="key"` elements' aria-label. */
  apply(root = document) {
    for (const element of root.querySelectorAll("[data-i18n]")) {
      element.textContent = this.t(element.dataset.i18n);
    }
    for (const element of root.querySelectorAll("[data-i18n-label]")) {
      element.setAttribute("aria-label", this.t(element.dataset.i18nLabel));
    }
    for (const element of root.querySelectorAll("[data-i18n-title]")) {
      element.title = this.t(element.dataset.i18nTitle);
    }
  }

  /** The next office language after the current one (for a one-button switch). */
  next() {
    const index = this.languages.indexOf(this.language);
    return this.languages[(index + 1) % this.languages.length];
  }

  /** The office's time as HH:MM. */
  time(date) {
    return this.format(date, { hour: "2-digit", minute: "2-digit" });
  }

  /** The office's date, long form ("wtorek, 24 listopada 2026"). */
  date(date) {
    return this.format(date, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  }

  /** The office's date, short form ("24.11.2026"). */
  shortDate(date) {
    return this.format(date, { day: "2-digit", month: "2-digit", year: "numeric" });
  }

  /** The office's weekday as in the office file: "mon" … "sun". */
  weekday(date) {
    const name = new Intl.DateTimeFormat("en-US", { weekday: "short", timeZone: this.timeZone }).format(date);
    return name.slice(0, 3).toLowerCase();
  }

  format(date, options) {
    return new Intl.DateTimeFormat(this.locale(), { ...options, timeZone: this.timeZone }).format(date);
  }

  locale() {
    return { pl: "pl-PL", en: "en-GB" }[this.language] || this.language;
  }
}

/**
 * A wait in whole minutes for people: "< 1 min", "12 min", "1 h 5 min".
 * @param {number|null} seconds
 */
export function minutes(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const total = Math.round(seconds / 60);
  if (total < 1) return "< 1 min";
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** mm:ss (or h:mm:ss) of a running duration in seconds. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}
