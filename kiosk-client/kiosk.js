// The kiosk at the office entrance: choose a category, take (and print) a ticket.
//
// Screens: start (the categories), priority (normal or priority ticket), checkin (a booking's
// code on the on-screen keyboard, checkin.js), ticket (the issued ticket, a taken or a
// checked-in one, printed, back to the start after a countdown once the print is over), info
// (what to bring, after the print, for a category whose office file says: its `info` and
// `forms`; back to the start after a longer countdown) and setup (the kiosk token). The public
// never sees setup unless no token is stored: staff open it by holding the office name for 5 s.

import { api, ApiError } from "/common/api.js";
import { bookableCategories, officeDate } from "/common/appointments.js";
import { markDemo } from "/common/demo.js";
import { $, announce as say, byId } from "/common/dom.js";
import { Feed } from "/common/feed.js";
import { I18n } from "/common/i18n.js";
import { Login } from "/common/login.js";
import { onLongPress } from "/common/long-press.js";
import { openingText } from "/common/opening.js";
import { throttle } from "/common/throttle.js";
import { waitRangeText } from "/common/wait.js";
import { CodeEntry, refusal } from "/kiosk/checkin.js";

const RETURN_AFTER_S = 10; // the ticket screen goes back to the start after this
const INFO_RETURN_AFTER_S = 30; // what to bring stays this long: time to read it
const IDLE_RESET_MS = 45000; // an abandoned priority choice or language goes back to the start
const LONG_PRESS_MS = 5000; // holding the office name this long opens setup

// The kiosk token: a refused one (401, or 403 for a token of another role) opens setup again.
const login = new Login("kiosk", { refusedBy: [401, 403] });

const state = {
  office: null, // GET /office
  status: null, // the latest Status
  i18n: new I18n("kiosk"),
  screen: "start",
  chosen: null, // the category waiting for the priority choice
  bookable: false, // whether any category takes bookings: "I have an appointment" is offered
  entry: null, // the code entry (CodeEntry) of the check-in screen
  refusal: null, // the check-in refused, as {key, params} of the texts
  ticket: null, // the issued ticket on screen
  print: "pending", // the ticket's print: pending, printed, busy or failed (see `printPage`)
  busy: false,
  countdownTimer: null,
  messageTimer: null,
  idleTimer: null,
};

// ---------------------------------------------------------------------------------------------
// Screens

function show(screen) {
  state.screen = screen;
  for (const name of ["start", "priority", "checkin", "ticket", "info", "setup"]) {
    byId(`screen-${name}`).hidden = name !== screen;
  }
  document.body.dataset.screen = screen;
  armIdle();
}

function goStart({ resetLanguage = false } = {}) {
  clearInterval(state.countdownTimer);
  state.countdownTimer = null;
  state.chosen = null;
  state.ticket = null;
  // A booking's code is its holder's key: it does not stay on the kiosk for the next person.
  if (state.entry) state.entry.clear();
  state.refusal = null;
  if (resetLanguage) setLanguage(state.i18n.languages[0]);
  show("start");
  renderCategories();
}

/** Back to the start in the default language after a while without a touch. */
function armIdle() {
  clearTimeout(state.idleTimer);
  const i18n = state.i18n;
  const away =
    state.screen === "priority" ||
    state.screen === "checkin" ||
    (state.screen === "start" && i18n.language !== i18n.languages[0]);
  if (away) state.idleTimer = setTimeout(() => goStart({ resetLanguage: true }), IDLE_RESET_MS);
}

// ---------------------------------------------------------------------------------------------
// Language

function setLanguage(language) {
  state.i18n.set(language);
  renderOffice();
  renderClock();
  renderCategories();
  if (state.screen === "priority" && state.chosen) renderPriority();
  if (state.screen === "checkin") renderRefusal();
  if (state.screen === "ticket" && state.ticket) renderTicket(state.ticket);
  if (state.screen === "info" && state.ticket) renderInfo(state.ticket);
  armIdle();
}

// ---------------------------------------------------------------------------------------------
// Office, clock

/** Today's weekday in the office's time zone: "mon" … "sun". */
function officeWeekday(date = new Date()) {
  return state.i18n.weekday(date);
}

let lastWeekday = null;
function renderClock() {
  const now = new Date();
  const clock = byId("clock");
  clock.textContent = state.i18n.time(now);
  clock.dateTime = now.toISOString();
  byId("date").textContent = state.i18n.date(now);
  const weekday = officeWeekday(now);
  if (lastWeekday !== null && weekday !== lastWeekday) renderCategories();
  lastWeekday = weekday;
}

function renderOffice() {
  if (!state.office) return;
  const name = state.office.office.name;
  byId("office-name").textContent = name;
  byId("ticket-office").textContent = name;
  document.title = `${state.i18n.t("title")} — ${name}`;
}

// ---------------------------------------------------------------------------------------------
// Categories

function statusOf(id) {
  return state.status ? state.status.categories.find((c) => c.id === id) : null;
}

/** When a closed category opens again, as a sentence: "Otwarte od poniedziałku 7:30". */
function openingNote(status) {
  return openingText(state.i18n, status.opens_at, state.status.office_date, { capital: true });
}

/** Builds the category buttons once per office document; `renderCategories` fills them. */
function buildCategories() {
  const list = byId("categories");
  list.replaceChildren();
  for (const category of state.office.categories) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "category";
    button.dataset.category = category.id;
    button.setAttribute("data-testid", `category-${category.id}`);
    const prefix = document.createElement("span");
    prefix.className = "category-prefix";
    prefix.setAttribute("aria-hidden", "true");
    prefix.textContent = category.prefix;
    const body = document.createElement("span");
    body.className = "category-body";
    const name = document.createElement("span");
    name.className = "category-name";
    const info = document.createElement("span");
    info.className = "category-info";
    const note = document.createElement("span");
    note.className = "category-note";
    body.append(name, info, note);
    button.append(prefix, body);
    button.addEventListener("click", () => chooseCategory(category));
    item.append(button);
    list.append(item);
  }
}

function renderCategories() {
  if (!state.office) return;
  byId("loading").hidden = true;
  const t = (key, params) => state.i18n.t(key, params);
  for (const category of state.office.categories) {
    const button = $(`button[data-category="${CSS.escape(category.id)}"]`);
    if (!button) continue;
    const status = statusOf(category.id);
    const name = $(".category-name", button);
    const info = $(".category-info", button);
    const note = $(".category-note", button);
    name.textContent = state.i18n.pick(category.name);
    const waiting = status ? status.waiting : null;
    button.dataset.waiting = waiting === null ? "" : String(waiting);
    const closed = status ? !status.open : false;
    const full = status ? status.remaining_today === 0 : false;
    let state_ = "open";
    if (closed) state_ = "closed";
    else if (full) state_ = "full";
    button.dataset.state = state_;
    button.disabled = !status || closed || full || state.busy;
    button.classList.toggle("unavailable", closed || full);

    if (!status) {
      info.textContent = "";
      note.textContent = "";
    } else if (closed) {
      // The server says why (its clock decides, not the kiosk's) and when it opens again.
      const opening = openingNote(status);
      if (status.closed_reason === "cut_off") {
        // Within its hours yet closed: the office stopped issuing, as the queue would not be
        // served before closing time.
        info.textContent = t("cutOff");
        note.textContent = [t("cutOffWhy"), opening].filter(Boolean).join(". ");
      } else {
        info.textContent = t("closed");
        note.textContent = opening;
      }
    } else if (full) {
      info.textContent = t("full");
      note.textContent = t("fullWhy");
    } else {
      const wait = waitRangeText(state.i18n, status.estimated_wait_range_s);
      info.textContent = [t("waiting", { count: status.waiting }), wait].filter(Boolean).join(" · ");
      const remaining = status.remaining_today;
      note.textContent = remaining !== null && remaining !== undefined && remaining <= 20
        ? t("remaining", { count: remaining })
        : "";
    }
    note.hidden = note.textContent === "";
  }
}

// ---------------------------------------------------------------------------------------------
// Checking in with a booking

/** Offers "I have an appointment" when a category of the office takes bookings. */
function findBookable() {
  state.bookable = bookableCategories(state.office).length > 0;
  byId("have-appointment").hidden = !state.bookable;
}

/** The office's day by the server's clock (the status), else by the kiosk's. */
function officeToday() {
  return state.status?.office_date ?? officeDate(new Date(), state.office.office.timezone);
}

function openCheckin() {
  if (state.busy) return;
  hideMessage();
  state.refusal = null;
  state.entry.clear();
  renderRefusal();
  show("checkin");
  byId("checkin-title").focus();
}

function renderRefusal() {
  const box = byId("checkin-message");
  box.hidden = !state.refusal;
  box.textContent = state.refusal ? state.i18n.t(state.refusal.key, state.refusal.params) : "";
}

async function checkIn(code) {
  if (state.busy) return;
  if (!login.token) {
    openSetup();
    return;
  }
  state.busy = true;
  state.entry.setDisabled(true);
  state.refusal = null;
  renderRefusal();
  announce(state.i18n.t("issuing"));
  try {
    const ticket = await api(`/appointments/${encodeURIComponent(code)}/check-in`, {
      method: "POST",
      body: {},
      token: login.token,
    });
    state.busy = false;
    state.entry.setDisabled(false);
    state.entry.clear();
    showTicket(ticket);
    refreshStatus();
  } catch (error) {
    state.busy = false;
    state.entry.setDisabled(false);
    if (login.refused(error)) {
      openSetup(state.i18n.t("setupRejected"));
      return;
    }
    state.refusal = refusal(error, officeToday());
    renderRefusal();
    announce(byId("checkin-message").textContent);
  }
}

function applyStatus(status) {
  if (!status) return;
  if (state.status && typeof status.seq === "number" && status.seq < state.status.seq) return;
  state.status = status;
  renderCategories();
}

// ---------------------------------------------------------------------------------------------
// Taking a ticket

function chooseCategory(category) {
  if (state.busy) return;
  hideMessage();
  if (category.priority) {
    state.chosen = category;
    renderPriority();
    show("priority");
    byId("priority-title").focus();
  } else {
    issue(category, false);
  }
}

function renderPriority() {
  byId("priority-title").textContent = state.i18n.pick(state.chosen.name);
}

async function issue(category, priority) {
  if (state.busy) return;
  if (!login.token) {
    openSetup();
    return;
  }
  state.busy = true;
  setBusyButtons(true);
  announce(state.i18n.t("issuing"));
  try {
    const ticket = await api("/tickets", {
      method: "POST",
      body: { category: category.id, priority, language: state.i18n.language },
      token: login.token,
    });
    state.busy = false;
    setBusyButtons(false);
    showTicket(ticket);
    refreshStatus();
  } catch (error) {
    state.busy = false;
    setBusyButtons(false);
    handleIssueError(error);
  }
}

function setBusyButtons(busy) {
  for (const id of ["priority-normal", "priority-priority", "priority-back"]) byId(id).disabled = busy;
  document.body.classList.toggle("busy", busy);
  renderCategories();
}

function handleIssueError(error) {
  if (login.refused(error)) {
    openSetup(state.i18n.t("setupRejected"));
    return;
  }
  const code = error instanceof ApiError ? error.code : "other";
  const status = error instanceof ApiError ? error.status : 0;
  goStart();
  if (code === "category_closed") showMessage(state.i18n.t("errorClosed"));
  else if (code === "daily_limit_reached") showMessage(state.i18n.t("errorFull"));
  else if (code === "rate_limited") showMessage(state.i18n.t("errorBusy"));
  else if (code === "offline" || status >= 500) showMessage(state.i18n.t("errorOffline"));
  else showMessage(state.i18n.t("errorOther"));
  refreshStatus();
}

function showMessage(text) {
  const message = byId("message");
  message.textContent = text;
  message.hidden = false;
  clearTimeout(state.messageTimer);
  state.messageTimer = setTimeout(hideMessage, 15000);
}

function hideMessage() {
  clearTimeout(state.messageTimer);
  byId("message").hidden = true;
  byId("message").textContent = "";
}

function announce(text) {
  say(byId("live"), text);
}

// ---------------------------------------------------------------------------------------------
// The issued ticket

function categoryOf(id) {
  return state.office.categories.find((c) => c.id === id);
}

function renderTicket(ticket) {
  const t = (key, params) => state.i18n.t(key, params);
  const category = categoryOf(ticket.category);
  byId("ticket-number").textContent = ticket.number;
  byId("ticket-priority").hidden = !ticket.priority;
  const appointment = byId("ticket-appointment");
  appointment.hidden = !ticket.appointment;
  appointment.textContent = ticket.appointment
    ? t("appointmentAt", { time: state.i18n.time(new Date(ticket.appointment.start)) })
    : "";
  byId("ticket-category").textContent = category ? state.i18n.pick(category.name) : ticket.category;
  const bring = byId("ticket-bring");
  const info = category && category.info ? state.i18n.pick(category.info) : "";
  bring.hidden = !info;
  bring.textContent = info ? `${t("bringPrinted")} ${oneLine(info)}` : "";
  byId("ticket-people-ahead").textContent = ticket.people_ahead ?? "–";
  byId("ticket-wait").textContent = waitRangeText(state.i18n, ticket.estimated_wait_range_s) || "–";
  const issued = new Date(ticket.issued_at);
  byId("ticket-issued").textContent = `${state.i18n.shortDate(issued)}, ${state.i18n.time(issued)}`;
  const qr = byId("ticket-qr");
  qr.alt = t("qrAlt", { number: ticket.number });
  const source = `/t/${encodeURIComponent(ticket.id)}/qr.svg`;
  if (qr.getAttribute("src") !== source) qr.src = source;
  renderCountdown();
}

function showTicket(ticket) {
  state.ticket = ticket;
  state.chosen = null;
  state.print = "pending";
  state.secondsLeft = RETURN_AFTER_S;
  renderTicket(ticket);
  show("ticket");
  byId("done").focus();
  const category = categoryOf(ticket.category);
  announce(
    state.i18n.t("announce", {
      number: ticket.number,
      category: category ? state.i18n.pick(category.name) : ticket.category,
      ahead: ticket.people_ahead ?? 0,
      wait: byId("ticket-wait").textContent,
    }),
  );
  printWhenReady(ticket).then((outcome) => {
    // The citizen may have gone on ("Done") before the print was over.
    if (state.ticket !== ticket) return;
    state.print = outcome;
    if (outcome !== "printed") announce(state.i18n.t("notPrinted"));
    if (hasInformation(categoryOf(ticket.category))) showInfo(ticket);
    else startCountdown();
  });
}

// ---------------------------------------------------------------------------------------------
// What to bring

/** Whether the office file says what to bring for `category` (its `info` or `forms`). */
function hasInformation(category) {
  return Boolean(category && (category.info || (category.forms && category.forms.length)));
}

/**
 * A text of several lines as one, for the printed ticket: bullets dropped, lines that end
 * without a stop joined by a semicolon ("Dowód osobisty; wniosek.").
 */
function oneLine(text) {
  const lines = text
    .split("\n")
    .map((line) => line.trim().replace(/^[-•*–]\s*/, ""))
    .filter(Boolean);
  return lines.map((line, i) => (i < lines.length - 1 && !/[.;:!?,]$/.test(line) ? `${line};` : line)).join(" ");
}

function renderInfo(ticket) {
  const t = (key, params) => state.i18n.t(key, params);
  const category = categoryOf(ticket.category);
  byId("info-number").textContent = t("bringNumber", { number: ticket.number });
  byId("info-category").textContent = category ? state.i18n.pick(category.name) : ticket.category;
  const info = category && category.info ? state.i18n.pick(category.info) : "";
  byId("info-text").hidden = !info;
  byId("info-text").textContent = info;
  const forms = (category && category.forms) || [];
  byId("info-forms").hidden = forms.length === 0;
  byId("info-forms-list").replaceChildren(
    ...forms.map((form) => {
      const item = document.createElement("li");
      item.textContent = state.i18n.pick(form.name);
      return item;
    }),
  );
  const take = byId("info-take");
  take.textContent = t(state.print === "printed" ? "takeTicket" : "notPrinted");
  take.classList.toggle("warning", state.print !== "printed");
  byId("info-countdown").textContent = t("countdown", { seconds: state.secondsLeft });
}

/** After the print: what to bring, read at leisure, then back to the start. */
function showInfo(ticket) {
  if (state.screen !== "ticket") return;
  state.secondsLeft = INFO_RETURN_AFTER_S;
  renderInfo(ticket);
  show("info");
  byId("info-title").focus();
  const category = categoryOf(ticket.category);
  if (category && category.info) announce(state.i18n.t("bringAnnounce", { info: state.i18n.pick(category.info) }));
  clearInterval(state.countdownTimer);
  state.countdownTimer = setInterval(() => {
    state.secondsLeft -= 1;
    if (state.secondsLeft <= 0) goStart({ resetLanguage: true });
    else byId("info-countdown").textContent = state.i18n.t("countdown", { seconds: state.secondsLeft });
  }, 1000);
}

/**
 * Prints `ticket` once its QR code has loaded (or failed, or 3 s passed): the code belongs on
 * the paper. Answers what `printPage` answers, or "skipped" when the ticket left the screen first.
 */
function printWhenReady(ticket) {
  const qr = byId("ticket-qr");
  const loaded = qr.complete && qr.naturalWidth > 0
    ? Promise.resolve()
    : new Promise((resolve) => {
        qr.addEventListener("load", resolve, { once: true });
        qr.addEventListener("error", resolve, { once: true });
        setTimeout(resolve, 3000);
      });
  return loaded
    .then(() => new Promise((resolve) => requestAnimationFrame(resolve)))
    .then(() => (state.ticket === ticket ? printPage() : "skipped"));
}

// ---------------------------------------------------------------------------------------------
// Printing
//
// The browser tells the page that a print begins (`beforeprint`) and that it is over
// (`afterprint`). Chromium started with --kiosk-printing does both within `window.print()`. A
// print may also stay in progress: a print dialog nobody answers (a kiosk started without
// --kiosk-printing) or a print system that hangs; and while one is in progress Chromium ignores
// every further `window.print()` without a word. So the kiosk starts a print only when none is
// in progress, keeps the ticket on screen until its print is over, and when it cannot print,
// says so on the ticket screen. Prints are counted rather than flagged: a print of the page by
// other means (an automated test's print to PDF) may overlap the kiosk's own, which is over
// when every print begun is over.

const printing = {
  inProgress: 0, // prints begun and not over
  begun: 0, // prints begun since the page loaded
  waiting: [], // called when no print is in progress any more
};

addEventListener("beforeprint", () => {
  printing.inProgress += 1;
  printing.begun += 1;
});

addEventListener("afterprint", () => {
  printing.inProgress = Math.max(0, printing.inProgress - 1);
  if (printing.inProgress === 0) for (const done of printing.waiting.splice(0)) done();
});

/**
 * Prints what is on screen. Answers (a promise of) "printed" once the print is over, "busy" when
 * an earlier print is still in progress (so nothing is printed now), or "failed" when the
 * browser printed nothing (printing disabled, or an error).
 */
function printPage() {
  if (printing.inProgress > 0) return Promise.resolve("busy");
  const begun = printing.begun;
  try {
    window.print();
  } catch {
    return Promise.resolve("failed");
  }
  if (printing.begun === begun) return Promise.resolve("failed");
  if (printing.inProgress === 0) return Promise.resolve("printed");
  return new Promise((resolve) => printing.waiting.push(() => resolve("printed")));
}

function startCountdown() {
  if (state.screen !== "ticket") return;
  clearInterval(state.countdownTimer);
  state.secondsLeft = RETURN_AFTER_S;
  renderCountdown();
  state.countdownTimer = setInterval(() => {
    state.secondsLeft -= 1;
    if (state.secondsLeft <= 0) goStart({ resetLanguage: true });
    else renderCountdown();
  }, 1000);
}

/** The line under the ticket and the countdown, as far as its print has got. */
function renderCountdown() {
  const t = (key, params) => state.i18n.t(key, params);
  const take = byId("ticket-take");
  if (state.print === "pending") take.textContent = t("issuing");
  else if (state.print === "printed") take.textContent = t("takeTicket");
  else take.textContent = t("notPrinted");
  take.classList.toggle("warning", state.print === "busy" || state.print === "failed");
  // Until the print is over the ticket stays on screen: no countdown yet.
  byId("countdown").textContent =
    state.print === "pending" ? "" : t("countdown", { seconds: state.secondsLeft });
  byId("screen-ticket").dataset.print = state.print;
}

// ---------------------------------------------------------------------------------------------
// Setup

function openSetup(message) {
  clearInterval(state.countdownTimer);
  const input = byId("setup-token");
  input.value = "";
  byId("setup-cancel").hidden = !login.token;
  const box = byId("setup-message");
  box.textContent = message || "";
  box.hidden = !message;
  show("setup");
  input.focus();
}

function saveSetup(event) {
  event.preventDefault();
  const token = byId("setup-token").value.trim();
  if (!token) {
    const box = byId("setup-message");
    box.textContent = state.i18n.t("setupEmpty");
    box.hidden = false;
    byId("setup-token").focus();
    return;
  }
  login.signIn(token);
  byId("setup-token").value = "";
  goStart();
}

/** Holding the office name for 5 s opens setup (staff only; the public sees no button). */
function armLongPress() {
  onLongPress(byId("office-name"), LONG_PRESS_MS, openSetup);
}

// ---------------------------------------------------------------------------------------------
// Data: office, status, live feed

/** Refetches the status, at most once per second. */
const refreshStatus = throttle(async () => {
  try {
    applyStatus(await api("/status"));
  } catch {
    // The feed's banner tells; the next event or poll tries again.
  }
});

async function loadOffice() {
  for (;;) {
    try {
      const office = await api("/office");
      state.office = office;
      markDemo(office);
      state.i18n.timeZone = office.office.timezone;
      state.i18n.useLanguages(office.office.languages);
      state.i18n.set(state.i18n.languages[0]);
      renderOffice();
      renderClock();
      buildCategories();
      renderCategories();
      findBookable();
      return;
    } catch {
      byId("loading").textContent = state.i18n.t("errorLoad");
      setOnline(false);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

function setOnline(up) {
  byId("offline").hidden = up;
}

async function main() {
  state.i18n.apply();
  state.i18n.bindSwitch(byId("language"), setLanguage);
  renderClock();
  setInterval(renderClock, 1000);
  armLongPress();

  byId("priority-normal").addEventListener("click", () => state.chosen && issue(state.chosen, false));
  byId("priority-priority").addEventListener("click", () => state.chosen && issue(state.chosen, true));
  byId("priority-back").addEventListener("click", () => goStart());
  byId("done").addEventListener("click", () => goStart({ resetLanguage: true }));
  byId("info-done").addEventListener("click", () => goStart({ resetLanguage: true }));
  byId("setup-form").addEventListener("submit", saveSetup);
  byId("setup-cancel").addEventListener("click", () => goStart());
  state.entry = new CodeEntry({
    display: byId("checkin-code"),
    keys: byId("code-keys"),
    remove: byId("code-delete"),
    ok: byId("code-ok"),
    onSubmit: checkIn,
  });
  byId("have-appointment").addEventListener("click", openCheckin);
  byId("checkin-back").addEventListener("click", () => goStart());
  // A keyboard types the code too (letters in either case, Backspace, Enter), unless the focus
  // is on a button, which Enter presses.
  document.addEventListener("keydown", (event) => {
    if (state.screen !== "checkin") return;
    if (event.key === "Enter") {
      if (event.target instanceof HTMLButtonElement) return;
      event.preventDefault();
      state.entry.submit();
      return;
    }
    if (state.entry.key(event)) event.preventDefault();
  });
  document.addEventListener("pointerdown", armIdle);
  document.addEventListener("keydown", armIdle);

  if (login.token) show("start");
  else openSetup();

  await loadOffice();
  if (state.screen === "setup") byId("setup-token").focus();

  const feed = new Feed({
    onSnapshot: applyStatus,
    onEvent: refreshStatus,
    onConnection: setOnline,
  }).start();
  // The feed reports only changes; a feed that never comes up shows the banner too.
  setTimeout(() => setOnline(feed.up), 3000);
  // Categories open and close by the clock, which emits no event: look now and then.
  setInterval(refreshStatus, 30000);
  refreshStatus();
}

main();
