// The rating tablet beside a counter (`/feedback/?counter=ID`, kiosk token): after every visit
// finished at its counter it offers five faces for 3 minutes (the time the server takes a rating
// from the tablet, counted from the finish), takes one touch, thanks the person and goes back to
// waiting. It follows the public feed for the counter's finishes; the rating goes to
// POST /api/v1/counters/{id}/feedback, which rates the counter's last finished ticket. Nothing
// about the person is asked or kept.
//
// Screens (`body[data-screen]`): idle (between visits), ask (the faces), done (thanks, or why the
// rating was not taken) and setup (the tablet's token: shown when none is stored, or by holding
// the counter's name for 5 s; the kiosk page's way).

import { api, ApiError, loadOfficeWhenUp } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { announce as say, byId } from "/common/dom.js";
import { buildFaces, enableFaces, labelFaces } from "/common/faces.js";
import { Feed } from "/common/feed.js";
import { I18n } from "/common/i18n.js";
import { Login } from "/common/login.js";
import { onLongPress } from "/common/long-press.js";

/** How long after a finish the server takes the tablet's rating (the core's COUNTER_WINDOW). */
const OFFER_MS = 3 * 60 * 1000;
/** How long the thanks (or the reason) stays before the tablet waits again. */
const DONE_MS = 6000;
const LONG_PRESS_MS = 5000;

const params = new URLSearchParams(location.search);
const counterId = (params.get("counter") || "").trim();
const login = new Login("feedback", { refusedBy: [401, 403] });
const i18n = new I18n("feedback");

const state = {
  office: null,
  counter: null, // the counter's document
  screen: "idle",
  doneKey: null, // the text of the done screen
  messageKey: null, // the ask screen's error, if any
  offerTimer: null,
  doneTimer: null,
  sending: false,
  problem: null, // a text key the idle screen says instead of its own (no or unknown counter)
};

// ---------------------------------------------------------------------------------------------
// Screens

function show(screen) {
  state.screen = screen;
  for (const name of ["idle", "ask", "done", "setup"]) byId(`screen-${name}`).hidden = name !== screen;
  document.body.dataset.screen = screen;
}

function goIdle() {
  clearTimeout(state.offerTimer);
  clearTimeout(state.doneTimer);
  state.messageKey = null;
  // The next person starts in the office's first language.
  if (i18n.language !== i18n.languages[0]) i18n.set(i18n.languages[0]);
  show("idle");
  render();
}

/** Offers the faces until `until` (a `Date.now()` time). */
function offer(until) {
  if (state.problem || !login.token || state.screen === "setup") return;
  clearTimeout(state.offerTimer);
  clearTimeout(state.doneTimer);
  state.messageKey = null;
  state.sending = false;
  show("ask");
  render();
  byId("question").focus();
  say(byId("live"), i18n.t("question"));
  state.offerTimer = setTimeout(goIdle, Math.max(0, until - Date.now()));
}

function finish(key) {
  clearTimeout(state.offerTimer);
  state.doneKey = key;
  show("done");
  render();
  byId("done-text").focus();
  state.doneTimer = setTimeout(goIdle, DONE_MS);
}

function render() {
  const counterName = state.counter ? i18n.pick(state.counter.name) : counterId;
  byId("counter-name").textContent = counterName || "\u00a0";
  document.title = `${i18n.t("title")} — ${counterName || "numerek"}`;
  byId("idle-text").textContent = state.problem
    ? i18n.t(state.problem, { counter: counterId })
    : i18n.t("idle");
  labelFaces(byId("faces"), i18n);
  enableFaces(byId("faces"), !state.sending);
  const message = byId("ask-message");
  message.hidden = !state.messageKey;
  message.textContent = state.messageKey ? i18n.t(state.messageKey) : "";
  byId("done-text").textContent = state.doneKey ? i18n.t(state.doneKey) : "";
}

// ---------------------------------------------------------------------------------------------
// Rating

async function rate(score) {
  if (state.sending) return;
  state.sending = true;
  state.messageKey = null;
  render();
  try {
    await api(`/counters/${encodeURIComponent(counterId)}/feedback`, {
      method: "POST",
      body: { score },
      token: login.token,
    });
    state.sending = false;
    finish("thanks");
  } catch (error) {
    state.sending = false;
    if (login.refused(error)) {
      openSetup(i18n.t("setupRejected"));
      return;
    }
    const code = error instanceof ApiError ? error.code : "other";
    if (code === "feedback_given") finish("given");
    else if (code === "no_recent_ticket") finish("late");
    else if (code === "unknown_counter") {
      state.problem = "unknownCounter";
      goIdle();
    } else {
      state.messageKey = "failed";
      render();
    }
  }
}

/** A counter's finish seen on the feed: offer the faces for what is left of the window. */
function onEvent(event) {
  if (event.type !== "ticket.finished" || String(event.counter) !== counterId) return;
  const age = Math.max(0, Date.now() - Date.parse(event.at));
  const left = OFFER_MS - (Number.isFinite(age) ? age : 0);
  if (left > 0) offer(Date.now() + left);
}

// ---------------------------------------------------------------------------------------------
// Setup

function openSetup(message) {
  clearTimeout(state.offerTimer);
  clearTimeout(state.doneTimer);
  byId("setup-token").value = "";
  byId("setup-cancel").hidden = !login.token;
  const box = byId("setup-message");
  box.textContent = message || "";
  box.hidden = !message;
  show("setup");
  byId("setup-token").focus();
}

function saveSetup(event) {
  event.preventDefault();
  const token = byId("setup-token").value.trim();
  if (!token) {
    const box = byId("setup-message");
    box.textContent = i18n.t("setupEmpty");
    box.hidden = false;
    byId("setup-token").focus();
    return;
  }
  login.signIn(token);
  goIdle();
}

/** Holding the counter's name for 5 s opens setup (staff only; the public sees no button). */
function armLongPress() {
  onLongPress(byId("counter-name"), LONG_PRESS_MS, openSetup);
}

// ---------------------------------------------------------------------------------------------
// Start

async function main() {
  buildFaces(byId("faces"), rate);
  i18n.apply();
  i18n.onChange(render);
  i18n.bindSwitch(byId("language"), (language) => i18n.set(language));
  armLongPress();
  byId("setup-form").addEventListener("submit", saveSetup);
  byId("setup-cancel").addEventListener("click", goIdle);
  if (!counterId) state.problem = "noCounter";
  if (login.token) goIdle();
  else openSetup();

  state.office = await loadOfficeWhenUp(() => (byId("offline").hidden = false));
  markDemo(state.office);
  i18n.timeZone = state.office.office.timezone;
  i18n.useLanguages(state.office.office.languages);
  i18n.set(i18n.languages[0]);
  state.counter = (state.office.counters || []).find((c) => String(c.id) === counterId) || null;
  if (counterId && !state.counter) state.problem = "unknownCounter";
  render();
  if (state.problem) return;

  const feed = new Feed({
    onSnapshot: () => {},
    onEvent,
    onConnection: (up) => {
      byId("offline").hidden = up;
    },
  }).start();
  setTimeout(() => {
    byId("offline").hidden = Boolean(feed.up);
  }, 3000);
}

main();
