// The mobile ticket page (/t/{id}): a visitor follows their ticket on their phone. The id in the
// address is the visitor's alone; the page reads its ticket by it and watches the public feed,
// which knows tickets by number only, for anything that moves its line or concerns its number.
import { api, ApiError } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { Feed } from "/common/feed.js";
import { I18n, minutes } from "/common/i18n.js";
import { throttle } from "/common/throttle.js";

const LANGUAGE_KEY = "numerek.ticket.language";

const dictionary = {
  pl: {
    offline: "Brak połączenia — informacje mogą być nieaktualne.",
    heading: "Twój numerek",
    loading: "Wczytywanie…",
    notFoundHeading: "Nie znaleźliśmy tego numerka",
    notFoundText: "Sprawdź, czy adres jest taki sam jak na wydruku z biletomatu. Jeśli numerek pochodzi z innego dnia, już nie obowiązuje.",
    yourNumber: "Twój numer",
    peopleAhead: "Osób przed Tobą",
    estimatedWait: "Szacowany czas oczekiwania",
    waitingHint: "Strona odświeża się sama. Gdy przyjdzie Twoja kolej, zobaczysz tu numer stanowiska.",
    cancel: "Zrezygnuj z numerka",
    confirmQuestion: "Na pewno rezygnujesz? Numerka nie da się przywrócić.",
    confirmYes: "Tak, rezygnuję",
    confirmNo: "Nie, czekam dalej",
    switchTo: "English",
    title: "Numerek {number}",
    state_waiting: "Czekasz w kolejce",
    state_called: "Twoja kolej!",
    state_done: "Obsługa zakończona. Dziękujemy!",
    state_no_show: "Numerek przepadł — nie podszedłeś/podeszłaś, gdy wzywano.",
    state_cancelled: "Numerek anulowany.",
    goTo: "Podejdź do stanowiska {counter}",
    err_ticket_not_waiting: "Tego numerka nie można już anulować — nie czeka w kolejce.",
    err_offline: "Nie można połączyć się z serwerem. Spróbuj ponownie za chwilę.",
    err_other: "Coś poszło nie tak. Spróbuj ponownie za chwilę.",
  },
  en: {
    offline: "No connection — the information may be out of date.",
    heading: "Your ticket",
    loading: "Loading…",
    notFoundHeading: "We could not find this ticket",
    notFoundText: "Check that the address matches the one printed by the kiosk. A ticket from another day is no longer valid.",
    yourNumber: "Your number",
    peopleAhead: "People ahead of you",
    estimatedWait: "Estimated wait",
    waitingHint: "This page updates by itself. When it is your turn, your counter will be shown here.",
    cancel: "Cancel my ticket",
    confirmQuestion: "Do you really want to cancel? The ticket cannot be restored.",
    confirmYes: "Yes, cancel it",
    confirmNo: "No, keep waiting",
    switchTo: "Polski",
    title: "Ticket {number}",
    state_waiting: "You are waiting in line",
    state_called: "It is your turn!",
    state_done: "Served. Thank you!",
    state_no_show: "The ticket has lapsed — you did not come when called.",
    state_cancelled: "Ticket cancelled.",
    goTo: "Go to counter {counter}",
    err_ticket_not_waiting: "This ticket can no longer be cancelled — it is not waiting.",
    err_offline: "The server cannot be reached. Please try again shortly.",
    err_other: "Something went wrong. Please try again shortly.",
  },
};

const $ = (selector) => document.querySelector(selector);
const i18n = new I18n(dictionary, ["pl", "en"]);
const match = /^\/t\/([^/]+)\/?$/.exec(location.pathname);
const ticketId = match ? decodeURIComponent(match[1]) : null;

const state = {
  office: null,
  ticket: null,
  notFound: false,
  errorKey: null,
  vibratedFor: null,
};

function showError(error) {
  if (error instanceof ApiError && `err_${error.code}` in dictionary.pl) state.errorKey = `err_${error.code}`;
  else state.errorKey = error ? "err_other" : null;
  $("#error").textContent = state.errorKey ? i18n.t(state.errorKey) : "";
}

/** Refetches the ticket: at most once per second, however many events arrive. */
const fetchTicket = throttle(async () => {
  if (!ticketId) {
    state.notFound = true;
    render();
    return;
  }
  try {
    const ticket = await api(`/tickets/${encodeURIComponent(ticketId)}`);
    state.ticket = ticket;
    state.notFound = false;
    if (state.errorKey === "err_offline") showError(null);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) state.notFound = true;
    else showError(error);
  }
  render();
});

function counterDoc(id) {
  return (state.office?.counters || []).find((c) => c.id === id);
}

function render() {
  $("#loading").hidden = Boolean(state.ticket || state.notFound);
  $("#not-found").hidden = !state.notFound || Boolean(state.ticket);
  const ticket = state.ticket;
  $("#ticket").hidden = !ticket;
  if (!ticket) return;
  document.title = i18n.t("title", { number: ticket.number });
  $("#ticket-number").textContent = ticket.number;
  const category = (state.office?.categories || []).find((c) => c.id === ticket.category);
  $("#ticket-category").textContent = category ? i18n.pick(category.name) : "";
  $("#ticket-category").dataset.category = ticket.category;

  const stateElement = $("#ticket-state");
  stateElement.textContent = i18n.t(`state_${ticket.state}`);
  stateElement.dataset.state = ticket.state;

  const waiting = ticket.state === "waiting";
  $("#facts").hidden = !waiting;
  $("#waiting-hint").hidden = !waiting;
  $("#people-ahead").textContent = waiting && ticket.people_ahead !== null ? String(ticket.people_ahead) : "–";
  $("#estimated-wait").textContent = waiting ? minutes(ticket.estimated_wait_s) : "–";

  const go = $("#go-to-counter");
  if (ticket.state === "called" && ticket.counter) {
    const doc = counterDoc(ticket.counter);
    go.hidden = false;
    go.dataset.counter = ticket.counter;
    $("#go-main").textContent = i18n.t("goTo", { counter: ticket.counter });
    $("#go-name").textContent = doc ? i18n.pick(doc.name) : "";
    vibrate(`${ticket.called_at}|${ticket.counter}`);
  } else {
    go.hidden = true;
    delete go.dataset.counter;
  }

  const cancelArea = $("#cancel-area");
  if (!waiting) {
    cancelArea.hidden = true;
    setConfirm(false);
  } else {
    cancelArea.hidden = false;
  }
  if (state.errorKey) $("#error").textContent = i18n.t(state.errorKey);
}

// Once per call: a new call (or a recall, which has a key of its own) vibrates once. Browsers
// allow it only after the visitor has touched the page (Chromium refuses with a console error
// before); untouched, the screen alone tells.
function vibrate(key) {
  if (state.vibratedFor === key) return;
  state.vibratedFor = key;
  const touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
  if ("vibrate" in navigator && touched) {
    try {
      navigator.vibrate([300, 100, 300]);
    } catch {
      // Not allowed: the screen still shows it.
    }
  }
}

function setConfirm(open) {
  $("#cancel-confirm-box").hidden = !open;
  $("#cancel").setAttribute("aria-expanded", String(open));
}

function wire() {
  const langButton = $("#language-switch");
  i18n.onChange(() => {
    langButton.textContent = i18n.t("switchTo");
    langButton.lang = i18n.next();
    render();
  });
  langButton.addEventListener("click", () => i18n.choose(i18n.next()));
  $("#cancel").addEventListener("click", () => {
    const open = $("#cancel-confirm-box").hidden;
    setConfirm(open);
    if (open) $("#cancel-keep").focus();
  });
  $("#cancel-keep").addEventListener("click", () => {
    setConfirm(false);
    $("#cancel").focus();
  });
  $("#cancel-confirm").addEventListener("click", async () => {
    $("#cancel-confirm").disabled = true;
    try {
      state.ticket = await api(`/tickets/${encodeURIComponent(ticketId)}/cancel`, { method: "POST", body: {} });
      showError(null);
    } catch (error) {
      showError(error);
      await fetchTicket.now();
    } finally {
      $("#cancel-confirm").disabled = false;
    }
    setConfirm(false);
    render();
    $("#ticket-state").setAttribute("tabindex", "-1");
    $("#ticket-state").focus();
  });
}

async function start() {
  wire();
  i18n.remember(LANGUAGE_KEY);
  try {
    state.office = await api("/office");
    markDemo(state.office);
    const languages = (state.office.office?.languages || []).filter((l) => dictionary[l]);
    if (languages.length) i18n.languages = languages;
    $("#office-name").textContent = state.office.office?.name || "numerek";
  } catch (error) {
    showError(error);
  }
  if (!i18n.languages.includes(i18n.language)) i18n.language = i18n.languages[0];
  i18n.set(i18n.language);
  await fetchTicket.now();
  if (state.notFound && !state.ticket) return;

  const feed = new Feed({
    onSnapshot: () => fetchTicket(),
    onEvent: (event) => {
      // The public feed carries no ticket ids: this ticket is the one with its number and issue
      // time (a number is unique within an office day).
      const own = state.ticket;
      const mine = Boolean(
        own && event.ticket && event.ticket.number === own.number && event.ticket.issued_at === own.issued_at,
      );
      if (mine && event.type === "ticket.recalled") state.vibratedFor = null;
      // While waiting, others' calls, cancellations and transfers move the line; afterwards only
      // events about this ticket matter.
      const waiting = state.ticket?.state === "waiting";
      if (mine || (waiting && event.type.startsWith("ticket.")) || event.type === "day.started") {
        fetchTicket();
      }
    },
    onConnection: (up) => {
      $("[data-testid=offline]").hidden = up;
      if (up) fetchTicket();
    },
  }).start();
  setTimeout(() => {
    if (!feed.up) $("[data-testid=offline]").hidden = false;
  }, 3000);
}

start();
