// The mobile ticket page (/t/{id}): a visitor follows their ticket on their phone. The id in the
// address is the visitor's alone; the page reads its ticket by it and watches the public feed,
// which knows tickets by number only, for anything that moves its line or concerns its number.
// While the ticket waits or is called it says what to bring for its category (the office file's
// `info`, and its `forms` as links); once it is done, it offers five faces to rate the visit
// (POST /api/v1/tickets/{id}/feedback), as long as the ticket's `feedback` says it may be.
import { api, ApiError } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { byId, element } from "/common/dom.js";
import { ErrorBox } from "/common/error-box.js";
import { buildFaces, enableFaces, labelFaces } from "/common/faces.js";
import { Feed } from "/common/feed.js";
import { I18n } from "/common/i18n.js";
import { throttle } from "/common/throttle.js";
import { waitRangeText } from "/common/wait.js";

const LANGUAGE_KEY = "numerek.ticket.language";

const i18n = new I18n("ticket");
const match = /^\/t\/([^/]+)\/?$/.exec(location.pathname);
const ticketId = match ? decodeURIComponent(match[1]) : null;

const state = {
  office: null,
  ticket: null,
  notFound: false,
  vibratedFor: null,
  /** Rated on this page now (it thanks); a rating given elsewhere is only acknowledged. */
  ratedHere: false,
  rating: false, // a rating is being sent
};

const errors = new ErrorBox(byId("error"), i18n);

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
    if (errors.key === "err_offline") errors.clear();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) state.notFound = true;
    else errors.show(error);
  }
  render();
});

function counterDoc(id) {
  return (state.office?.counters || []).find((c) => c.id === id);
}

function render() {
  byId("loading").hidden = Boolean(state.ticket || state.notFound);
  byId("not-found").hidden = !state.notFound || Boolean(state.ticket);
  const ticket = state.ticket;
  byId("ticket").hidden = !ticket;
  if (!ticket) return;
  document.title = i18n.t("title", { number: ticket.number });
  byId("ticket-number").textContent = ticket.number;
  const category = (state.office?.categories || []).find((c) => c.id === ticket.category);
  byId("ticket-category").textContent = category ? i18n.pick(category.name) : "";
  byId("ticket-category").dataset.category = ticket.category;

  const stateElement = byId("ticket-state");
  stateElement.textContent = i18n.t(`state_${ticket.state}`);
  stateElement.dataset.state = ticket.state;

  const waiting = ticket.state === "waiting";
  byId("facts").hidden = !waiting;
  byId("waiting-hint").hidden = !waiting;
  byId("people-ahead").textContent = waiting && ticket.people_ahead !== null ? String(ticket.people_ahead) : "–";
  byId("estimated-wait").textContent = (waiting && waitRangeText(i18n, ticket.estimated_wait_range_s)) || "–";

  const go = byId("go-to-counter");
  if (ticket.state === "called" && ticket.counter) {
    const doc = counterDoc(ticket.counter);
    go.hidden = false;
    go.dataset.counter = ticket.counter;
    byId("go-main").textContent = i18n.t("goTo", { counter: ticket.counter });
    byId("go-name").textContent = doc ? i18n.pick(doc.name) : "";
    vibrate(`${ticket.called_at}|${ticket.counter}`);
  } else {
    go.hidden = true;
    delete go.dataset.counter;
  }

  renderBring(ticket, category, waiting || ticket.state === "called");
  renderRating(ticket);

  const cancelArea = byId("cancel-area");
  if (!waiting) {
    cancelArea.hidden = true;
    setConfirm(false);
  } else {
    cancelArea.hidden = false;
  }
}

/** What to bring for the ticket's category, while it waits or is called. */
function renderBring(ticket, category, relevant) {
  const info = relevant && category && category.info ? i18n.pick(category.info) : "";
  const forms = relevant && category ? category.forms || [] : [];
  byId("bring").hidden = !info && forms.length === 0;
  byId("bring-text").hidden = !info;
  byId("bring-text").textContent = info;
  byId("bring-forms").hidden = forms.length === 0;
  byId("forms-list").replaceChildren(
    ...forms.map((form) => {
      const link = element("a", "", i18n.pick(form.name));
      link.href = form.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      const item = element("li");
      item.append(link);
      return item;
    }),
  );
}

/** The faces while the done ticket may be rated; thanks once it is. */
function renderRating(ticket) {
  const feedback = ticket.state === "done" ? ticket.feedback : null;
  const open = Boolean(feedback && !feedback.given && Date.now() <= Date.parse(feedback.open_until));
  byId("rating").hidden = !open;
  labelFaces(byId("faces"), i18n);
  enableFaces(byId("faces"), !state.rating);
  const done = byId("rating-done");
  const given = Boolean(feedback && feedback.given);
  done.hidden = !given;
  done.textContent = given ? i18n.t(state.ratedHere ? "feedbackThanks" : "feedbackGiven") : "";
}

async function rate(score) {
  if (state.rating) return;
  state.rating = true;
  render();
  try {
    await api(`/tickets/${encodeURIComponent(ticketId)}/feedback`, { method: "POST", body: { score } });
    state.ratedHere = true;
    errors.clear();
  } catch (error) {
    // Rated already (at the counter's tablet): the ticket, read again, says so.
    if (error instanceof ApiError && error.code === "feedback_given") errors.clear();
    else errors.show(error);
  } finally {
    state.rating = false;
  }
  await fetchTicket.now();
  if (state.ratedHere) byId("rating-done").focus();
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
  byId("cancel-confirm-box").hidden = !open;
  byId("cancel").setAttribute("aria-expanded", String(open));
}

function wire() {
  buildFaces(byId("faces"), rate);
  i18n.onChange(render);
  i18n.bindSwitch(byId("language-switch"));
  byId("cancel").addEventListener("click", () => {
    const open = byId("cancel-confirm-box").hidden;
    setConfirm(open);
    if (open) byId("cancel-keep").focus();
  });
  byId("cancel-keep").addEventListener("click", () => {
    setConfirm(false);
    byId("cancel").focus();
  });
  byId("cancel-confirm").addEventListener("click", async () => {
    byId("cancel-confirm").disabled = true;
    try {
      state.ticket = await api(`/tickets/${encodeURIComponent(ticketId)}/cancel`, { method: "POST", body: {} });
      errors.clear();
    } catch (error) {
      errors.show(error);
      await fetchTicket.now();
    } finally {
      byId("cancel-confirm").disabled = false;
    }
    setConfirm(false);
    render();
    byId("ticket-state").setAttribute("tabindex", "-1");
    byId("ticket-state").focus();
  });
}

async function start() {
  wire();
  i18n.remember(LANGUAGE_KEY);
  try {
    state.office = await api("/office");
    markDemo(state.office);
    i18n.useLanguages(state.office.office?.languages);
    byId("office-name").textContent = state.office.office?.name || "numerek";
  } catch (error) {
    errors.show(error);
  }
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
      // A rating names no ticket: while this one may still be rated, any rating may be its own
      // (given at the counter's tablet).
      const unrated = state.ticket?.state === "done" && state.ticket.feedback && !state.ticket.feedback.given;
      const rating = unrated && event.type === "feedback.given";
      if (mine || rating || (waiting && event.type.startsWith("ticket.")) || event.type === "day.started") {
        fetchTicket();
      }
    },
    onConnection: (up) => {
      byId("offline").hidden = up;
      if (up) fetchTicket();
    },
  }).start();
  setTimeout(() => {
    if (!feed.up) byId("offline").hidden = false;
  }, 3000);
}

start();
