// The words for when a closed category opens again, counted from the office's day on the
// office's clock, and the office's next opening.

import assert from "node:assert/strict";
import { test } from "node:test";
import { I18n } from "../i18n.js";
import { officeOpensAt, openingText } from "../opening.js";

const warsaw = (language) => {
  const i18n = new I18n("kiosk", { languages: ["pl", "en"], timeZone: "Europe/Warsaw" });
  i18n.language = language;
  return i18n;
};

// Tuesday 24 November 2026 is the office's day; times are UTC (Warsaw is UTC+1).
const today = "2026-11-24";

test("today, tomorrow, a weekday, and a weekday a week or more away, in Polish", () => {
  const pl = warsaw("pl");
  assert.equal(openingText(pl, "2026-11-24T12:00:00Z", today), "otwarte dziś od 13:00");
  assert.equal(openingText(pl, "2026-11-25T06:30:00Z", today), "otwarte jutro od 7:30");
  assert.equal(openingText(pl, "2026-11-30T06:30:00Z", today), "otwarte od poniedziałku 7:30");
  assert.equal(openingText(pl, "2026-11-28T07:00:00Z", today), "otwarte od soboty 8:00");
  assert.equal(openingText(pl, "2026-12-01T06:30:00Z", today), "otwarte od przyszłego wtorku 7:30");
});

test("the same in English, and as a sentence of its own", () => {
  const en = warsaw("en");
  assert.equal(openingText(en, "2026-11-24T12:00:00Z", today), "opens today at 13:00");
  assert.equal(openingText(en, "2026-11-25T06:30:00Z", today), "opens tomorrow at 7:30");
  assert.equal(openingText(en, "2026-11-30T06:30:00Z", today, { capital: true }), "Opens Monday 7:30");
  assert.equal(openingText(en, "2026-12-02T06:30:00Z", today), "opens next Wednesday 7:30");
  assert.equal(openingText(warsaw("pl"), "2026-11-25T06:30:00Z", today, { capital: true }), "Otwarte jutro od 7:30");
});

test("the office's clock decides the day, not UTC's", () => {
  // 23:30 UTC on the 24th is already the 25th in Warsaw.
  assert.equal(openingText(warsaw("en"), "2026-11-24T23:30:00Z", today), "opens tomorrow at 0:30");
});

test("no instant, no words", () => {
  assert.equal(openingText(warsaw("pl"), null, today), "");
  assert.equal(openingText(warsaw("pl"), "not a time", today), "");
});

test("the office opens at its earliest category's opening, and only when all are closed", () => {
  const closed = (opens_at) => ({ open: false, opens_at });
  assert.equal(officeOpensAt(null), null);
  assert.equal(officeOpensAt({ categories: [] }), null);
  assert.equal(officeOpensAt({ categories: [closed("2026-11-25T07:00:00Z"), { open: true }] }), null);
  assert.equal(
    officeOpensAt({ categories: [closed("2026-11-25T07:00:00Z"), closed("2026-11-25T06:30:00Z"), closed(null)] }),
    "2026-11-25T06:30:00Z",
  );
  assert.equal(officeOpensAt({ categories: [closed(null)] }), "");
});
