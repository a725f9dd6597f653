// Calling the API from a page: JSON in and out, errors as ApiError values, and what a page says
// for an error.

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { ApiError, api, describeError, loadOfficeWhenUp } from "../api.js";

/** What the page asked `fetch` for, and the answer it gets. */
let asked;
function answer(status, body, { type = "application/json" } = {}) {
  globalThis.fetch = async (url, init) => {
    asked = { url, ...init };
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers: { "Content-Type": type } });
  };
}

beforeEach(() => {
  asked = null;
});

describe("api", () => {
  test("a JSON answer, asked for with the token", async () => {
    answer(200, { office: { name: "BOK" } });
    assert.deepEqual(await api("/office", { token: "nmk_x" }), { office: { name: "BOK" } });
    assert.equal(asked.url, "/api/v1/office");
    assert.equal(asked.method, "GET");
    assert.equal(asked.headers.Authorization, "Bearer nmk_x");
    assert.equal(asked.headers.Accept, "application/json");
    assert.equal(asked.cache, "no-store");
  });

  test("a body goes as JSON", async () => {
    answer(201, { number: "A001" });
    await api("/tickets", { method: "POST", body: { category: "registration" } });
    assert.equal(asked.headers["Content-Type"], "application/json");
    assert.equal(asked.body, '{"category":"registration"}');
    assert.equal(asked.headers.Authorization, undefined);
  });

  test("204 is null", async () => {
    answer(204, "");
    assert.equal(await api("/x", { method: "POST", body: {} }), null);
  });

  test("another type of answer comes as text", async () => {
    answer(200, "key,issued\nA,3\n", { type: "text/csv" });
    assert.equal(await api("/reports/summary?format=csv", { accept: "text/csv" }), "key,issued\nA,3\n");
    assert.equal(asked.headers.Accept, "text/csv");
  });

  test("an error answer is an ApiError with the API's code and sentence, whatever was asked for", async () => {
    for (const accept of ["application/json", "text/csv"]) {
      answer(403, { error: { code: "forbidden", message: "managers only" } });
      await assert.rejects(api("/reports/summary", { accept }), (error) => {
        assert.ok(error instanceof ApiError);
        assert.deepEqual([error.status, error.code, error.message], [403, "forbidden", "managers only"]);
        return true;
      });
    }
  });

  test("an error answer that is not JSON (a proxy's page) is named by its status", async () => {
    answer(502, "<html>Bad gateway</html>", { type: "text/html" });
    await assert.rejects(api("/status"), { status: 502, code: "http_502", message: "HTTP 502" });
  });

  test("no server at all is status 0, code offline", async () => {
    globalThis.fetch = async () => {
      throw new TypeError("Failed to fetch");
    };
    await assert.rejects(api("/status"), { status: 0, code: "offline" });
  });
});

describe("describeError", () => {
  const i18n = { has: (key) => ["err_forbidden", "err_other"].includes(key) };

  test("an API error by its code when the page has a text for it, else err_other", () => {
    assert.deepEqual(describeError(new ApiError(403, "forbidden", "no"), i18n), {
      key: "err_forbidden",
      params: { message: "no" },
    });
    assert.equal(describeError(new ApiError(418, "teapot", "short"), i18n).key, "err_other");
  });

  test("a page's own key as it is, anything else as err_other with its message", () => {
    assert.deepEqual(describeError("err_dates", i18n), { key: "err_dates", params: {} });
    assert.deepEqual(describeError(new Error("boom"), i18n), { key: "err_other", params: { message: "boom" } });
    assert.deepEqual(describeError(42, i18n), { key: "err_other", params: { message: "42" } });
  });
});

describe("Retry-After", () => {
  function limited(value) {
    globalThis.fetch = async () =>
      new Response(JSON.stringify({ error: { code: "rate_limited", message: "later" } }), {
        status: 429,
        headers: value === null ? {} : { "Retry-After": value },
      });
  }

  test("a 429 says how many seconds to wait, in seconds or as a date", async () => {
    limited("120");
    await assert.rejects(api("/appointments", { method: "POST", body: {} }), { code: "rate_limited", retryAfterS: 120 });
    limited(new Date(Date.now() + 60_000).toUTCString());
    await assert.rejects(api("/appointments", { method: "POST", body: {} }), (error) => {
      assert.ok(error.retryAfterS >= 58 && error.retryAfterS <= 61, String(error.retryAfterS));
      return true;
    });
  });

  test("without the header, or with nonsense in it, there is no wait to tell", async () => {
    for (const value of [null, "soon"]) {
      limited(value);
      await assert.rejects(api("/appointments", { method: "POST", body: {} }), { retryAfterS: null });
    }
  });
});

describe("loadOfficeWhenUp", () => {
  test("asks again, twice as long after each failure up to 15 s, until the server answers", async () => {
    let attempts = 0;
    globalThis.fetch = async () => {
      attempts += 1;
      if (attempts <= 6) throw new TypeError("Failed to fetch");
      return new Response(JSON.stringify({ office: { name: "BOK" } }), { status: 200 });
    };
    const pauses = [];
    let offline = 0;
    const office = await loadOfficeWhenUp(
      () => (offline += 1),
      async (ms) => pauses.push(ms),
    );
    assert.deepEqual(office, { office: { name: "BOK" } });
    assert.equal(offline, 6);
    assert.deepEqual(pauses, [1000, 2000, 4000, 8000, 15000, 15000]);
  });

  test("an answer at the first attempt waits for nothing", async () => {
    answer(200, { office: {} });
    const pauses = [];
    await loadOfficeWhenUp(
      () => assert.fail("not offline"),
      async (ms) => pauses.push(ms),
    );
    assert.deepEqual(pauses, []);
  });
});
