// Access tokens of the pages that need one (kiosk, counter, reports).
//
// A link printed at the first start opens a page as `/kiosk/#token=…`: the token is taken from
// the fragment (which browsers never send to the server), kept in the browser's storage, and
// removed from the address bar so it does not linger on screen or in the history.

/** Reads `#token=…&name=value` into a Map. */
export function fragmentParams(hash = location.hash) {
  return new URLSearchParams(hash.replace(/^#/, ""));
}

/**
 * The page's token: from the fragment when present (then stored and the fragment removed),
 * else the stored one, else null. Other fragment parameters are returned too.
 * @param {string} page the storage slot, e.g. "kiosk"
 * @returns {{token: string|null, params: URLSearchParams}}
 */
export function takeToken(page) {
  const key = `numerek.${page}.token`;
  const params = fragmentParams();
  const fromUrl = params.get("token");
  if (fromUrl) {
    saveToken(page, fromUrl);
    params.delete("token");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
  }
  let stored = null;
  try {
    stored = localStorage.getItem(key);
  } catch {
    // Storage may be disabled; the token then lives only as long as the page.
  }
  return { token: fromUrl || stored, params };
}

/** Keeps a token for the page. */
export function saveToken(page, token) {
  try {
    localStorage.setItem(`numerek.${page}.token`, token);
  } catch {
    // See takeToken.
  }
}

/** Forgets the page's token (after a 401, or "sign out"). */
export function forgetToken(page) {
  try {
    localStorage.removeItem(`numerek.${page}.token`);
  } catch {
    // See takeToken.
  }
}
