// The counter terminal: a clerk calls, recalls, finishes and transfers tickets at one counter.
import { api, ApiError } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { $, $$, announce as say, byId, element } from "/common/dom.js";
import { Feed } from "/common/feed.js";
import { I18n, clock, minutes } from "/common/i18n.js";
import { ErrorBox } from "/common/error-box.js";
import { Login, loginView } from "/common/login.js";
import { throttle } from "/common/throttle.js";
import { AppointmentsPanel } from "/counter/appointments.js";

const COUNTER_KEY = "numerek.counter.id";
const LANGUAGE_KEY = "numerek.counter.language";

const i18n = new I18n("counter");
const state = {
  counterId: null,
  office: null,
  status: null,
  counter: null, // CounterState
  ticket: null, // full Ticket of the counter's current ticket
  next: [],
  busy: false,
  notice: null,
};

// ---------- errors and notices ----------

const errors = new ErrorBox(byId("error"), i18n);

function showError(error) {
  if (error instanceof ApiError && error.code === "forbidden" && /may_serve/.test(error.message)) {
    errors.say("err_forbidden_may_serve", { message: error.message });
  } else if (error instanceof ApiError && error.code === "forbidden") {
    // A token for another counter (naming it when bound to one), or a role without counters.
    const bound = /counter (\S+) only/.exec(error.message);
    let key = "err_forbidden_role";
    if (/counter/i.test(error.message)) key = bound ? "err_forbidden_bound" : "err_forbidden";
    errors.say(key, { message: error.message, bound: bound ? bound[1] : "" });
  } else {
    errors.show(error);
  }
}

// ---------- names ----------

function category(id) {
  return (state.office?.categories || []).find((c) => c.id === id);
}
function categoryName(id) {
  const c = category(id);
  return c ? i18n.pick(c.name) : id || "";
}
/** " · Wizyta 10:15" for a ticket of an appointment's check-in, else "". */
function appointmentMark(ticket) {
  if (!ticket || !ticket.appointment) return "";
  return ` · ${i18n.t("appointmentAt", { time: i18n.time(new Date(ticket.appointment.start)) })}`;
}

function counterDoc(id) {
  return (state.office?.counters || []).find((c) => c.id === id);
}

// ---------- loading ----------

async function loadOffice() {
  state.office = await api("/office");
  markDemo(state.office);
  // Times (an appointment's slot) in the office's zone, whatever the desk computer's.
  i18n.timeZone = state.office.office?.timezone;
  i18n.useLanguages(state.office.office?.languages);
}

/** Refetches the status and the counter's view: at most once per second, never two at once. */
const refresh = throttle(async () => {
  if (!login.token || !state.counterId) return;
  const counterId = state.counterId;
  try {
    const [status, desk] = await Promise.all([
      api("/status", { token: login.token }),
      api(`/counters/${encodeURIComponent(counterId)}`, { token: login.token }),
    ]);
    if (counterId !== state.counterId) return;
    state.status = status;
    state.counter = desk.counter;
    state.next = desk.next || [];
    const current = desk.counter.current;
    if (current) {
      if (!state.ticket || state.ticket.id !== current.id || state.ticket.state !== current.state) {
        state.ticket = await api(`/tickets/${encodeURIComponent(current.id)}`);
      }
    } else {
      state.ticket = null;
    }
    if (["err_forbidden", "err_forbidden_bound", "err_offline"].includes(errors.key)) errors.clear();
  } catch (error) {
    handleAuthError(error);
    showError(error);
  } finally {
    render();
  }
});

/**
 * A refused token (401) signs the page out; a token for another counter (403) leaves it signed
 * in with an empty desk, so the clerk can choose their own counter.
 */
function handleAuthError(error) {
  if (login.refused(error)) return;
  if (error instanceof ApiError && error.status === 403) clearDesk();
}

/** Forgets the counter's state, ticket and queue (a new counter, or none may be worked). */
function clearDesk() {
  state.counter = null;
  state.ticket = null;
  state.next = [];
}

// ---------- actions ----------

async function act(action, body) {
  if (state.busy) return;
  if (!state.counterId) {
    showError("err_no_counter");
    return;
  }
  state.busy = true;
  renderButtons();
  try {
    const answer = await api(`/counters/${encodeURIComponent(state.counterId)}/${action}`, {
      method: "POST",
      body,
      token: login.token,
    });
    errors.clear();
    state.counter = answer.counter;
    const current = answer.counter.current;
    if (current && answer.ticket && answer.ticket.id === current.id) state.ticket = answer.ticket;
    else if (!current) state.ticket = null;
    if ((action === "call-next" || action === "call") && !answer.ticket) {
      announce(i18n.t("calledNone"));
    } else if (action === "transfer" && answer.ticket) {
      announce(i18n.t("transferred", { number: answer.ticket.number, category: categoryName(answer.ticket.category) }));
    } else if (action === "finish" && answer.ticket) {
      announce(i18n.t("finished", { number: answer.ticket.number }));
    } else if (action === "no-show" && answer.ticket) {
      announce(i18n.t("noShowDone", { number: answer.ticket.number }));
    }
    render();
    state.busy = false;
    refresh.now();
    return answer;
  } catch (error) {
    handleAuthError(error);
    showError(error);
    return null;
  } finally {
    state.busy = false;
    renderButtons();
  }
}

// A short polite note for screen readers about what an action did (the current-ticket region
// announces the number itself).
function announce(text) {
  say(byId("notice"), text);
}

// ---------- rendering ----------

function render() {
  renderCounterSelect();
  renderProfile();
  renderCurrent();
  renderQueue();
  renderButtons();
  const doc = counterDoc(state.counterId);
  byId("counter-title").textContent = doc ? `— ${i18n.pick(doc.name)}` : "";
  document.title = `${i18n.t("title")}${doc ? " " + i18n.pick(doc.name) : ""} — numerek`;
}

function renderCounterSelect() {
  const select = byId("counter-select");
  const counters = state.office?.counters || [];
  const key = counters.map((c) => c.id).join("|") + i18n.language;
  if (select.dataset.key !== key) {
    select.replaceChildren(
      ...counters.map((c) => {
        const option = document.createElement("option");
        option.value = c.id;
        option.textContent = i18n.pick(c.name);
        return option;
      }),
    );
    select.dataset.key = key;
  }
  if (state.counterId) select.value = state.counterId;
}

function renderCurrent() {
  const ticket = state.ticket;
  const number = byId("current-number");
  const stateBadge = byId("current-state");
  if (ticket) {
    number.textContent = ticket.number;
    number.classList.remove("empty");
    byId("current-category").textContent =
      categoryName(ticket.category) + (ticket.priority ? ` · ${i18n.t("priority")}` : "") + appointmentMark(ticket);
    byId("current-category").dataset.appointment = ticket.appointment ? ticket.appointment.start : "";
    stateBadge.textContent = i18n.t(`state_${ticket.state}`);
    stateBadge.dataset.state = ticket.state;
    if (ticket.called_at && ticket.issued_at) {
      byId("waited-time").textContent = clock((Date.parse(ticket.called_at) - Date.parse(ticket.issued_at)) / 1000);
    } else {
      byId("waited-time").textContent = "–";
    }
  } else {
    number.textContent = "—";
    number.classList.add("empty");
    byId("current-category").textContent = "";
    stateBadge.textContent = i18n.t("noTicket");
    stateBadge.dataset.state = "none";
    byId("waited-time").textContent = "–";
  }
  tick();
}

function tick() {
  const ticket = state.ticket;
  const element = byId("service-time");
  if (ticket && ticket.state === "called" && ticket.called_at) {
    element.textContent = clock((Date.now() - Date.parse(ticket.called_at)) / 1000);
  } else {
    element.textContent = "–";
  }
}

/** The work profile in force: what the counter serves now (it may differ from the office file's). */
function servedNow() {
  return state.counter?.categories || counterDoc(state.counterId)?.categories || [];
}

function renderProfile() {
  const line = byId("profile-line");
  if (!state.counter) {
    line.textContent = "–";
  } else {
    const names = state.counter.categories.map((id) => [category(id)?.prefix, categoryName(id)].filter(Boolean).join(" · "));
    line.textContent = `${names.join(", ")} — ${i18n.t(`profileOrder_${state.counter.order}`)}`;
  }
}

function renderQueue() {
  const list = byId("waiting-list");
  const categories = servedNow();
  list.replaceChildren(
    ...categories.map((id) => {
      const c = category(id);
      const s = (state.status?.categories || []).find((x) => x.id === id);
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.className = "waiting-name";
      name.textContent = `${c ? c.prefix + " · " : ""}${categoryName(id)}`;
      const count = document.createElement("strong");
      count.dataset.testid = "waiting-" + id;
      count.className = "waiting-count";
      count.textContent = i18n.t("waitingCount", { count: s ? s.waiting : "–" });
      const eta = document.createElement("span");
      eta.className = "waiting-eta";
      eta.textContent = s && s.waiting ? `≈ ${minutes(s.estimated_wait_s)}` : "";
      li.append(name, count, eta);
      return li;
    }),
  );
  const next = byId("next-list");
  if (state.next.length === 0) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = i18n.t("nobodyNext");
    next.replaceChildren(li);
  } else {
    next.replaceChildren(
      ...state.next.map((t) => {
        const li = document.createElement("li");
        const num = document.createElement("strong");
        num.textContent = t.number;
        const rest = document.createElement("span");
        rest.textContent = ` ${categoryName(t.category)}${t.priority ? " · " + i18n.t("priority") : ""}`;
        if (t.appointment) {
          li.dataset.appointment = t.appointment.start;
          rest.append(element("span", "appointment-mark", appointmentMark(t)));
        }
        const waited = document.createElement("span");
        waited.className = "next-wait";
        waited.textContent = minutes((Date.now() - Date.parse(t.issued_at)) / 1000);
        li.append(num, rest, waited);
        return li;
      }),
    );
  }
}

function renderButtons() {
  const ready = Boolean(login.token && state.counterId && state.counter);
  const hasTicket = Boolean(state.ticket && state.ticket.state === "called");
  const counterState = state.counter?.state;
  const set = (id, enabled) => {
    byId(id).disabled = state.busy || !enabled;
  };
  set("action-call-next", ready);
  set("action-recall", ready && hasTicket);
  set("action-finish", ready && hasTicket);
  set("action-no-show", ready && hasTicket);
  set("action-transfer", ready && hasTicket);
  set("call-number-submit", ready);
  set("action-open", ready && counterState !== "open");
  set("action-pause", ready && counterState !== "paused");
  set("action-close", ready && counterState !== "closed");
  set("profile-change", ready);
  const badge = byId("counter-state");
  badge.textContent = counterState ? i18n.t(`counter_${counterState}`) : "–";
  badge.dataset.state = counterState || "none";
}

// ---------- sign-in ----------

/** The live feed: the staff feed of the page's token while signed in, else the public one. */
let feed = null;

/** The day's appointments and booking for callers (appointments.js), once the office is known. */
let appointments = null;
const reloadAppointments = throttle(() => appointments.load());

/** The clerk's token; a sign-in or sign-out switches the feed to that token's audience. */
const login = new Login("counter", {
  view: loginView("desk"),
  onSignIn: (token) => {
    if (feed) feed.setToken(token);
    chooseCounter(state.counterId);
    if (appointments) appointments.load();
    byId("counter-select").focus();
  },
  onSignOut: () => {
    if (feed) feed.setToken(null);
    clearDesk();
    errors.clear();
    render();
  },
});

function chooseCounter(id, { focus = false } = {}) {
  const counters = state.office?.counters || [];
  if (!counters.some((c) => c.id === id)) id = counters[0]?.id || null;
  if (state.counterId !== id) {
    state.counterId = id;
    clearDesk();
  }
  try {
    if (id) localStorage.setItem(COUNTER_KEY, id);
  } catch {
    // Storage may be disabled.
  }
  errors.clear();
  render();
  refresh.now();
  if (focus) byId("action-call-next").focus();
}

// ---------- transfer dialog ----------

function openTransfer() {
  if (byId("action-transfer").disabled) return;
  const select = byId("transfer-category");
  const categories = state.office?.categories || [];
  select.replaceChildren(
    ...categories.map((c) => {
      const option = document.createElement("option");
      option.value = c.id;
      option.textContent = `${c.prefix} · ${i18n.pick(c.name)}`;
      return option;
    }),
  );
  const other = categories.find((c) => c.id !== state.ticket?.category);
  if (other) select.value = other.id;
  byId("transfer-front").checked = true;
  const dialog = byId("transfer-dialog");
  dialog.showModal();
  select.focus();
}

function closeTransfer() {
  const dialog = byId("transfer-dialog");
  if (dialog.open) dialog.close();
  byId("action-transfer").focus();
}

// ---------- work profile dialog ----------

/**
 * Opens the choice of matters: the counter's `may_serve` from the office file, those in force
 * ticked, and the order in force.
 */
function openProfile() {
  if (byId("profile-change").disabled || !state.counter) return;
  const doc = counterDoc(state.counterId);
  const allowed = doc?.may_serve || doc?.categories || [];
  const inForce = state.counter.categories;
  // Those in force first, in their order; the others as the office file lists them.
  const choices = [...inForce.filter((id) => allowed.includes(id)), ...allowed.filter((id) => !inForce.includes(id))];
  const fieldset = byId("profile-categories");
  const legend = $("legend", fieldset);
  fieldset.replaceChildren(
    legend,
    ...choices.map((id) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "category";
      box.value = id;
      box.checked = inForce.includes(id);
      box.dataset.testid = "profile-category-" + id;
      const name = document.createElement("span");
      name.textContent = `${category(id)?.prefix || ""} · ${categoryName(id)}`;
      label.append(box, " ", name);
      return label;
    }),
  );
  byId(state.counter.order === "listed" ? "profile-listed" : "profile-fifo").checked = true;
  byId("profile-error").textContent = "";
  byId("profile-dialog").showModal();
  $("input", fieldset)?.focus();
}

function closeProfile() {
  const dialog = byId("profile-dialog");
  if (dialog.open) dialog.close();
  byId("profile-change").focus();
}

async function saveProfile() {
  const categories = $$("#profile-categories input:checked").map((box) => box.value);
  if (categories.length === 0) {
    byId("profile-error").textContent = i18n.t("profileEmpty");
    $("input", byId("profile-categories"))?.focus();
    return;
  }
  const order = byId("profile-listed").checked ? "listed" : "fifo";
  closeProfile();
  const answer = await act("profile", { categories, order });
  if (answer) {
    announce(i18n.t("profileChanged", { categories: answer.counter.categories.map(categoryName).join(", ") }));
  }
}

// ---------- keyboard ----------

const SHORTCUTS = {
  n: "action-call-next",
  r: "action-recall",
  f: "action-finish",
  x: "action-no-show",
  t: "action-transfer",
  o: "action-open",
  p: "action-pause",
  z: "action-close",
};

function onKey(event) {
  if (event.ctrlKey || event.altKey || event.metaKey || event.repeat || event.defaultPrevented) return;
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || target.closest("input, textarea, select"))) return;
  if (byId("transfer-dialog").open || byId("profile-dialog").open || byId("desk").hidden) return;
  const key = event.key.toLowerCase();
  if (key === "c") {
    event.preventDefault();
    byId("call-number-input").focus();
    return;
  }
  const id = SHORTCUTS[key];
  if (!id) return;
  event.preventDefault();
  const button = byId(id);
  if (!button.disabled) button.click();
}

// ---------- start ----------

function wire() {
  i18n.onChange(render);
  i18n.bindSwitch(byId("language-switch"));

  byId("counter-select").addEventListener("change", (event) => chooseCounter(event.target.value));

  for (const button of $$("[data-action]")) {
    button.addEventListener("click", () => act(button.dataset.action));
  }
  byId("action-transfer").addEventListener("click", openTransfer);
  byId("transfer-cancel").addEventListener("click", closeTransfer);
  byId("transfer-dialog").addEventListener("close", () => byId("action-transfer").focus());
  byId("transfer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const category = byId("transfer-category").value;
    const position = byId("transfer-back").checked ? "back" : "front";
    closeTransfer();
    await act("transfer", { category, position });
  });

  byId("profile-change").addEventListener("click", openProfile);
  byId("profile-cancel").addEventListener("click", closeProfile);
  byId("profile-form").addEventListener("submit", (event) => {
    event.preventDefault();
    saveProfile();
  });

  byId("call-number-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = byId("call-number-input");
    const number = input.value.trim();
    if (!number) return;
    const answer = await act("call", { ticket: number });
    if (answer) {
      input.value = "";
      byId("action-call-next").focus();
    }
  });
  byId("call-number-input").addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.target.value = "";
      event.target.blur();
    }
  });

  document.addEventListener("keydown", onKey);
  setInterval(tick, 1000);
}

async function start() {
  // A polite live note for action results (created here so the HTML stays declarative).
  const note = document.createElement("p");
  note.id = "notice";
  note.className = "sr-only";
  note.setAttribute("role", "status");
  document.body.append(note);

  wire();
  let stored = null;
  i18n.remember(LANGUAGE_KEY);
  try {
    stored = localStorage.getItem(COUNTER_KEY);
  } catch {
    // Storage may be disabled.
  }
  try {
    await loadOffice();
  } catch (error) {
    showError(error);
  }
  i18n.set(i18n.language);
  if (state.office) {
    appointments = new AppointmentsPanel({ i18n, token: () => login.token, showError });
    i18n.onChange(() => appointments.render());
    appointments.start(state.office);
  }
  state.counterId = login.params.get("counter") || stored;
  login.show();
  if (login.token) chooseCounter(state.counterId);
  else render();

  feed = new Feed({
    token: login.token,
    onSnapshot: (status) => {
      state.status = status;
      renderQueue();
      refresh();
    },
    onEvent: (event) => {
      refresh();
      if (appointments && String(event.type || "").startsWith("appointment.")) reloadAppointments();
    },
    onConnection: (up) => {
      byId("offline").hidden = up;
      // Down: maybe the token was revoked (the server closes its feed); the refresh finds out
      // and signs the page out.
      refresh();
    },
  }).start();
  // For the browser tests: which feed the page follows.
  window.numerekCounter = { feed };
  // The feed reports "down" only after a first "up": a feed that never connects shows the
  // banner too, after a short grace.
  setTimeout(() => {
    if (!feed.up) byId("offline").hidden = false;
  }, 3000);
}

start();
