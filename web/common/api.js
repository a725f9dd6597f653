// The HTTP API (docs/api.md) from the browser: JSON in, JSON out, errors as values.

/**
 * An error answer of the API: `status`, `code` (snake_case) and a human `message`;
 * `retryAfterS`, the seconds its `Retry-After` header asks to wait (a 429), or null.
 */
export class ApiError extends Error {
  constructor(status, code, message, retryAfterS = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterS = retryAfterS;
  }
}

/** The seconds of a `Retry-After` header (seconds or an HTTP date), or null. */
function retryAfter(value, now = Date.now()) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * What a page shows for `error`, as a key of its texts and the key's parameters: an API error as
 * `err_<code>` when the page has that text (else `err_other`), a string as the key it is,
 * anything else as `err_other`; `params.message` is the error's own sentence.
 * @param {unknown} error
 * @param {{has: (key: string) => boolean}} i18n the page's texts (an I18n)
 * @returns {{key: string, params: object}}
 */
export function describeError(error, i18n) {
  if (error instanceof ApiError) {
    const key = `err_${error.code}`;
    return { key: i18n.has(key) ? key : "err_other", params: { message: error.message } };
  }
  if (typeof error === "string") return { key: error, params: {} };
  return {
    key: "err_other",
    params: { message: String(error && error.message ? error.message : error) },
  };
}

/**
 * Calls the API. `path` is below /api/v1 (e.g. "/status").
 * @param {string} path
 * @param {{method?: string, body?: object, token?: string|null, accept?: string}} options
 *   `accept`: the type of answer wanted; JSON unless said otherwise (a report as "text/csv")
 * @returns {Promise<any>} the answer's JSON (null for 204), or its text when `accept` is not JSON
 * @throws {ApiError} for 4xx/5xx answers; status 0 and code "offline" when the server is unreachable
 */
export async function api(path, { method = "GET", body, token, accept = "application/json" } = {}) {
  const headers = { Accept: accept };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "offline", "The server cannot be reached.");
  }
  if (response.status === 204) return null;
  if (response.ok && accept !== "application/json") return response.text();
  let data = null;
  try {
    data = await response.json();
  } catch {
    // A body that is not JSON (a proxy's error page): reported below by status.
  }
  if (!response.ok) {
    const error = data && data.error;
    throw new ApiError(
      response.status,
      (error && error.code) || "http_" + response.status,
      (error && error.message) || `HTTP ${response.status}`,
      retryAfter(response.headers.get("Retry-After")),
    );
  }
  return data;
}

/**
 * The office document, asked for again until the server answers: a lobby screen or a tablet
 * switched on before the server (after a power cut) waits for it instead of staying blank.
 * `onOffline` is called after each failed attempt; the pause between attempts doubles from 1 s
 * up to 15 s.
 * @param {() => void} onOffline
 * @param {(ms: number) => Promise<void>} [sleep] how to wait (the tests' own clock)
 * @returns {Promise<any>} the office document
 */
export async function loadOfficeWhenUp(onOffline, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15000)) {
    try {
      return await api("/office");
    } catch {
      onOffline();
      await sleep(delay);
    }
  }
}
