// The words of a wait range (common/wait.js): whole minutes widened outwards, fives past 20
// minutes, "up to" when it may be no wait, hours for long waits, and nothing for no range.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { I18n } from "../i18n.js";
import { TEXTS } from "../texts/index.js";
import { rangeMinutes, waitRangeText } from "../wait.js";

const pl = new I18n("kiosk", { languages: ["pl"], texts: TEXTS });
const en = new I18n("kiosk", { languages: ["en"], texts: TEXTS });

describe("rangeMinutes", () => {
  test("widens to whole minutes: the low bound down, the high one up", () => {
    assert.deepEqual(rangeMinutes([600, 900]), [10, 15]);
    assert.deepEqual(rangeMinutes([659, 901]), [10, 16]);
    assert.deepEqual(rangeMinutes([0, 60]), [0, 1]);
  });

  test("is at least a minute wide", () => {
    assert.deepEqual(rangeMinutes([120, 130]), [2, 3]);
    assert.deepEqual(rangeMinutes([0, 0]), [0, 1]);
  });

  test("rounds to five minutes past 20", () => {
    assert.deepEqual(rangeMinutes([14 * 60, 22 * 60]), [10, 25]);
    assert.deepEqual(rangeMinutes([47 * 60 + 10, 81 * 60]), [45, 85]);
    assert.deepEqual(rangeMinutes([10 * 60, 20 * 60]), [10, 20]);
  });

  test("answers null for anything but two finite numbers, low first", () => {
    for (const bad of [null, undefined, 600, [600], [900, 600], ["a", 600], [0, Infinity]]) {
      assert.equal(rangeMinutes(bad), null, JSON.stringify(bad));
    }
  });
});

describe("waitRangeText", () => {
  test("says a range in the page's language", () => {
    assert.equal(waitRangeText(pl, [600, 900]), "ok. 10–15 min");
    assert.equal(waitRangeText(en, [600, 900]), "about 10–15 min");
  });

  test("says 'up to' when the wait may be none", () => {
    assert.equal(waitRangeText(pl, [0, 60]), "do 1 min");
    assert.equal(waitRangeText(en, [0, 150]), "up to 3 min");
  });

  test("says hours past an hour", () => {
    assert.equal(waitRangeText(en, [50 * 60, 80 * 60]), "about 50 min – 1 h 20 min");
    assert.equal(waitRangeText(pl, [3600, 7200]), "ok. 1 h – 2 h");
  });

  test("says nothing without a range", () => {
    assert.equal(waitRangeText(en, null), "");
    assert.equal(waitRangeText(en, undefined), "");
  });
});
