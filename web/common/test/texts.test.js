// The language files: every registered language has every text of the default one, with the
// same placeholders; every text a page names (in its HTML or its script) exists; and the Polish
// words a page's HTML shows before its script runs are the texts the script puts there.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { LANGUAGES, TEXTS } from "../texts/index.js";

const DEFAULT = LANGUAGES[0];

/** Each page's section of the texts, and its files (relative to the repository root): its HTML,
 * then its scripts. */
const PAGES = {
  index: ["web/index.html", "web/index.js"],
  kiosk: ["kiosk-client/index.html", "kiosk-client/kiosk.js", "kiosk-client/checkin.js"],
  display: ["display-client/index.html", "display-client/display.js", "display-client/counter-top.js"],
  counter: ["counter-client/index.html", "counter-client/counter.js", "counter-client/appointments.js"],
  ticket: ["ticket-client/index.html", "ticket-client/ticket.js"],
  reports: ["reports-client/index.html", "reports-client/reports.js"],
  feedback: ["feedback-client/index.html", "feedback-client/feedback.js"],
  book: ["booking-client/index.html", "booking-client/book.js"],
};

const read = (file) => readFileSync(new URL(`../../../${file}`, import.meta.url), "utf8");

/** Every text of `texts` by its dotted path. */
function flatten(texts, prefix = "", out = new Map()) {
  for (const [key, value] of Object.entries(texts)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else flatten(value, `${prefix}${key}.`, out);
  }
  return out;
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("every registered language", () => {
  const reference = flatten(TEXTS[DEFAULT]);

  for (const language of LANGUAGES) {
    test(`${language} has exactly the default language's texts, with their placeholders`, () => {
      const texts = flatten(TEXTS[language]);
      assert.deepEqual([...texts.keys()].sort(), [...reference.keys()].sort());
      for (const [path, text] of texts) {
        assert.ok(text.trim(), `${language}: ${path} is empty`);
        assert.deepEqual(placeholders(text), placeholders(reference.get(path)), `${language}: ${path}`);
      }
    });

    test(`${language} names itself and its locale`, () => {
      assert.ok(TEXTS[language].name);
      assert.doesNotThrow(() => new Intl.DateTimeFormat(TEXTS[language].locale));
    });
  }
});

/** `data-i18n…="key"` attributes of an HTML text, with the markup inside their element. */
function marked(html) {
  const found = [];
  const attribute = /\sdata-i18n(-rich|-label|-title)?="([^"]+)"/g;
  for (const open of html.matchAll(/<(\w+)\b([^>]*)>/g)) {
    const [tag, name, attributes] = open;
    const start = open.index + tag.length;
    // The element ends at the closing tag that balances it (elements of its name may nest).
    const tags = new RegExp(`<(/?)${name}\\b[^>]*>`, "g");
    tags.lastIndex = start;
    let depth = 1;
    let end = html.length;
    for (let t = tags.exec(html); t; t = tags.exec(html)) {
      depth += t[1] ? -1 : 1;
      if (depth === 0) {
        end = t.index;
        break;
      }
    }
    for (const [, kind, key] of attributes.matchAll(attribute)) {
      found.push({ kind: kind || "", key, inner: html.slice(start, end) });
    }
  }
  return found;
}

/** The visible words of some markup: tags dropped, entities decoded, white space folded. */
function words(markup) {
  return markup
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

describe("every page", () => {
  for (const [page, [html, ...scripts]] of Object.entries(PAGES)) {
    const texts = TEXTS[DEFAULT][page];

    test(`${page}: every text its HTML names exists, and shows its words before the script`, () => {
      const found = marked(read(html));
      assert.ok(found.length > 0, `${html} has data-i18n elements`);
      for (const { kind, key, inner } of found) {
        assert.equal(typeof texts[key], "string", `${html}: "${key}" is not a text of ${page}`);
        if (kind === "-label" || kind === "-title") continue;
        const text = kind === "-rich" ? texts[key].replaceAll("`", "") : texts[key];
        assert.equal(words(inner), text, `${html}: the words of "${key}"`);
      }
    });

    test(`${page}: every text its scripts name exists`, () => {
      for (const script of scripts) {
        const names = [...read(script).matchAll(/\bt\(\s*"(\w+)"/g)].map((m) => m[1]);
        for (const key of names) {
          assert.equal(typeof texts[key], "string", `${script}: "${key}" is not a text of ${page}`);
        }
      }
    });
  }
});
