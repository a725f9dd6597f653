// A page's error box: what went wrong in the page's language, again after a switch.

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { ApiError } from "../api.js";
import { ErrorBox } from "../error-box.js";
import { I18n } from "../i18n.js";
import { FakeElement, fakeDocument } from "./fakes.js";

const TEXTS = {
  pl: { reports: { err_forbidden: "Brak dostępu.", err_other: "Błąd ({message}).", err_dates: "Podaj daty." } },
  en: { reports: { err_forbidden: "No access.", err_other: "Error ({message}).", err_dates: "Enter dates." } },
};

let box;
let i18n;
let errors;
beforeEach(() => {
  box = new FakeElement("error");
  globalThis.document = fakeDocument([box]);
  i18n = new I18n("reports", { texts: TEXTS });
  errors = new ErrorBox(box, i18n);
});

test("an API error by its code, anything else as err_other with its message", () => {
  errors.show(new ApiError(403, "forbidden", "managers only"));
  assert.equal(box.textContent, "Brak dostępu.");
  assert.equal(errors.key, "err_forbidden");
  errors.show(new ApiError(500, "internal", "oops"));
  assert.equal(box.textContent, "Błąd (oops).");
});

test("a page's own text by its key, with parameters", () => {
  errors.show("err_dates");
  assert.equal(box.textContent, "Podaj daty.");
  errors.say("err_other", { message: "x" });
  assert.equal(box.textContent, "Błąd (x).");
});

test("said again in the new language after a switch", () => {
  errors.show(new ApiError(0, "offline", "The server cannot be reached."));
  i18n.set("en");
  assert.equal(box.textContent, "Error (The server cannot be reached.).");
});

test("cleared, and by null", () => {
  errors.show("err_dates");
  errors.clear();
  assert.equal(box.textContent, "");
  assert.equal(errors.key, null);
  errors.show("err_dates");
  errors.show(null);
  assert.equal(box.textContent, "");
  i18n.set("en");
  assert.equal(box.textContent, "", "an empty box stays empty after a switch");
});
