// The counter terminal: a clerk calls, recalls, finishes and transfers tickets at one counter.
import { api, ApiError, describeError } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { Feed } from "/common/feed.js";
import { I18n, clock, minutes } from "/common/i18n.js";
import { throttle } from "/common/throttle.js";
import { takeToken, saveToken, forgetToken } from "/common/token.js";

const PAGE = "counter";
const COUNTER_KEY = "numerek.counter.id";
const LANGUAGE_KEY = "numerek.counter.language";

const dictionary = {
  pl: {
    skip: "Przejdź do obsługi",
    offline: "Brak połączenia z serwerem — dane na ekranie mogą być nieaktualne.",
    title: "Stanowisko obsługi",
    signOut: "Wyloguj",
    loginHeading: "Zaloguj stanowisko",
    tokenLabel: "Token dostępu urzędnika",
    tokenHint: "Token zaczyna się od „nmk_”. Otrzymasz go od administratora.",
    loginSave: "Zaloguj",
    counterHeading: "Stanowisko",
    counterLabel: "Stanowisko",
    counterStateLabel: "Stan stanowiska:",
    stateGroup: "Stan stanowiska",
    open: "Otwórz",
    pause: "Przerwa",
    close: "Zamknij",
    currentHeading: "Obsługiwany numer",
    waited: "Czekał(a) w kolejce",
    serviceTime: "Czas obsługi",
    callNext: "Wezwij następny",
    recall: "Wezwij ponownie",
    finish: "Zakończ obsługę",
    noShow: "Nie podszedł",
    transfer: "Przekaż…",
    callNumberLabel: "Wezwij wybrany numer",
    callNumberSubmit: "Wezwij",
    callNumberHint: "Klawisz C przenosi tutaj, Enter wzywa.",
    queueHeading: "Kolejka",
    nextHeading: "Następni w kolejce",
    shortcutsHint: "Skróty klawiszowe działają, gdy kursor nie jest w polu tekstowym.",
    transferHeading: "Przekaż numer",
    transferCategory: "Do kategorii",
    transferPosition: "Miejsce w kolejce",
    front: "Na początek",
    back: "Na koniec",
    transferConfirm: "Przekaż",
    cancel: "Anuluj",
    switchTo: "English",
    noTicket: "brak numeru",
    state_called: "wezwany",
    state_waiting: "czeka",
    state_done: "obsłużony",
    state_no_show: "nie podszedł",
    state_cancelled: "anulowany",
    counter_open: "otwarte",
    counter_paused: "przerwa",
    counter_closed: "zamknięte",
    waitingCount: "{count} czeka",
    nobodyNext: "Nikt nie czeka.",
    priority: "pierwszeństwo",
    nextItem: "{number} — {category}",
    calledNone: "Nikt nie czeka w kolejkach tego stanowiska.",
    called: "Wezwano {number}.",
    transferred: "Numer {number} przekazano do kategorii {category}.",
    finished: "Zakończono obsługę numeru {number}.",
    noShowDone: "Numer {number} oznaczono jako nieobecny.",
    err_unauthorized: "Ten token nie jest ważny (wygasł lub został odwołany). Zaloguj się ponownie.",
    err_forbidden: "Ten token jest przypisany do innego stanowiska. Wybierz swoje stanowisko.",
    err_forbidden_bound: "Ten token jest przypisany do innego stanowiska (nr {bound}). Wybierz stanowisko {bound}.",
    err_forbidden_role: "Ten token nie pozwala obsługiwać stanowisk.",
    err_no_current_ticket: "Stanowisko nie ma teraz żadnego numeru.",
    err_ticket_not_waiting: "Ten numer już nie czeka w kolejce.",
    err_unknown_ticket: "Nie ma dziś takiego numeru.",
    err_unknown_counter: "Nie ma takiego stanowiska.",
    err_unknown_category: "Nie ma takiej kategorii.",
    err_invalid_transition: "Tej czynności nie można teraz wykonać.",
    err_invalid_request: "Serwer nie przyjął danych: {message}",
    err_offline: "Nie można połączyć się z serwerem. Sprawdź sieć i spróbuj ponownie.",
    err_rate_limited: "Zbyt wiele prób naraz. Odczekaj chwilę.",
    err_storage_unavailable: "Serwer chwilowo nie może zapisać danych. Spróbuj za chwilę.",
    err_other: "Coś poszło nie tak ({message}).",
    err_no_counter: "Nie wybrano stanowiska.",
  },
  en: {
    skip: "Skip to the counter",
    offline: "No connection to the server — what you see may be out of date.",
    title: "Counter terminal",
    signOut: "Sign out",
    loginHeading: "Sign in to the counter",
    tokenLabel: "Clerk access token",
    tokenHint: "The token starts with “nmk_”. Your administrator gives it to you.",
    loginSave: "Sign in",
    counterHeading: "Counter",
    counterLabel: "Counter",
    counterStateLabel: "Counter state:",
    stateGroup: "Counter state",
    open: "Open",
    pause: "Pause",
    close: "Close",
    currentHeading: "Current ticket",
    waited: "Waited in line",
    serviceTime: "Service time",
    callNext: "Call next",
    recall: "Recall",
    finish: "Finish",
    noShow: "No-show",
    transfer: "Transfer…",
    callNumberLabel: "Call a specific number",
    callNumberSubmit: "Call",
    callNumberHint: "Key C brings you here, Enter calls.",
    queueHeading: "Queue",
    nextHeading: "Next in line",
    shortcutsHint: "Keyboard shortcuts work while the cursor is not in a text field.",
    transferHeading: "Transfer the ticket",
    transferCategory: "To category",
    transferPosition: "Place in the queue",
    front: "At the front",
    back: "At the back",
    transferConfirm: "Transfer",
    cancel: "Cancel",
    switchTo: "Polski",
    noTicket: "no ticket",
    state_called: "called",
    state_waiting: "waiting",
    state_done: "served",
    state_no_show: "no-show",
    state_cancelled: "cancelled",
    counter_open: "open",
    counter_paused: "paused",
    counter_closed: "closed",
    waitingCount: "{count} waiting",
    nobodyNext: "Nobody is waiting.",
    priority: "priority",
    nextItem: "{number} — {category}",
    calledNone: "Nobody waits in this counter's queues.",
    called: "Called {number}.",
    transferred: "Ticket {number} transferred to {category}.",
    finished: "Finished serving {number}.",
    noShowDone: "Ticket {number} marked as no-show.",
    err_unauthorized: "This token is not valid (expired or revoked). Please sign in again.",
    err_forbidden: "This token is bound to another counter. Choose your own counter.",
    err_forbidden_bound: "This token is bound to another counter (no. {bound}). Choose counter {bound}.",
    err_forbidden_role: "This token may not work counters.",
    err_no_current_ticket: "The counter has no ticket right now.",
    err_ticket_not_waiting: "That ticket is no longer waiting.",
    err_unknown_ticket: "There is no such number today.",
    err_unknown_counter: "There is no such counter.",
    err_unknown_category: "There is no such category.",
    err_invalid_transition: "That cannot be done right now.",
    err_invalid_request: "The server refused the data: {message}",
    err_offline: "The server cannot be reached. Check the network and try again.",
    err_rate_limited: "Too many attempts at once. Please wait a moment.",
    err_storage_unavailable: "The server cannot save data right now. Try again shortly.",
    err_other: "Something went wrong ({message}).",
    err_no_counter: "No counter is chosen.",
  },
};

const $ = (selector) => document.querySelector(selector);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const i18n = new I18n(dictionary, ["pl", "en"]);
const state = {
  token: null,
  counterId: null,
  office: null,
  status: null,
  counter: null, // CounterState
  ticket: null, // full Ticket of the counter's current ticket
  next: [],
  busy: false,
  errorKey: null,
  errorParams: {},
  notice: null,
};

// ---------- errors and notices ----------

function showError(error) {
  const { key, params } = describeError(error, dictionary.pl);
  state.errorKey = key;
  state.errorParams = params;
  if (error instanceof ApiError && error.code === "forbidden") {
    // A token for another counter (naming it when bound to one), or a role without counters.
    const bound = /counter (\S+) only/.exec(error.message);
    params.bound = bound ? bound[1] : "";
    if (!/counter/i.test(error.message)) state.errorKey = "err_forbidden_role";
    else state.errorKey = bound ? "err_forbidden_bound" : "err_forbidden";
  }
  renderError();
}

function clearError() {
  state.errorKey = null;
  renderError();
}

function renderError() {
  byTestId("error").textContent = state.errorKey ? i18n.t(state.errorKey, state.errorParams) : "";
}

// ---------- names ----------

function category(id) {
  return (state.office?.categories || []).find((c) => c.id === id);
}
function categoryName(id) {
  const c = category(id);
  return c ? i18n.pick(c.name) : id || "";
}
function counterDoc(id) {
  return (state.office?.counters || []).find((c) => c.id === id);
}

// ---------- loading ----------

async function loadOffice() {
  state.office = await api("/office");
  markDemo(state.office);
  const languages = state.office.office?.languages || ["pl", "en"];
  i18n.languages = languages.filter((l) => dictionary[l]);
  if (i18n.languages.length === 0) i18n.languages = ["pl", "en"];
}

/** Refetches the status and the counter's view: at most once per second, never two at once. */
const refresh = throttle(async () => {
  if (!state.token || !state.counterId) return;
  const counterId = state.counterId;
  try {
    const [status, desk] = await Promise.all([
      api("/status", { token: state.token }),
      api(`/counters/${encodeURIComponent(counterId)}`, { token: state.token }),
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
    if (state.errorKey === "err_forbidden" || state.errorKey === "err_forbidden_bound" || state.errorKey === "err_offline") clearError();
  } catch (error) {
    handleAuthError(error);
    showError(error);
  } finally {
    render();
  }
});

function handleAuthError(error) {
  if (error instanceof ApiError && error.status === 401) {
    forgetToken(PAGE);
    useToken(null);
    showLogin();
  }
  if (error instanceof ApiError && error.status === 403) {
    state.counter = null;
    state.ticket = null;
    state.next = [];
  }
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
      token: state.token,
    });
    clearError();
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
  const note = $("#notice");
  note.textContent = "";
  setTimeout(() => {
    note.textContent = text;
  }, 50);
}

// ---------- rendering ----------

function render() {
  renderCounterSelect();
  renderCurrent();
  renderQueue();
  renderButtons();
  renderError();
  const doc = counterDoc(state.counterId);
  $("#counter-title").textContent = doc ? `— ${i18n.pick(doc.name)}` : "";
  document.title = `${i18n.t("title")}${doc ? " " + i18n.pick(doc.name) : ""} — numerek`;
}

function renderCounterSelect() {
  const select = byTestId("counter-select");
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
  const number = byTestId("current-number");
  const stateBadge = byTestId("current-state");
  if (ticket) {
    number.textContent = ticket.number;
    number.classList.remove("empty");
    $("#current-category").textContent = categoryName(ticket.category) + (ticket.priority ? ` · ${i18n.t("priority")}` : "");
    stateBadge.textContent = i18n.t(`state_${ticket.state}`);
    stateBadge.dataset.state = ticket.state;
    if (ticket.called_at && ticket.issued_at) {
      $("#waited-time").textContent = clock((Date.parse(ticket.called_at) - Date.parse(ticket.issued_at)) / 1000);
    } else {
      $("#waited-time").textContent = "–";
    }
  } else {
    number.textContent = "—";
    number.classList.add("empty");
    $("#current-category").textContent = "";
    stateBadge.textContent = i18n.t("noTicket");
    stateBadge.dataset.state = "none";
    $("#waited-time").textContent = "–";
  }
  tick();
}

function tick() {
  const ticket = state.ticket;
  const element = byTestId("service-time");
  if (ticket && ticket.state === "called" && ticket.called_at) {
    element.textContent = clock((Date.now() - Date.parse(ticket.called_at)) / 1000);
  } else {
    element.textContent = "–";
  }
}

function renderQueue() {
  const doc = counterDoc(state.counterId);
  const list = $("#waiting-list");
  const categories = doc ? doc.categories : [];
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
  const next = byTestId("next-list");
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
  const ready = Boolean(state.token && state.counterId && state.counter);
  const hasTicket = Boolean(state.ticket && state.ticket.state === "called");
  const counterState = state.counter?.state;
  const set = (id, enabled) => {
    byTestId(id).disabled = state.busy || !enabled;
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
  const badge = byTestId("counter-state");
  badge.textContent = counterState ? i18n.t(`counter_${counterState}`) : "–";
  badge.dataset.state = counterState || "none";
}

// ---------- login ----------

/** The live feed: the staff feed of the page's token while signed in, else the public one. */
let feed = null;

/** Signs the page in with `token` (null: out), and follows the feed of that token. */
function useToken(token) {
  state.token = token;
  if (feed) feed.setToken(token);
}

function showLogin() {
  $("#login").hidden = false;
  $("#desk").hidden = true;
  $("#sign-out").hidden = true;
  byTestId("login-token").value = "";
}

function showDesk() {
  $("#login").hidden = true;
  $("#desk").hidden = false;
  $("#sign-out").hidden = false;
}

function chooseCounter(id, { focus = false } = {}) {
  const counters = state.office?.counters || [];
  if (!counters.some((c) => c.id === id)) id = counters[0]?.id || null;
  if (state.counterId !== id) {
    state.counterId = id;
    state.counter = null;
    state.ticket = null;
    state.next = [];
  }
  try {
    if (id) localStorage.setItem(COUNTER_KEY, id);
  } catch {
    // Storage may be disabled.
  }
  clearError();
  render();
  refresh.now();
  if (focus) byTestId("action-call-next").focus();
}

// ---------- transfer dialog ----------

function openTransfer() {
  if (byTestId("action-transfer").disabled) return;
  const select = byTestId("transfer-category");
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
  byTestId("transfer-front").checked = true;
  const dialog = $("#transfer-dialog");
  dialog.showModal();
  select.focus();
}

function closeTransfer() {
  const dialog = $("#transfer-dialog");
  if (dialog.open) dialog.close();
  byTestId("action-transfer").focus();
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
  if ($("#transfer-dialog").open || $("#desk").hidden) return;
  const key = event.key.toLowerCase();
  if (key === "c") {
    event.preventDefault();
    byTestId("call-number-input").focus();
    return;
  }
  const id = SHORTCUTS[key];
  if (!id) return;
  event.preventDefault();
  const button = byTestId(id);
  if (!button.disabled) button.click();
}

// ---------- start ----------

function wire() {
  const langButton = byTestId("language-switch");
  i18n.onChange(() => {
    const next = i18n.next();
    langButton.textContent = i18n.t("switchTo");
    langButton.lang = next;
    render();
  });
  langButton.addEventListener("click", () => i18n.choose(i18n.next()));

  $("#login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = byTestId("login-token").value.trim();
    if (!token) return;
    useToken(token);
    saveToken(PAGE, token);
    showDesk();
    chooseCounter(state.counterId);
    byTestId("counter-select").focus();
  });

  $("#sign-out").addEventListener("click", () => {
    forgetToken(PAGE);
    useToken(null);
    state.counter = null;
    state.ticket = null;
    state.next = [];
    clearError();
    showLogin();
    render();
    byTestId("login-token").focus();
  });

  byTestId("counter-select").addEventListener("change", (event) => chooseCounter(event.target.value));

  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => act(button.dataset.action));
  }
  byTestId("action-transfer").addEventListener("click", openTransfer);
  $("#transfer-cancel").addEventListener("click", closeTransfer);
  $("#transfer-dialog").addEventListener("close", () => byTestId("action-transfer").focus());
  $("#transfer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const category = byTestId("transfer-category").value;
    const position = byTestId("transfer-back").checked ? "back" : "front";
    closeTransfer();
    await act("transfer", { category, position });
  });

  $("#call-number-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = byTestId("call-number-input");
    const number = input.value.trim();
    if (!number) return;
    const answer = await act("call", { ticket: number });
    if (answer) {
      input.value = "";
      byTestId("action-call-next").focus();
    }
  });
  byTestId("call-number-input").addEventListener("keydown", (event) => {
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
  const { token, params } = takeToken(PAGE);
  state.token = token;
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
  if (!i18n.languages.includes(i18n.language)) i18n.language = i18n.languages[0];
  i18n.set(i18n.language);
  state.counterId = params.get("counter") || stored;
  if (state.token) {
    showDesk();
    chooseCounter(state.counterId);
  } else {
    showLogin();
    render();
  }

  feed = new Feed({
    token: state.token,
    onSnapshot: (status) => {
      state.status = status;
      renderQueue();
      refresh();
    },
    onEvent: () => refresh(),
    onConnection: (up) => {
      byTestId("offline").hidden = up;
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
    if (!feed.up) byTestId("offline").hidden = false;
  }, 3000);
}

start();
