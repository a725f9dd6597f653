// The kiosk at the office entrance: choose a category, take (and print) a ticket.
//
// Screens: start (the categories), priority (normal or priority ticket), ticket (the issued
// ticket, printed, back to the start after a countdown once the print is over) and setup (the
// kiosk token). The public
// never sees setup unless no token is stored: staff open it by holding the office name for 5 s.

import { api, ApiError } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { Feed } from "/common/feed.js";
import { I18n, minutes } from "/common/i18n.js";
import { openingText } from "/common/opening.js";
import { throttle } from "/common/throttle.js";
import { takeToken, saveToken, forgetToken } from "/common/token.js";

const TEXTS = {
  pl: {
    title: "Pobierz numerek",
    choose: "Wybierz sprawę, aby pobrać numerek",
    loading: "Wczytywanie…",
    offline: "Brak połączenia z serwerem — liczby na ekranie mogą być nieaktualne.",
    waiting: "Czeka: {count}",
    waitAbout: "ok. {wait}",
    waitNone: "bez czekania",
    waitUnderMinute: "poniżej minuty",
    remaining: "Zostało biletów: {count}",
    closed: "Nieczynne",
    cutOff: "Na dziś koniec",
    cutOffWhy: "Kolejka nie zostałaby obsłużona przed zamknięciem",
    full: "Brak biletów",
    fullWhy: "Limit biletów na dziś wyczerpany",
    priorityQuestion: "Jaki bilet wybierasz?",
    normal: "Bilet zwykły",
    priority: "Bilet priorytetowy",
    priorityWho:
      "Dla osób z niepełnosprawnością, kobiet w ciąży, rodziców z małymi dziećmi i osób powyżej 75 lat.",
    back: "Wróć",
    yourNumber: "Twój numer",
    priorityMark: "Bilet priorytetowy",
    peopleAhead: "Osób przed Tobą",
    estimatedWait: "Szacowany czas oczekiwania",
    issuedAt: "Wydano",
    scan: "Zeskanuj kod telefonem, aby śledzić swój numer.",
    qrAlt: "Kod QR: strona biletu {number} w telefonie",
    takeTicket: "Weź wydrukowany bilet.",
    notPrinted: "Drukarka nie odpowiada: zapamiętaj swój numer lub zeskanuj kod telefonem.",
    countdown: "Powrót do początku za {seconds} s",
    done: "Gotowe",
    issuing: "Drukowanie biletu…",
    announce:
      "Twój numer: {number}, {category}. Osób przed Tobą: {ahead}. Szacowany czas oczekiwania: {wait}.",
    errorClosed: "Ta sprawa jest teraz nieczynna. Wybierz inną lub zapytaj w informacji.",
    errorFull: "Limit biletów na dziś dla tej sprawy został wyczerpany.",
    errorBusy: "Biletomat wydał przed chwilą wiele biletów. Odczekaj chwilę i spróbuj ponownie.",
    errorOffline: "Brak połączenia z serwerem. Spróbuj ponownie za chwilę lub poproś o pomoc obsługę.",
    errorOther: "Nie udało się wydać biletu. Spróbuj ponownie lub poproś o pomoc obsługę.",
    errorLoad: "Nie udało się wczytać spraw. Ponawiam próbę…",
    setupTitle: "Ustawienia biletomatu",
    setupHelp:
      "Wpisz token roli „kiosk” (wypisany przy pierwszym uruchomieniu serwera lub utworzony poleceniem numerek token create --role kiosk).",
    setupLabel: "Token kiosku",
    setupSave: "Zapisz",
    setupCancel: "Anuluj",
    setupEmpty: "Wpisz token.",
    setupRejected: "Serwer nie przyjął tokenu tego biletomatu. Wpisz ważny token roli „kiosk”.",
  },
  en: {
    title: "Take a number",
    choose: "Choose your matter to take a number",
    loading: "Loading…",
    offline: "No connection to the server — the numbers on screen may be out of date.",
    waiting: "Waiting: {count}",
    waitAbout: "about {wait}",
    waitNone: "no wait",
    waitUnderMinute: "under a minute",
    remaining: "Tickets left: {count}",
    closed: "Closed",
    cutOff: "No more today",
    cutOffWhy: "The queue could not be served before closing time",
    full: "No tickets left",
    fullWhy: "Today's ticket limit has been reached",
    priorityQuestion: "Which ticket do you need?",
    normal: "Standard ticket",
    priority: "Priority ticket",
    priorityWho:
      "For people with disabilities, pregnant women, parents with small children and people over 75.",
    back: "Back",
    yourNumber: "Your number",
    priorityMark: "Priority ticket",
    peopleAhead: "People ahead of you",
    estimatedWait: "Estimated wait",
    issuedAt: "Issued",
    scan: "Scan the code with your phone to follow your number.",
    qrAlt: "QR code: the page of ticket {number} on your phone",
    takeTicket: "Take your printed ticket.",
    notPrinted: "The printer is not responding: note your number or scan the code with your phone.",
    countdown: "Back to the start in {seconds} s",
    done: "Done",
    issuing: "Printing your ticket…",
    announce: "Your number: {number}, {category}. People ahead of you: {ahead}. Estimated wait: {wait}.",
    errorClosed: "This matter is closed now. Choose another one or ask at the information desk.",
    errorFull: "Today's ticket limit for this matter has been reached.",
    errorBusy: "This kiosk has just issued many tickets. Please wait a moment and try again.",
    errorOffline: "No connection to the server. Please try again in a moment or ask the staff for help.",
    errorOther: "The ticket could not be issued. Please try again or ask the staff for help.",
    errorLoad: "Could not load the matters. Retrying…",
    setupTitle: "Kiosk settings",
    setupHelp:
      "Enter the token of the “kiosk” role (printed at the server's first start, or made with numerek token create --role kiosk).",
    setupLabel: "Kiosk token",
    setupSave: "Save",
    setupCancel: "Cancel",
    setupEmpty: "Enter the token.",
    setupRejected: "The server did not accept this kiosk's token. Enter a valid “kiosk” token.",
  },
};

/** Each language's name in itself, for the language button. */
const LANGUAGE_NAMES = { pl: "Polski", en: "English", de: "Deutsch", uk: "Українська", ru: "Русский" };

const RETURN_AFTER_S = 10; // the ticket screen goes back to the start after this
const IDLE_RESET_MS = 45000; // an abandoned priority choice or language goes back to the start
const LONG_PRESS_MS = 5000; // holding the office name this long opens setup

const $ = (id) => document.getElementById(id);

const state = {
  token: null,
  office: null, // GET /office
  status: null, // the latest Status
  i18n: new I18n(TEXTS, ["pl", "en"]),
  screen: "start",
  chosen: null, // the category waiting for the priority choice
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
  for (const name of ["start", "priority", "ticket", "setup"]) {
    $(`screen-${name}`).hidden = name !== screen;
  }
  document.body.dataset.screen = screen;
  armIdle();
}

function goStart({ resetLanguage = false } = {}) {
  clearInterval(state.countdownTimer);
  state.countdownTimer = null;
  state.chosen = null;
  state.ticket = null;
  if (resetLanguage) setLanguage(state.i18n.languages[0]);
  show("start");
  renderCategories();
}

/** Back to the start in the default language after a while without a touch. */
function armIdle() {
  clearTimeout(state.idleTimer);
  const i18n = state.i18n;
  const away = state.screen === "priority" || (state.screen === "start" && i18n.language !== i18n.languages[0]);
  if (away) state.idleTimer = setTimeout(() => goStart({ resetLanguage: true }), IDLE_RESET_MS);
}

// ---------------------------------------------------------------------------------------------
// Language

function setLanguage(language) {
  state.i18n.set(language);
  renderLanguageButton();
  renderOffice();
  renderClock();
  renderCategories();
  if (state.screen === "priority" && state.chosen) renderPriority();
  if (state.screen === "ticket" && state.ticket) renderTicket(state.ticket);
  armIdle();
}

function renderLanguageButton() {
  const button = $("language");
  const next = state.i18n.next();
  button.hidden = state.i18n.languages.length < 2;
  button.textContent = LANGUAGE_NAMES[next] || next.toUpperCase();
  button.lang = next;
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
  const clock = $("clock");
  clock.textContent = state.i18n.time(now);
  clock.dateTime = now.toISOString();
  $("date").textContent = state.i18n.date(now);
  const weekday = officeWeekday(now);
  if (lastWeekday !== null && weekday !== lastWeekday) renderCategories();
  lastWeekday = weekday;
}

function renderOffice() {
  if (!state.office) return;
  const name = state.office.office.name;
  $("office-name").textContent = name;
  $("ticket-office").textContent = name;
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

function waitText(seconds) {
  const t = (key, params) => state.i18n.t(key, params);
  if (seconds === null || seconds === undefined) return "";
  if (seconds < 30) return t("waitNone");
  const text = minutes(seconds);
  return t("waitAbout", { wait: text === "< 1 min" ? t("waitUnderMinute") : text });
}

/** Builds the category buttons once per office document; `renderCategories` fills them. */
function buildCategories() {
  const list = $("categories");
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
  $("loading").hidden = true;
  const t = (key, params) => state.i18n.t(key, params);
  for (const category of state.office.categories) {
    const button = document.querySelector(`button[data-category="${CSS.escape(category.id)}"]`);
    if (!button) continue;
    const status = statusOf(category.id);
    const name = button.querySelector(".category-name");
    const info = button.querySelector(".category-info");
    const note = button.querySelector(".category-note");
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
      const wait = waitText(status.estimated_wait_s);
      info.textContent = [t("waiting", { count: status.waiting }), wait].filter(Boolean).join(" · ");
      const remaining = status.remaining_today;
      note.textContent = remaining !== null && remaining !== undefined && remaining <= 20
        ? t("remaining", { count: remaining })
        : "";
    }
    note.hidden = note.textContent === "";
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
    $("priority-title").focus();
  } else {
    issue(category, false);
  }
}

function renderPriority() {
  $("priority-title").textContent = state.i18n.pick(state.chosen.name);
}

async function issue(category, priority) {
  if (state.busy) return;
  if (!state.token) {
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
      token: state.token,
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
  for (const id of ["priority-normal", "priority-priority", "priority-back"]) $(id).disabled = busy;
  document.body.classList.toggle("busy", busy);
  renderCategories();
}

function handleIssueError(error) {
  const code = error instanceof ApiError ? error.code : "other";
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 401 || status === 403) {
    forgetToken("kiosk");
    state.token = null;
    openSetup(state.i18n.t("setupRejected"));
    return;
  }
  goStart();
  if (code === "category_closed") showMessage(state.i18n.t("errorClosed"));
  else if (code === "daily_limit_reached") showMessage(state.i18n.t("errorFull"));
  else if (code === "rate_limited") showMessage(state.i18n.t("errorBusy"));
  else if (code === "offline" || status >= 500) showMessage(state.i18n.t("errorOffline"));
  else showMessage(state.i18n.t("errorOther"));
  refreshStatus();
}

function showMessage(text) {
  const message = $("message");
  message.textContent = text;
  message.hidden = false;
  clearTimeout(state.messageTimer);
  state.messageTimer = setTimeout(hideMessage, 15000);
}

function hideMessage() {
  clearTimeout(state.messageTimer);
  $("message").hidden = true;
  $("message").textContent = "";
}

function announce(text) {
  const live = $("live");
  live.textContent = "";
  // A fresh text node after a tick, so screen readers announce a repeated text too.
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}

// ---------------------------------------------------------------------------------------------
// The issued ticket

function categoryOf(id) {
  return state.office.categories.find((c) => c.id === id);
}

function renderTicket(ticket) {
  const t = (key, params) => state.i18n.t(key, params);
  const category = categoryOf(ticket.category);
  $("ticket-number").textContent = ticket.number;
  $("ticket-priority").hidden = !ticket.priority;
  $("ticket-category").textContent = category ? state.i18n.pick(category.name) : ticket.category;
  $("ticket-people-ahead").textContent = ticket.people_ahead ?? "–";
  const wait = ticket.estimated_wait_s;
  $("ticket-wait").textContent =
    wait === null || wait === undefined ? "–" : wait < 30 ? t("waitNone") : minutes(wait);
  const issued = new Date(ticket.issued_at);
  $("ticket-issued").textContent = `${state.i18n.shortDate(issued)}, ${state.i18n.time(issued)}`;
  const qr = $("ticket-qr");
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
  $("done").focus();
  const category = categoryOf(ticket.category);
  announce(
    state.i18n.t("announce", {
      number: ticket.number,
      category: category ? state.i18n.pick(category.name) : ticket.category,
      ahead: ticket.people_ahead ?? 0,
      wait: $("ticket-wait").textContent,
    }),
  );
  printWhenReady(ticket).then((outcome) => {
    // The citizen may have gone on ("Done") before the print was over.
    if (state.ticket !== ticket) return;
    state.print = outcome;
    if (outcome !== "printed") announce(state.i18n.t("notPrinted"));
    startCountdown();
  });
}

/**
 * Prints `ticket` once its QR code has loaded (or failed, or 3 s passed): the code belongs on
 * the paper. Answers what `printPage` answers, or "skipped" when the ticket left the screen first.
 */
function printWhenReady(ticket) {
  const qr = $("ticket-qr");
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
  const take = $("ticket-take");
  if (state.print === "pending") take.textContent = t("issuing");
  else if (state.print === "printed") take.textContent = t("takeTicket");
  else take.textContent = t("notPrinted");
  take.classList.toggle("warning", state.print === "busy" || state.print === "failed");
  // Until the print is over the ticket stays on screen: no countdown yet.
  $("countdown").textContent =
    state.print === "pending" ? "" : t("countdown", { seconds: state.secondsLeft });
  $("screen-ticket").dataset.print = state.print;
}

// ---------------------------------------------------------------------------------------------
// Setup

function openSetup(message) {
  clearInterval(state.countdownTimer);
  const input = $("setup-token");
  input.value = "";
  $("setup-cancel").hidden = !state.token;
  const box = $("setup-message");
  box.textContent = message || "";
  box.hidden = !message;
  show("setup");
  input.focus();
}

function saveSetup(event) {
  event.preventDefault();
  const token = $("setup-token").value.trim();
  if (!token) {
    const box = $("setup-message");
    box.textContent = state.i18n.t("setupEmpty");
    box.hidden = false;
    $("setup-token").focus();
    return;
  }
  saveToken("kiosk", token);
  state.token = token;
  $("setup-token").value = "";
  goStart();
}

/** Holding the office name for 5 s opens setup (staff only; the public sees no button). */
function armLongPress() {
  const target = $("office-name");
  let timer = null;
  const cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  target.addEventListener("pointerdown", () => {
    cancel();
    timer = setTimeout(() => {
      timer = null;
      openSetup();
    }, LONG_PRESS_MS);
  });
  for (const type of ["pointerup", "pointerleave", "pointercancel"]) target.addEventListener(type, cancel);
  target.addEventListener("contextmenu", (event) => event.preventDefault());
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
      state.i18n = new I18n(TEXTS, office.office.languages || ["pl"], office.office.timezone);
      state.i18n.set(state.i18n.languages[0]);
      renderLanguageButton();
      renderOffice();
      renderClock();
      buildCategories();
      renderCategories();
      return;
    } catch {
      $("loading").textContent = state.i18n.t("errorLoad");
      setOnline(false);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

function setOnline(up) {
  document.querySelector(".offline-banner").hidden = up;
}

async function main() {
  state.i18n.apply();
  renderLanguageButton();
  renderClock();
  setInterval(renderClock, 1000);
  armLongPress();

  $("language").addEventListener("click", () => setLanguage(state.i18n.next()));
  $("priority-normal").addEventListener("click", () => state.chosen && issue(state.chosen, false));
  $("priority-priority").addEventListener("click", () => state.chosen && issue(state.chosen, true));
  $("priority-back").addEventListener("click", () => goStart());
  $("done").addEventListener("click", () => goStart({ resetLanguage: true }));
  $("setup-form").addEventListener("submit", saveSetup);
  $("setup-cancel").addEventListener("click", () => goStart());
  document.addEventListener("pointerdown", armIdle);
  document.addEventListener("keydown", armIdle);

  state.token = takeToken("kiosk").token;
  if (state.token) show("start");
  else openSetup();

  await loadOffice();
  if (state.screen === "setup") $("setup-token").focus();

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
