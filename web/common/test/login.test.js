// Signing a page in and out: the form, the sign-out button, and an answer refusing the token.

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { ApiError } from "../api.js";
import { Login, loginView } from "../login.js";
import { FakeElement, FakeStorage, fakeAddress, fakeDocument } from "./fakes.js";

let view;
let calls;

/** A staff page at `url` (its sign-in elements by their shared ids) with `storage`. */
function page(url = "http://office.example/counter/", storage = new FakeStorage()) {
  Object.assign(globalThis, fakeAddress(url), { localStorage: storage });
  const elements = ["login", "login-form", "login-token", "sign-out", "desk"].map((id) => new FakeElement(id));
  globalThis.document = fakeDocument(elements);
  view = loginView("desk");
  calls = [];
  return storage;
}

function login(options = {}) {
  return new Login("counter", {
    view,
    onSignIn: (token) => calls.push(["in", token]),
    onSignOut: () => calls.push(["out"]),
    ...options,
  });
}

/** What shows: the form, the content, the sign-out button. */
const shown = () => [!view.section.hidden, !view.content.hidden, !view.signOut.hidden];

beforeEach(() => page());

describe("the staff pages' sign-in", () => {
  test("the view is found by the ids the pages share", () => {
    assert.equal(view.section.id, "login");
    assert.equal(view.form.id, "login-form");
    assert.equal(view.input.id, "login-token");
    assert.equal(view.signOut.id, "sign-out");
    assert.equal(view.content.id, "desk");
  });

  test("with a token from the link: the content, and the rest of the fragment for the page", () => {
    page("http://office.example/counter/#token=nmk_clerk&counter=2");
    const l = login();
    l.show();
    assert.equal(l.token, "nmk_clerk");
    assert.equal(l.params.get("counter"), "2");
    assert.deepEqual(shown(), [false, true, true]);
    assert.deepEqual(calls, [], "taking the token is not a sign-in");
  });

  test("without a token: the form, emptied", () => {
    view.input.value = "left over";
    const l = login();
    l.show();
    assert.equal(l.token, null);
    assert.deepEqual(shown(), [true, false, false]);
    assert.equal(view.input.value, "");
  });

  test("signing in by the form keeps the token and shows the content", () => {
    const storage = localStorage;
    const l = login();
    l.show();
    view.input.value = "  nmk_clerk \n";
    assert.equal(view.form.dispatch("submit"), true, "the form is not sent anywhere");
    assert.equal(l.token, "nmk_clerk");
    assert.equal(storage.getItem("numerek.counter.token"), "nmk_clerk");
    assert.deepEqual(shown(), [false, true, true]);
    assert.deepEqual(calls, [["in", "nmk_clerk"]]);
  });

  test("an empty form signs nothing in", () => {
    const l = login();
    view.input.value = "   ";
    view.form.dispatch("submit");
    assert.equal(l.token, null);
    assert.deepEqual(calls, []);
  });

  test("the sign-out button forgets the token and goes back to the form, focused", () => {
    page("http://office.example/counter/#token=nmk_clerk");
    const l = login();
    l.show();
    view.signOut.click();
    assert.equal(l.token, null);
    assert.equal(localStorage.getItem("numerek.counter.token"), null);
    assert.deepEqual(shown(), [true, false, false]);
    assert.equal(view.input.focused, true);
    assert.deepEqual(calls, [["out"]]);
  });
});

describe("answers refusing the token", () => {
  test("401 signs the page out, whatever it allows", () => {
    page("http://office.example/counter/#token=nmk_revoked");
    const l = login();
    assert.equal(l.refused(new ApiError(401, "unauthorized", "revoked")), true);
    assert.equal(l.token, null);
    assert.equal(localStorage.getItem("numerek.counter.token"), null);
    assert.deepEqual(shown(), [true, false, false]);
    assert.equal(view.input.focused, false, "the page says why; focus stays");
    assert.deepEqual(calls, [["out"]]);
  });

  test("403 signs out only a page that says so (a counter's 403 is another counter)", () => {
    page("http://office.example/counter/#token=nmk_clerk");
    const forbidden = new ApiError(403, "forbidden", "counter 2 only");
    assert.equal(login().refused(forbidden), false);
    assert.equal(localStorage.getItem("numerek.counter.token"), "nmk_clerk");
    const reports = login({ refusedBy: [401, 403] });
    assert.equal(reports.refused(forbidden), true);
    assert.equal(reports.token, null);
  });

  test("other failures keep the token", () => {
    page("http://office.example/counter/#token=nmk_clerk");
    const l = login();
    for (const error of [new ApiError(0, "offline", "away"), new ApiError(503, "storage_unavailable", ""), new Error("x"), "err_dates", null]) {
      assert.equal(l.refused(error), false);
    }
    assert.equal(l.token, "nmk_clerk");
    assert.deepEqual(calls, []);
  });
});

describe("a page with its own sign-in screen (the kiosk)", () => {
  test("signs in and is refused without a view", () => {
    const storage = page("http://office.example/kiosk/");
    const kiosk = new Login("kiosk", { refusedBy: [401, 403] });
    assert.equal(kiosk.token, null);
    kiosk.show();
    kiosk.signIn("nmk_kiosk");
    assert.equal(storage.getItem("numerek.kiosk.token"), "nmk_kiosk");
    assert.equal(kiosk.refused(new ApiError(403, "forbidden", "role")), true);
    assert.equal(storage.getItem("numerek.kiosk.token"), null);
  });
});
