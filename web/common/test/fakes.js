// Small stand-ins for what a browser gives the page modules: a clock with timers, storage, the
// address and history, a WebSocket, a few DOM elements. Plain Node runs the modules with them;
// no npm package, no real browser.
//
// The clock is our own rather than node:test's mock timers: those mock `Date` only from Node 20.11,
// and Debian's own Node (18) runs these tests too.

const real = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, now: Date.now };

/** Lets every pending promise callback run (a macrotask of the real clock). */
export function flush() {
  return new Promise((resolve) => real.setImmediate(resolve));
}

/**
 * A clock that moves only when told: `setTimeout`, `setInterval` (and their clears) and
 * `Date.now` while installed. `advance(ms)` runs every timer that falls due, in order, letting
 * promises settle after each.
 */
export class FakeClock {
  constructor(start = 1_800_000_000_000) {
    this.now = start;
    this.timers = new Map();
    this.nextId = 1;
  }

  install() {
    globalThis.setTimeout = (callback, ms = 0, ...args) => this.add(callback, ms, args, false);
    globalThis.setInterval = (callback, ms = 0, ...args) => this.add(callback, ms, args, true);
    globalThis.clearTimeout = (id) => this.timers.delete(id);
    globalThis.clearInterval = (id) => this.timers.delete(id);
    Date.now = () => this.now;
    return this;
  }

  uninstall() {
    globalThis.setTimeout = real.setTimeout;
    globalThis.setInterval = real.setInterval;
    globalThis.clearTimeout = real.clearTimeout;
    globalThis.clearInterval = real.clearInterval;
    Date.now = real.now;
  }

  add(callback, ms, args, repeat) {
    const id = this.nextId++;
    const delay = Math.max(0, Number(ms) || 0);
    this.timers.set(id, { at: this.now + delay, delay, callback, args, repeat, order: id });
    return id;
  }

  /** The delays of the timers waiting, from now, soonest first. */
  pending() {
    return [...this.timers.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }

  /** Moves the clock `ms` forward, running what falls due. */
  async advance(ms) {
    const end = this.now + ms;
    await flush();
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort(([, a], [, b]) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      const [id, timer] = due;
      this.now = timer.at;
      if (timer.repeat) timer.at += Math.max(1, timer.delay);
      else this.timers.delete(id);
      timer.callback(...timer.args);
      await flush();
    }
    this.now = end;
    await flush();
  }
}

/** `localStorage`: a Map, or storage that refuses everything (disabled by the browser). */
export class FakeStorage {
  constructor({ disabled = false } = {}) {
    this.items = new Map();
    this.disabled = disabled;
  }

  check() {
    if (this.disabled) throw new Error("SecurityError: storage is disabled");
  }

  getItem(key) {
    this.check();
    return this.items.has(key) ? this.items.get(key) : null;
  }

  setItem(key, value) {
    this.check();
    this.items.set(key, String(value));
  }

  removeItem(key) {
    this.check();
    this.items.delete(key);
  }
}

/** `location` and `history` of a page at `url`; `history.replaceState` changes the address. */
export function fakeAddress(url) {
  const location = {};
  const set = (href) => {
    const parsed = new URL(href, location.href);
    Object.assign(location, {
      href: parsed.href,
      protocol: parsed.protocol,
      host: parsed.host,
      pathname: parsed.pathname,
      search: parsed.search,
      hash: parsed.hash,
    });
  };
  set(url);
  const history = {
    calls: [],
    replaceState(state, title, address) {
      this.calls.push(address);
      set(address);
    },
  };
  return { location, history };
}

/**
 * A WebSocket the test plays the server of: every one made is in `FakeWebSocket.made`. `open`,
 * `receive` and `drop` act as the server; `close` (the page's) reports the close a moment later,
 * as a browser does.
 */
export class FakeWebSocket {
  static made = [];

  constructor(url) {
    this.url = url;
    this.closed = false;
    FakeWebSocket.made.push(this);
  }

  /** The query parameters the page connected with. */
  get query() {
    return new URL(this.url).searchParams;
  }

  open() {
    this.onopen?.({});
  }

  receive(message) {
    this.onmessage?.({ data: typeof message === "string" ? message : JSON.stringify(message) });
  }

  /** The server (or the network) ends the connection. */
  drop() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({});
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => this.onclose?.({}));
  }

  static last() {
    return FakeWebSocket.made[FakeWebSocket.made.length - 1];
  }
}

/** A DOM element, as far as the page modules use one. */
export class FakeElement {
  constructor(id = "", { dataset = {}, value = "" } = {}) {
    this.id = id;
    this.dataset = { ...dataset };
    this.value = value;
    this.hidden = false;
    this.textContent = "";
    this.title = "";
    this.lang = "";
    this.attributes = new Map();
    this.listeners = new Map();
    this.focused = false;
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  /** Dispatches an event of `type`; answers whether a listener prevented its default. */
  dispatch(type) {
    const event = { type, target: this, defaultPrevented: false };
    event.preventDefault = () => {
      event.defaultPrevented = true;
    };
    for (const listener of this.listeners.get(type) || []) listener(event);
    return event.defaultPrevented;
  }

  click() {
    this.dispatch("click");
  }

  focus() {
    this.focused = true;
  }
}

/**
 * A document of `elements`: found by id, and by `[data-…]` attribute selectors (all the page
 * modules ask of it here).
 */
export function fakeDocument(elements = []) {
  const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());
  const matching = (selector) => {
    const attribute = /^\[data-([\w-]+)\]$/.exec(selector);
    if (!attribute) throw new Error(`the fake document cannot select ${selector}`);
    const key = camel(attribute[1]);
    return elements.filter((element) => key in element.dataset);
  };
  return {
    documentElement: { lang: "" },
    getElementById: (id) => elements.find((element) => element.id === id) || null,
    querySelector: (selector) => matching(selector)[0] || null,
    querySelectorAll: (selector) => matching(selector),
  };
}
