// A page's token: taken from the link's fragment (and then out of the address bar), kept in the
// browser's storage, forgotten on request.

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { forgetToken, fragmentParams, saveToken, takeToken } from "../token.js";
import { FakeStorage, fakeAddress } from "./fakes.js";

/** Opens the page at `url` with `storage`. */
function visit(url, storage = new FakeStorage()) {
  const { location, history } = fakeAddress(url);
  Object.assign(globalThis, { location, history, localStorage: storage });
  return { location, history, storage };
}

beforeEach(() => visit("http://office.example/counter/"));

test("the token of the link is kept and leaves the address, the other parameters stay", () => {
  const { location, history, storage } = visit("http://office.example/counter/?x=1#token=nmk_abc&counter=3");
  const { token, params } = takeToken("counter");
  assert.equal(token, "nmk_abc");
  assert.equal(params.get("counter"), "3");
  assert.equal(params.has("token"), false);
  assert.equal(storage.getItem("numerek.counter.token"), "nmk_abc");
  assert.deepEqual(history.calls, ["/counter/?x=1#counter=3"]);
  assert.equal(location.hash, "#counter=3");
});

test("a link with only the token leaves no fragment behind", () => {
  const { location } = visit("http://office.example/kiosk/#token=nmk_kiosk");
  takeToken("kiosk");
  assert.equal(location.href, "http://office.example/kiosk/");
});

test("without a link, the kept token; without either, none", () => {
  const storage = new FakeStorage();
  storage.setItem("numerek.reports.token", "nmk_kept");
  const { history } = visit("http://office.example/reports/#from=2026-11-01", storage);
  assert.equal(takeToken("reports").token, "nmk_kept");
  assert.equal(takeToken("counter").token, null, "each page has its own slot");
  assert.deepEqual(history.calls, [], "an address without a token is left alone");
});

test("the link's token wins over the kept one", () => {
  const storage = new FakeStorage();
  storage.setItem("numerek.counter.token", "nmk_old");
  visit("http://office.example/counter/#token=nmk_new", storage);
  assert.equal(takeToken("counter").token, "nmk_new");
  assert.equal(storage.getItem("numerek.counter.token"), "nmk_new");
});

test("with storage disabled the link's token still works, for as long as the page", () => {
  visit("http://office.example/counter/#token=nmk_abc", new FakeStorage({ disabled: true }));
  assert.equal(takeToken("counter").token, "nmk_abc");
  assert.doesNotThrow(() => saveToken("counter", "nmk_abc"));
  assert.doesNotThrow(() => forgetToken("counter"));
});

test("save and forget use the page's slot", () => {
  saveToken("kiosk", "nmk_kiosk");
  assert.equal(localStorage.getItem("numerek.kiosk.token"), "nmk_kiosk");
  forgetToken("kiosk");
  assert.equal(localStorage.getItem("numerek.kiosk.token"), null);
});

test("fragment parameters", () => {
  assert.equal(fragmentParams("#a=1&b=two").get("b"), "two");
  assert.equal([...fragmentParams("")].length, 0);
});
