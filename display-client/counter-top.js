// The counter-top screen (`/display/?counter=ID`): a small screen on one counter that says which
// counter it is and what it is doing, readable from across the room. No token: it follows the
// public feed.
//
// It shows the counter's name, large, and under it
// - the number the counter has called, while it holds one (as large as the screen allows), with
//   a chime for every call and recall of a number at this counter;
// - otherwise its state in words: "Zapraszamy" (open), "Przerwa" (paused) or "Nieczynne"
//   (closed).
// The words alternate between the office's languages every 10 s (`?lang=en` keeps one).
//
// Sizes follow the screen (docs/devices.md, "Counter-top screen", says why they are enough from
// 5 m on a 10-inch screen): the name takes up to about a third of the height, the number or the
// word the rest, each made as large as its box allows (`fitText`).

import { api, loadOfficeWhenUp } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { byId } from "/common/dom.js";
import { Feed } from "/common/feed.js";
import { I18n, LANGUAGES } from "/common/i18n.js";
import { throttle } from "/common/throttle.js";
import { fitText } from "/display/fit.js";

const ALTERNATE_MS = 10000;
const POLL_MS = 30000;
/** Calls replayed after an outage older than this are shown but not chimed. */
const CHIME_MAX_AGE_MS = 120000;

/** The largest sizes, as shares of the screen's height: the name's, and the number's or word's. */
const NAME_MAX_VH = 0.2;
const MAIN_MAX_VH = 0.62;

/**
 * The id of the counter the page is asked to show (`?counter=ID`), or null for the lobby.
 * @param {URLSearchParams} params
 */
export function counterTopRequested(params) {
  const id = params.get("counter");
  return id === null ? null : id.trim();
}

/**
 * Turns the page into the counter-top screen of counter `id`: the lobby's parts are hidden, the
 * counter's section shown.
 * @param {string} id the counter's id
 * @param {URLSearchParams} params the page's query (`lang`)
 * @param {import("/display/sound.js").Sound} sound the page's sound (one audio context a page)
 */
export function startCounterTop(id, params, sound) {
  for (const part of document.querySelectorAll("[data-lobby]")) part.hidden = true;
  byId("counter-top").hidden = false;
  document.body.classList.add("counter-mode");
  new CounterTop(id, params, sound).start();
}

class CounterTop {
  constructor(id, params, sound) {
    this.id = id;
    this.params = params;
    this.sound = sound;
    this.i18n = new I18n("display", { languages: ["pl"] });
    this.office = null;
    this.counter = null; // the counter's document, once the office is known
    this.state = null; // "open", "paused" or "closed"
    this.current = null; // the called number it holds, or null
    this.seq = 0; // the status's or last event's sequence number
    this.chimed = new Set();
    this.refresh = throttle(() => this.fetchStatus());
  }

  async start() {
    this.sound.onChange(() => this.renderUnlock());
    byId("ct-sound-unlock").addEventListener("click", async () => {
      await this.sound.unlock();
      this.renderUnlock();
    });
    this.renderUnlock();
    new ResizeObserver(() => this.fit()).observe(byId("counter-top"));
    this.office = await loadOfficeWhenUp(() => (byId("offline").hidden = false));
    markDemo(this.office);
    this.counter = (this.office.counters || []).find((c) => String(c.id) === this.id) || null;
    const officeLanguages = this.office.office.languages || ["pl"];
    const asked = this.params.get("lang");
    let shown;
    if (asked && officeLanguages.includes(asked) && LANGUAGES.includes(asked)) shown = [asked];
    else {
      shown = [...new Set(["pl", ...officeLanguages])].filter(
        (l) => officeLanguages.includes(l) && LANGUAGES.includes(l),
      );
      if (shown.length === 0) shown = ["pl"];
    }
    this.i18n.timeZone = this.office.office.timezone;
    this.i18n.useLanguages(shown);
    this.i18n.onChange(() => this.render());
    this.i18n.set(shown[0]);
    if (shown.length > 1) setInterval(() => this.i18n.set(this.i18n.next()), ALTERNATE_MS);
    this.render();
    if (!this.counter) return;

    let connected = false;
    new Feed({
      onSnapshot: (status) => this.onStatus(status),
      onEvent: (event) => this.onEvent(event),
      onConnection: (up) => {
        connected = up;
        byId("offline").hidden = up;
      },
    }).start();
    setTimeout(() => {
      if (!connected) byId("offline").hidden = false;
    }, 3000);
    setInterval(this.refresh, POLL_MS);
  }

  async fetchStatus() {
    try {
      this.onStatus(await api("/status"));
    } catch {
      // The banner says when the server is away; the next event or poll tries again.
    }
  }

  /** A status (the feed's snapshot, or a fetch): the counter's state and its called number. */
  onStatus(status) {
    if (typeof status.seq === "number" && status.seq < this.seq) return;
    this.seq = status.seq ?? this.seq;
    const mine = (status.counters || []).find((c) => String(c.id) === this.id);
    if (!mine) return;
    this.state = mine.state;
    this.current = mine.current && mine.current.state === "called" ? mine.current.number : null;
    this.render();
  }

  onEvent(event) {
    this.seq = Math.max(this.seq, event.seq);
    const here = event.counter !== undefined && String(event.counter) === this.id;
    const number = event.ticket ? event.ticket.number : null;
    switch (event.type) {
      case "ticket.called":
      case "ticket.recalled":
        if (!here) {
          // Called elsewhere (a number is called at one counter at a time).
          if (number === this.current) this.current = null;
          break;
        }
        this.current = number;
        this.chime(event);
        break;
      case "ticket.finished":
      case "ticket.no_show":
        if (here && number === this.current) this.current = null;
        break;
      case "ticket.transferred":
      case "ticket.cancelled":
        if (number === this.current) this.current = null;
        break;
      case "counter.changed":
        if (here) this.state = event.state;
        break;
      case "day.started":
        this.current = null;
        break;
      default:
        return;
    }
    this.render();
    if (here) this.refresh();
  }

  /** One chime per call, unless the event is an old one replayed after an outage. */
  chime(event) {
    const age = Date.now() - Date.parse(event.at);
    if ((Number.isFinite(age) && age > CHIME_MAX_AGE_MS) || this.chimed.has(event.seq)) return;
    this.chimed.add(event.seq);
    const number = this.current;
    // The chime alone: the number is on the screen in front of the person called.
    this.sound.announce([], () => window.numerekDisplay.announced.push(number));
  }

  renderUnlock() {
    byId("ct-sound-unlock").hidden = !this.sound.locked();
  }

  render() {
    const t = (key, params) => this.i18n.t(key, params);
    const box = byId("counter-top");
    const name = byId("ct-name");
    const label = byId("ct-label");
    const main = byId("ct-main");
    if (!this.office) return;
    if (!this.counter) {
      document.title = `${t("ctTitle")} — numerek`;
      name.textContent = t("ctUnknown", { counter: this.id });
      box.dataset.state = "unknown";
      label.textContent = "";
      main.textContent = "";
      this.fit();
      return;
    }
    const counterName = this.i18n.pick(this.counter.name);
    name.textContent = counterName;
    document.title = `${counterName} — ${t("ctTitle")}`;
    let state = this.state || "closed";
    if (this.current) state = "called";
    box.dataset.state = state;
    if (this.current) box.dataset.number = this.current;
    else delete box.dataset.number;
    if (this.current) {
      label.textContent = t("ctServing");
      main.textContent = this.current;
    } else {
      label.textContent = "";
      main.textContent = t(
        state === "open" ? "ctOpen" : state === "paused" ? "ctPaused" : "ctClosed",
      );
    }
    main.lang = this.i18n.language;
    this.fit();
  }

  fit() {
    const height = window.innerHeight;
    fitText(byId("ct-name"), height * NAME_MAX_VH, 12);
    fitText(byId("ct-main"), height * MAIN_MAX_VH, 12);
  }
}
