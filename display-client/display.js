// The lobby display (`/display/`): the newest call large, the recent calls, the queues with
// their estimated waits, date and clock, the office announcements; a chime and a spoken
// announcement for every call and recall. No token needed. With `?counter=ID` the page is the
// counter-top screen of that counter instead (counter-top.js).
//
// URL parameters:
//   ?lang=en        show the labels in this office language only (default: Polish, alternating
//                   with the office's other language every 10 s when it has both)
//   ?voices=pl,en   the languages of the spoken announcement, in order (default: the office's
//                   first language)
//   ?counter=3      the counter-top screen of counter 3 (with ?lang= too)

import { api, loadOfficeWhenUp } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { $, byId, element } from "/common/dom.js";
import { Feed } from "/common/feed.js";
import { I18n, LANGUAGES } from "/common/i18n.js";
import { officeOpensAt, openingText } from "/common/opening.js";
import { throttle } from "/common/throttle.js";
import { counterTopRequested, startCounterTop } from "/display/counter-top.js";
import { waitRangeText } from "/common/wait.js";
import { Sound, spokenNumber } from "/display/sound.js";

const RECENT_MAX = 10;
const FRESH_MS = 8000;
const ALTERNATE_MS = 10000;
const POLL_MS = 30000;
const ROTATE_MS = 8000;
/** Events replayed after an outage older than this are shown but not announced. */
const ANNOUNCE_MAX_AGE_MS = 120000;

const params = new URLSearchParams(location.search);
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

/** What tests may inspect: every announcement's text, in order, and the chimes played. */
window.numerekDisplay = { announced: [] };

const state = {
  office: null,
  categories: [],
  counters: new Map(),
  status: null,
  recent: [], // [{number, counter, at, kind}] newest first, a ticket at most once
  fresh: null, // {number, kind, until}
  announcedSeq: new Set(),
};

// Polish until the office's languages are known.
const i18n = new I18n("display", { languages: ["pl"] });
const sound = new Sound();
Object.defineProperty(window.numerekDisplay, "chimes", { get: () => sound.chimes, enumerable: true });

// ---------------------------------------------------------------------------------------------
// Rendering

function counterName(id, language = i18n.language) {
  const counter = state.counters.get(String(id));
  if (!counter) return String(id);
  return counter.name[language] ?? i18n.pick(counter.name);
}

function renderCurrent() {
  const box = byId("current-call");
  const call = state.recent[0];
  const fresh = call && state.fresh && state.fresh.number === call.number && Date.now() < state.fresh.until;
  box.classList.toggle("fresh", Boolean(fresh));
  box.classList.toggle("motion", Boolean(fresh) && !reducedMotion.matches);
  if (!call) {
    box.removeAttribute("data-number");
    box.removeAttribute("data-counter");
    // Nobody called yet and no category issues: say when the office opens.
    const opensAt = officeOpensAt(state.status);
    if (opensAt === null) {
      box.replaceChildren(element("p", "current-empty", i18n.t("none")));
    } else {
      const opening = openingText(i18n, opensAt, state.status.office_date, { capital: true });
      const closed = element("div", "current-closed");
      closed.append(element("p", "current-closed-title", i18n.t("officeClosed")));
      if (opening) closed.append(element("p", "current-opens", opening));
      box.replaceChildren(closed);
    }
    return;
  }
  box.dataset.number = call.number;
  box.dataset.counter = call.counter;
  const children = [];
  // The state in words, not by colour alone.
  if (fresh) children.push(element("p", "current-flag", i18n.t(call.kind === "recalled" ? "recalled" : "fresh")));
  const line = element("p", "current-line");
  line.append(
    element("span", "current-number", call.number),
    element("span", "arrow", " → "),
    element("span", "sr-only", i18n.t("to") + " "),
    element("span", "current-counter", counterName(call.counter)),
  );
  $(".arrow", line).setAttribute("aria-hidden", "true");
  children.push(line);
  box.replaceChildren(...children);
}

function renderRecent() {
  const list = byId("recent-calls");
  const items = state.recent.map((call, index) => {
    const item = element("li", index === 0 ? "recent-item newest" : "recent-item");
    item.dataset.number = call.number;
    item.dataset.counter = call.counter;
    const arrow = element("span", "arrow", "→");
    arrow.setAttribute("aria-hidden", "true");
    item.append(
      element("span", "recent-number", call.number),
      arrow,
      element("span", "sr-only", i18n.t("to")),
      element("span", "recent-counter", counterName(call.counter)),
    );
    return item;
  });
  list.replaceChildren(...items);
}

function renderQueues() {
  const list = byId("queues");
  const statuses = new Map(((state.status && state.status.categories) || []).map((c) => [c.id, c]));
  const items = state.categories.map((category) => {
    const status = statuses.get(category.id);
    const waiting = status ? status.waiting : 0;
    const item = element("li", "queue");
    item.dataset.testid = `waiting-${category.id}`;
    item.dataset.waiting = String(waiting);
    const head = element("p", "queue-head");
    head.append(element("span", "queue-prefix", category.prefix), element("span", "queue-name", i18n.pick(category.name)));
    const count = element("p", "queue-count");
    count.append(element("span", "queue-waiting", String(waiting)), element("span", "queue-word", " " + i18n.t("waiting")));
    let detail;
    if (status && !status.open) {
      const opening = openingText(i18n, status.opens_at, state.status.office_date);
      detail = element("p", "queue-wait closed", opening || i18n.t("closed"));
    } else detail = element("p", "queue-wait", waitRangeText(i18n, status ? status.estimated_wait_range_s : null) || "–");
    item.append(head, count, detail);
    return item;
  });
  list.replaceChildren(...items);
}

/**
 * Shows the office's name whole, however long: it wraps onto a second line, and a name that two
 * lines cannot hold at the header's size is made smaller until they do (down to half that size;
 * a longer one still takes a third line rather than being cut). Runs whenever the name's room
 * changes: the date beside it changes width with the day and the language.
 */
function fitOfficeName() {
  const name = byId("office-name");
  name.style.fontSize = "";
  const base = parseFloat(getComputedStyle(name).fontSize);
  const fits = () =>
    name.scrollHeight <= 2 * parseFloat(getComputedStyle(name).lineHeight) + 1 &&
    name.scrollWidth <= name.clientWidth + 1;
  for (let size = base; !fits() && size > base / 2; ) {
    size *= 0.92;
    name.style.fontSize = `${size}px`;
  }
}

let officeNameRoom = null;
new ResizeObserver(() => {
  // Only a new width matters; the height follows from the fitting itself.
  const room = byId("office-name").clientWidth;
  if (room !== officeNameRoom) {
    officeNameRoom = room;
    fitOfficeName();
  }
}).observe(byId("office-name"));

/** Date and time in the office's time zone (the display's own zone may differ). */
function renderClock() {
  const now = new Date();
  byId("date").textContent = i18n.date(now);
  const clockTime = $("time", byId("clock"));
  clockTime.textContent = i18n.time(now);
  clockTime.dateTime = now.toISOString();
}

function renderAll() {
  document.title = `${state.office ? state.office.office.name : "numerek"} — ${i18n.t("title")}`;
  renderClock();
  renderCurrent();
  renderRecent();
  renderQueues();
}

// ---------------------------------------------------------------------------------------------
// The ticker: every announcement in the shown languages. It scrolls (CSS animation) or, under
// reduced motion, shows one announcement at a time.

let tickerTexts = [];
let tickerIndex = 0;

function buildTicker(languages) {
  const announcements = (state.office && state.office.office.announcements) || [];
  tickerTexts = [];
  for (const announcement of announcements) {
    for (const language of languages) {
      const text = announcement[language];
      if (text) tickerTexts.push({ language, text });
    }
  }
  const ticker = byId("ticker");
  ticker.hidden = tickerTexts.length === 0;
  renderTicker();
}

function tickerRun(texts, hidden) {
  const run = element("span", "ticker-run");
  if (hidden) run.setAttribute("aria-hidden", "true");
  for (const { language, text } of texts) {
    const span = element("span", "ticker-item", text);
    span.lang = language;
    run.append(span);
  }
  return run;
}

function renderTicker() {
  const track = byId("ticker-track");
  if (tickerTexts.length === 0) {
    track.replaceChildren();
    return;
  }
  if (reducedMotion.matches) {
    track.className = "ticker-track static";
    track.replaceChildren(tickerRun([tickerTexts[tickerIndex % tickerTexts.length]], false));
  } else {
    track.className = "ticker-track moving";
    // Two copies for a seamless loop; the speed follows the length.
    track.replaceChildren(tickerRun(tickerTexts, false), tickerRun(tickerTexts, true));
    const characters = tickerTexts.reduce((sum, t) => sum + t.text.length + 6, 0);
    track.style.animationDuration = `${Math.max(20, Math.round(characters / 6))}s`;
  }
}

setInterval(() => {
  if (reducedMotion.matches && tickerTexts.length > 1) {
    tickerIndex = (tickerIndex + 1) % tickerTexts.length;
    renderTicker();
  }
}, ROTATE_MS);
reducedMotion.addEventListener("change", () => {
  renderTicker();
  renderCurrent();
});

// ---------------------------------------------------------------------------------------------
// Sound

function voices() {
  const officeLanguages = (state.office && state.office.office.languages) || ["pl"];
  const asked = (params.get("voices") || "")
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter((l) => LANGUAGES.includes(l) && officeLanguages.includes(l));
  if (asked.length) return [...new Set(asked)];
  const first = officeLanguages[0];
  return [LANGUAGES.includes(first) ? first : "pl"];
}

function announce(call) {
  const parts = voices().map((language) => ({
    lang: language,
    text: i18n.t(
      "speak",
      { number: spokenNumber(call.number), counter: spokenCounter(call.counter, language) },
      language,
    ),
  }));
  const text = parts.map((p) => p.text).join(" / ");
  sound.announce(parts, () => window.numerekDisplay.announced.push(text));
}

/** "Stanowisko 3" is spoken inside a sentence: "…, stanowisko 3". */
function spokenCounter(id, language) {
  const name = counterName(id, language);
  return name.charAt(0).toLocaleLowerCase(language) + name.slice(1);
}

function updateUnlock() {
  byId("sound-unlock").hidden = !sound.locked();
}

byId("sound-unlock").addEventListener("click", async () => {
  await sound.unlock();
  updateUnlock();
});
sound.onChange(updateUnlock);

// ---------------------------------------------------------------------------------------------
// Data

/** Refetches the status at most once per second (a burst of events costs one request). */
const scheduleStatus = throttle(async () => {
  try {
    const status = await api("/status");
    if (!state.status || status.seq >= state.status.seq) {
      state.status = status;
      renderQueues();
      // Opening and closing by the clock changes what an empty call box says.
      if (state.recent.length === 0) renderCurrent();
    }
  } catch {
    // The banner tells when the server is away; the next event or poll tries again.
  }
});

setInterval(scheduleStatus, POLL_MS);

function onSnapshot(status) {
  // A snapshot replaces what is on screen and announces nothing.
  state.status = status;
  state.recent = (status.recent_calls || []).slice(0, RECENT_MAX).map((c) => ({
    number: c.number,
    counter: String(c.counter),
    at: c.called_at,
    kind: "called",
  }));
  if (state.fresh && (!state.recent[0] || state.recent[0].number !== state.fresh.number)) state.fresh = null;
  renderCurrent();
  renderRecent();
  renderQueues();
}

function onEvent(event) {
  if (event.type === "ticket.called" || event.type === "ticket.recalled") {
    const call = {
      number: event.ticket.number,
      counter: String(event.counter),
      at: event.at,
      kind: event.type === "ticket.recalled" ? "recalled" : "called",
    };
    state.recent = [call, ...state.recent.filter((c) => c.number !== call.number)].slice(0, RECENT_MAX);
    const age = Date.now() - Date.parse(event.at);
    const stale = Number.isFinite(age) && age > ANNOUNCE_MAX_AGE_MS;
    if (!stale && !state.announcedSeq.has(event.seq)) {
      state.announcedSeq.add(event.seq);
      state.fresh = { number: call.number, kind: call.kind, until: Date.now() + FRESH_MS };
      setTimeout(renderCurrent, FRESH_MS + 50);
      announce(call);
    }
    renderCurrent();
    renderRecent();
  } else if (event.type === "day.started") {
    state.recent = [];
    state.fresh = null;
    renderCurrent();
    renderRecent();
  }
  scheduleStatus();
}

let connected = false;

function onConnection(up) {
  connected = up;
  byId("offline").hidden = up;
  document.body.classList.toggle("is-offline", !up);
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  updateUnlock();
  renderClock();
  setInterval(renderClock, 1000);

  state.office = await loadOfficeWhenUp(() => (byId("offline").hidden = false));
  markDemo(state.office);
  state.categories = state.office.categories || [];
  state.counters = new Map((state.office.counters || []).map((c) => [String(c.id), c]));
  byId("office-name").textContent = state.office.office.name;
  fitOfficeName();

  const officeLanguages = state.office.office.languages || ["pl"];
  const asked = params.get("lang");
  let shown;
  if (asked && officeLanguages.includes(asked) && LANGUAGES.includes(asked)) shown = [asked];
  else {
    // Polish first when the office speaks it, then the office's other languages we have texts for.
    shown = [...new Set(["pl", ...officeLanguages])].filter((l) => officeLanguages.includes(l) && LANGUAGES.includes(l));
    if (shown.length === 0) shown = ["pl"];
  }
  i18n.timeZone = state.office.office.timezone;
  i18n.useLanguages(shown);
  i18n.onChange(renderAll);
  i18n.set(shown[0]);
  renderAll();
  buildTicker(shown);
  if (shown.length > 1) setInterval(() => i18n.set(i18n.next()), ALTERNATE_MS);

  new Feed({ onSnapshot, onEvent, onConnection }).start();
  // A feed that does not come up soon is an outage too (onConnection only reports changes).
  setTimeout(() => {
    if (!connected) byId("offline").hidden = false;
  }, 3000);
}

const counterTop = counterTopRequested(params);
if (counterTop === null) start();
else startCounterTop(counterTop, params, sound);
