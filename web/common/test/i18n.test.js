// The I18n of the pages: texts by page and language, the fallbacks, switching and remembering a
// language, the language switch, and the formats of waits and durations.

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { I18n, LANGUAGES, clock, minutes } from "../i18n.js";
import { FakeElement, FakeStorage, fakeDocument } from "./fakes.js";

/** Three languages, the third incomplete, so that every fallback shows. */
const TEXTS = {
  pl: {
    name: "Polski",
    locale: "pl-PL",
    kiosk: { title: "Pobierz numerek", waiting: "Czeka: {count}", onlyPl: "tylko po polsku" },
    opening: { today: "otwarte dziś od {time}" },
  },
  en: {
    name: "English",
    locale: "en-GB",
    kiosk: { title: "Take a number", waiting: "Waiting: {count}", onlyPl: "in English too" },
    opening: { today: "opens today at {time}" },
  },
  de: {
    name: "Deutsch",
    kiosk: { title: "Nummer ziehen" },
  },
};

let page;
beforeEach(() => {
  page = {
    title: new FakeElement("title", { dataset: { i18n: "title" } }),
    label: new FakeElement("label", { dataset: { i18nLabel: "title" } }),
    hint: new FakeElement("hint", { dataset: { i18nTitle: "waiting" } }),
    other: new FakeElement("other"),
  };
  globalThis.document = fakeDocument(Object.values(page));
  globalThis.localStorage = new FakeStorage();
});

const make = (languages) => new I18n("kiosk", { languages, texts: TEXTS });

describe("texts", () => {
  test("a page's text in the current language, its placeholders filled", () => {
    const i18n = make(["pl", "en"]);
    assert.equal(i18n.t("title"), "Pobierz numerek");
    assert.equal(i18n.t("waiting", { count: 3 }), "Czeka: 3");
    i18n.set("en");
    assert.equal(i18n.t("waiting", { count: 0 }), "Waiting: 0");
  });

  test("a placeholder without a value stays as it is", () => {
    assert.equal(make(["pl"]).t("waiting", { other: 1 }), "Czeka: {count}");
  });

  test("a text the language lacks comes from the office's default, then the key itself", () => {
    const i18n = make(["en", "de"]);
    i18n.set("de");
    assert.equal(i18n.t("title"), "Nummer ziehen");
    assert.equal(i18n.t("waiting", { count: 2 }), "Waiting: 2", "the office's first language");
    assert.equal(i18n.t("nowhere"), "nowhere");
    assert.equal(make(["de"]).t("waiting", { count: 2 }), "Czeka: 2", "the first registered");
  });

  test("another language's text, for a voice in that language", () => {
    assert.equal(make(["pl"]).t("title", {}, "en"), "Take a number");
  });

  test("another section's text by its whole path", () => {
    const i18n = make(["en"]);
    assert.equal(i18n.text("opening.today", { time: "7:30" }), "opens today at 7:30");
    assert.equal(i18n.text("opening.nothing"), "opening.nothing");
    assert.equal(i18n.t("opening"), "opening", "a section is not a text");
  });

  test("has: whether the page has a text (API error codes)", () => {
    const i18n = make(["pl"]);
    assert.equal(i18n.has("title"), true);
    assert.equal(i18n.has("err_nothing"), false);
    assert.equal(i18n.has("toString"), false, "no inherited names");
  });

  test("configured texts pick the current language, then the default, then any", () => {
    const i18n = make(["en", "pl"]);
    assert.equal(i18n.pick({ pl: "Rejestracja", en: "Registration" }), "Registration");
    assert.equal(i18n.pick({ pl: "Rejestracja" }), "Rejestracja");
    assert.equal(i18n.pick({ uk: "Реєстрація" }), "Реєстрація");
    assert.equal(i18n.pick(null), "");
  });
});

describe("languages", () => {
  test("the office's languages with texts, in the office's order", () => {
    const i18n = make(["en", "fr", "pl", "en"]);
    assert.deepEqual(i18n.languages, ["en", "pl"]);
    assert.equal(i18n.language, "en");
  });

  test("an office with no language that has texts gets every registered one", () => {
    assert.deepEqual(make(["fr"]).languages, ["pl", "en", "de"]);
    assert.deepEqual(make([]).languages, ["pl", "en", "de"]);
  });

  test("the current language stays while offered, else the default is shown", () => {
    const i18n = make(["pl", "en"]);
    i18n.set("en");
    i18n.useLanguages(["de", "en"]);
    assert.equal(i18n.language, "en");
    i18n.useLanguages(["de", "pl"]);
    assert.equal(i18n.language, "de");
  });

  test("set switches <html lang>, every data-i18n element, and tells the listeners", () => {
    const i18n = make(["pl", "en"]);
    const heard = [];
    i18n.onChange((language) => heard.push(language));
    i18n.set("en");
    assert.equal(document.documentElement.lang, "en");
    assert.equal(page.title.textContent, "Take a number");
    assert.equal(page.label.getAttribute("aria-label"), "Take a number");
    assert.equal(page.hint.title, "Waiting: {count}");
    assert.equal(page.other.textContent, "");
    assert.deepEqual(heard, ["en"]);
  });

  test("set ignores a language the page does not offer", () => {
    const i18n = make(["pl", "en"]);
    i18n.set("de");
    assert.equal(i18n.language, "pl");
    assert.equal(page.title.textContent, "");
  });

  test("a chosen language is kept and taken again on the next visit", () => {
    const first = make(["pl", "en"]);
    first.remember("numerek.kiosk.language");
    first.choose("en");
    assert.equal(localStorage.getItem("numerek.kiosk.language"), "en");
    const next = make(["pl", "en"]);
    next.remember("numerek.kiosk.language");
    assert.equal(next.language, "en");
  });

  test("a kept language the page does not offer is not taken", () => {
    localStorage.setItem("numerek.kiosk.language", "fr");
    const i18n = make(["pl", "en"]);
    i18n.remember("numerek.kiosk.language");
    assert.equal(i18n.language, "pl");
  });

  test("disabled storage keeps nothing and breaks nothing", () => {
    globalThis.localStorage = new FakeStorage({ disabled: true });
    const i18n = make(["pl", "en"]);
    i18n.remember("numerek.kiosk.language");
    i18n.choose("en");
    assert.equal(i18n.language, "en");
  });

  test("next goes round the office's languages", () => {
    const i18n = make(["pl", "en", "de"]);
    assert.equal(i18n.next(), "en");
    i18n.set("de");
    assert.equal(i18n.next(), "pl");
  });

  test("the language switch names the next language in itself, and switches to it", () => {
    const i18n = make(["pl", "en"]);
    i18n.remember("numerek.kiosk.language");
    const button = new FakeElement("language-switch");
    i18n.bindSwitch(button);
    assert.equal(button.textContent, "English");
    assert.equal(button.lang, "en");
    assert.equal(button.hidden, false);
    button.click();
    assert.equal(i18n.language, "en");
    assert.equal(button.textContent, "Polski");
    assert.equal(button.lang, "pl");
    assert.equal(localStorage.getItem("numerek.kiosk.language"), "en", "chosen by default");
  });

  test("the language switch may do what the page wants instead, and hides for one language", () => {
    const i18n = make(["pl"]);
    const asked = [];
    const button = new FakeElement("language");
    i18n.bindSwitch(button, (language) => asked.push(language));
    assert.equal(button.hidden, true);
    button.click();
    assert.deepEqual(asked, ["pl"]);
  });

  test("a language without a name in its texts is named by its code", () => {
    assert.equal(make(["pl"]).languageName("uk"), "UK");
  });
});

describe("formats", () => {
  test("dates and times in the office's zone and the language's locale", () => {
    const i18n = new I18n("kiosk", { languages: ["pl", "en"], timeZone: "Europe/Warsaw", texts: TEXTS });
    const at = new Date("2026-11-24T06:05:00Z");
    assert.equal(i18n.time(at), "07:05");
    assert.equal(i18n.shortDate(at), "24.11.2026");
    assert.equal(i18n.weekday(at), "tue");
    assert.equal(i18n.locale(), "pl-PL");
    i18n.set("en");
    assert.equal(i18n.shortDate(at), "24/11/2026");
    assert.equal(new I18n("kiosk", { languages: ["de"], texts: TEXTS }).locale(), "de");
  });

  test("waits in minutes for people", () => {
    assert.equal(minutes(null), "–");
    assert.equal(minutes(undefined), "–");
    assert.equal(minutes(29), "< 1 min");
    assert.equal(minutes(30), "1 min");
    assert.equal(minutes(12 * 60), "12 min");
    assert.equal(minutes(60 * 60), "1 h");
    assert.equal(minutes(65 * 60 + 10), "1 h 5 min");
  });

  test("running durations as m:ss and h:mm:ss", () => {
    assert.equal(clock(0), "0:00");
    assert.equal(clock(-5), "0:00");
    assert.equal(clock(65.9), "1:05");
    assert.equal(clock(3600 + 2 * 60 + 3), "1:02:03");
  });
});

describe("the registered languages", () => {
  test("are loaded from their files, the default first", async () => {
    assert.deepEqual(LANGUAGES, ["pl", "en"]);
    const i18n = new I18n("kiosk");
    assert.deepEqual(i18n.languages, LANGUAGES);
    assert.equal(i18n.t("title"), "Pobierz numerek");
    assert.equal(i18n.languageName("en"), "English");
  });
});
