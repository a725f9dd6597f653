// Texts in the office languages. The texts live in one file per language (`texts/pl.js`,
// `texts/en.js`, registered in `texts/index.js`), one section per page: an I18n speaks for one
// page, whose texts `t(key)` gives in the current language. It switches the page's language
// (`<html lang>`, every `data-i18n` element, the language switch) and formats values.
//
// A text may hold `{name}` placeholders filled from `params`.

import { $$ } from "./dom.js";
import { LANGUAGES, TEXTS } from "./texts/index.js";

export { LANGUAGES };

/** The value at a dotted `path` ("kiosk.title") of `texts`, or undefined. */
function lookup(texts, path) {
  let value = texts;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/** `text` with its `{name}` placeholders filled from `params` (unknown ones stay as they are). */
function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

export class I18n {
  /**
   * @param {string} page the page's section of the texts: "index", "kiosk", "display", "counter",
   *   "ticket" or "reports"
   * @param {object} [options]
   * @param {string[]} [options.languages] the office languages, first the default (see
   *   `useLanguages`); until the office is known, every language with texts
   * @param {string} [options.timeZone] the office's IANA zone: dates and clocks show the office's
   *   time, whatever zone the device is set to
   * @param {Record<string, object>} [options.texts] every language's texts by code (tests bring
   *   their own; pages use the registered languages')
   */
  constructor(page, { languages = LANGUAGES, timeZone = undefined, texts = TEXTS } = {}) {
    this.page = page;
    this.texts = texts;
    this.timeZone = timeZone;
    /** The languages the page offers, the default first. */
    this.languages = [];
    /** The language shown. */
    this.language = undefined;
    this.listeners = [];
    this.useLanguages(languages);
  }

  /**
   * Offers the office's `languages` (first the default): those with texts, in the office's order,
   * or every language with texts when none of them has any. The current language stays when it is
   * offered, else it becomes the default; call `set` to show it.
   */
  useLanguages(languages) {
    const known = [...new Set(languages || [])].filter((l) => Object.hasOwn(this.texts, l));
    this.languages = known.length ? known : Object.keys(this.texts);
    if (!this.languages.includes(this.language)) this.language = this.languages[0];
  }

  /**
   * The page's text of `key` in `language` (by default the current one); the default language's
   * when that language lacks it (see `find`), or the key itself when no language has it.
   */
  t(key, params = {}, language = this.language) {
    return fill(this.find(`${this.page}.${key}`, language) ?? key, params);
  }

  /** Any section's text by its whole path ("opening.today"), as `t` does for the page's own. */
  text(path, params = {}, language = this.language) {
    return fill(this.find(path, language) ?? path, params);
  }

  /** Whether the page has a text of `key` (e.g. for an API error's code). */
  has(key) {
    return this.find(`${this.page}.${key}`, this.language) !== undefined;
  }

  /** The text at `path` in `language`, else the office's default, else the first registered. */
  find(path, language) {
    for (const code of [language, this.languages[0], Object.keys(this.texts)[0]]) {
      const text = lookup(this.texts[code], path);
      if (typeof text === "string") return text;
    }
    return undefined;
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
   * takes the one kept there now, if the page offers it. Storage may be disabled; then nothing
   * is kept.
   */
  remember(key) {
    this.storageKey = key;
    try {
      const stored = localStorage.getItem(key);
      if (stored && this.languages.includes(stored)) this.language = stored;
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
    for (const element of $$("[data-i18n]", root)) {
      element.textContent = this.t(element.dataset.i18n);
    }
    for (const element of $$("[data-i18n-label]", root)) {
      element.setAttribute("aria-label", this.t(element.dataset.i18nLabel));
    }
    for (const element of $$("[data-i18n-title]", root)) {
      element.title = this.t(element.dataset.i18nTitle);
    }
  }

  /** The next office language after the current one (for a one-button switch). */
  next() {
    const index = this.languages.indexOf(this.language);
    return this.languages[(index + 1) % this.languages.length];
  }

  /** A language's name in itself ("English"), for the language switch. */
  languageName(language) {
    return lookup(this.texts[language], "name") ?? language.toUpperCase();
  }

  /**
   * Makes `button` the page's language switch: it names the next office language, in that
   * language, after every switch, and is hidden while the office has only one. Pressed, it calls
   * `switchTo(language)`: by default `choose`, so the choice is kept for the next visit.
   */
  bindSwitch(button, switchTo = (language) => this.choose(language)) {
    const render = () => {
      const next = this.next();
      button.textContent = this.languageName(next);
      button.lang = next;
      button.hidden = this.languages.length < 2;
    };
    this.onChange(render);
    render();
    button.addEventListener("click", () => switchTo(this.next()));
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

  /** The locale of dates and numbers in the current language ("pl-PL"). */
  locale() {
    return lookup(this.texts[this.language], "locale") ?? this.language;
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
