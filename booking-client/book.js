// The booking page (/book/, /book/{code}): a citizen books a visit on their phone — the matter,
// the day, a free slot — and gets its code, a QR of it, a calendar entry and a printout; the
// code's own address shows the booking again and cancels it. Nothing personal is asked for:
// the code is the booking (docs/appointments.md, "The citizen's path").

import { api, ApiError } from "/common/api.js";
import {
  bookableCategories,
  groupCode,
  isCode,
  lastBookableDay,
  officeDate,
  slotsByDay,
} from "/common/appointments.js";
import { markDemo } from "/common/demo.js";
import { announce as say, byId, element } from "/common/dom.js";
import { ErrorBox } from "/common/error-box.js";
import { I18n } from "/common/i18n.js";

const LANGUAGE_KEY = "numerek.book.language";
const STEPS = ["category", "day", "slot", "confirm"];

const i18n = new I18n("book");
const errors = new ErrorBox(byId("error"), i18n);

const state = {
  office: null,
  today: null, // the office's day by the server's clock ("2026-12-07")
  categories: [], // those that take bookings
  category: null, // the chosen one
  days: [], // slotsByDay of the chosen category
  date: null, // the chosen day ("2026-12-08")
  slot: null, // the chosen slot
  booking: null, // the Appointment on screen
  view: "loading", // a step, "booking", "not-found" or "loading"
  busy: false,
};

const codeInAddress = (() => {
  const match = /^\/book\/([^/]+)\/?$/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]) : null;
})();

// ---------- views ----------

function show(view, { focus = true } = {}) {
  state.view = view;
  byId("loading").hidden = view !== "loading";
  for (const step of STEPS) byId(`step-${step}`).hidden = step !== view;
  byId("booking").hidden = view !== "booking";
  byId("not-found").hidden = view !== "not-found";
  document.body.dataset.view = view;
  render();
  if (!focus) return;
  const heading = view === "booking" ? byId("booking-heading") : byId(`${view}-heading`);
  if (heading && heading.tabIndex === -1) heading.focus();
}

function render() {
  renderOffice();
  if (state.view === "category") renderCategories();
  if (state.view === "day") renderDays();
  if (state.view === "slot") renderSlots();
  if (state.view === "confirm") renderConfirm();
  if (state.view === "booking") renderBooking();
}

function renderOffice() {
  const name = state.office?.office?.name;
  if (name) byId("office-name").textContent = name;
  document.title = `${i18n.t("heading")}${name ? ` — ${name}` : ""}`;
}

function categoryName(id) {
  const category = (state.office?.categories || []).find((c) => c.id === id);
  return category ? i18n.pick(category.name) : id;
}

/** "wtorek, 8 grudnia 2026, 10:15–10:30". */
function when(start, end) {
  const from = new Date(start);
  return `${i18n.date(from)}, ${i18n.time(from)}–${i18n.time(new Date(end))}`;
}

/** A calendar date ("2026-12-08") as the office's long date, at noon so no zone moves it. */
function dayName(date) {
  return i18n.date(new Date(`${date}T12:00:00Z`));
}

function button(text, onClick, { testid, disabled = false, className = "choice" } = {}) {
  const node = element("button", className);
  node.type = "button";
  node.disabled = disabled;
  if (testid) node.dataset.testid = testid;
  if (Array.isArray(text)) node.append(...text);
  else node.textContent = text;
  node.addEventListener("click", onClick);
  return node;
}

function listItems(list, items) {
  list.replaceChildren(...items.map((item) => {
    const li = element("li");
    li.append(item);
    return li;
  }));
}

// ---------- 1. the matter ----------

function renderCategories() {
  listItems(
    byId("categories"),
    state.categories.map((category) =>
      button(i18n.pick(category.name), () => chooseCategory(category), { testid: `book-category-${category.id}` }),
    ),
  );
  byId("no-categories").hidden = state.categories.length > 0;
}

async function chooseCategory(category) {
  state.category = category;
  errors.clear();
  if (await loadSlots()) show("day");
}

/** Lists the chosen category's slots from today on; false when the server said no. */
async function loadSlots() {
  const today = await officeToday();
  const query = new URLSearchParams({
    category: state.category.id,
    from: today,
    to: lastBookableDay(state.category, today),
  });
  try {
    const answer = await api(`/appointments/slots?${query}`);
    state.days = slotsByDay(answer.slots, state.office.office.timezone);
    return true;
  } catch (error) {
    errors.show(error);
    return false;
  }
}

// ---------- 2. the day ----------

function renderDays() {
  byId("day-category").textContent = categoryName(state.category.id);
  listItems(
    byId("days"),
    state.days.map((day) => {
      const name = element("span", "choice-name", dayName(day.date));
      const note = element(
        "span",
        "choice-note",
        day.free > 0 ? i18n.t("freeCount", { count: day.free }) : i18n.t("dayFull"),
      );
      return button([name, note], () => chooseDay(day.date), {
        testid: `book-day-${day.date}`,
        disabled: day.free === 0,
      });
    }),
  );
  byId("no-days").hidden = state.days.some((day) => day.free > 0);
}

function chooseDay(date) {
  state.date = date;
  errors.clear();
  show("slot");
}

// ---------- 3. the slot ----------

function renderSlots() {
  const day = state.days.find((d) => d.date === state.date);
  byId("slot-day").textContent = `${categoryName(state.category.id)} · ${dayName(state.date)}`;
  const slots = day ? day.slots : [];
  listItems(
    byId("slots"),
    slots.map((slot) => {
      const time = element("span", "choice-name", i18n.time(new Date(slot.start)));
      const note = element("span", "choice-note", slot.free > 0 ? i18n.t("slotFree") : i18n.t("slotTaken"));
      return button([time, note], () => chooseSlot(slot), {
        testid: `book-slot-${i18n.time(new Date(slot.start)).replace(":", "")}`,
        disabled: slot.free === 0,
        className: "choice slot",
      });
    }),
  );
}

function chooseSlot(slot) {
  state.slot = slot;
  errors.clear();
  show("confirm");
}

// ---------- 4. booking ----------

function renderConfirm() {
  byId("confirm-category").textContent = categoryName(state.category.id);
  byId("confirm-when").textContent = when(state.slot.start, state.slot.end);
  byId("book").disabled = state.busy;
}

async function book() {
  if (state.busy) return;
  state.busy = true;
  renderConfirm();
  try {
    const booking = await api("/appointments", {
      method: "POST",
      body: { category: state.category.id, start: state.slot.start, language: i18n.language },
    });
    state.busy = false;
    // The booking's own address: bookmarked or shared with oneself, it shows the booking again.
    history.replaceState(null, "", `/book/${encodeURIComponent(booking.code)}`);
    showBooking(booking);
    say(byId("live"), i18n.t("booked", { code: groupCode(booking.code) }));
  } catch (error) {
    state.busy = false;
    await bookingRefused(error);
  }
}

/** Says why a booking failed; a slot taken meanwhile sends the citizen back to choose again. */
async function bookingRefused(error) {
  const code = error instanceof ApiError ? error.code : null;
  if (code === "slot_full" || code === "slot_unavailable") {
    await loadSlots();
    show(state.days.some((d) => d.date === state.date) ? "slot" : "day");
    errors.say(code === "slot_full" ? "err_slot_full" : "err_slot_unavailable");
  } else if (code === "rate_limited") {
    renderConfirm();
    const wait = error.retryAfterS;
    if (wait === null || wait === undefined) errors.say("err_rate_limited");
    else errors.say("err_rate_limited_until", { time: i18n.time(new Date(Date.now() + wait * 1000)) });
  } else {
    renderConfirm();
    errors.show(error);
  }
}

// ---------- the booking ----------

function showBooking(booking) {
  state.booking = booking;
  show("booking");
}

function renderBooking() {
  const booking = state.booking;
  if (!booking) return;
  byId("booking-heading").textContent = i18n.t(`heading_${booking.state}`);
  byId("booking").dataset.state = booking.state;
  byId("code").textContent = groupCode(booking.code);
  byId("code").setAttribute("aria-label", [...booking.code].join(" "));
  byId("booking-category").textContent = categoryName(booking.category);
  byId("booking-when").textContent = when(booking.start, booking.end);
  byId("booking-state").textContent = i18n.t(`state_${booking.state}`);
  byId("booking-ticket-row").hidden = !booking.ticket;
  byId("booking-ticket").textContent = booking.ticket ? booking.ticket.number : "";
  const booked = booking.state === "booked";
  // When to be at the kiosk: the office's check-in window around the slot's start.
  const window = byId("checkin-window");
  const office = state.office?.office;
  window.hidden = !booked || typeof office?.checkin_early_min !== "number";
  if (!window.hidden) {
    const start = Date.parse(booking.start);
    window.textContent = i18n.t("checkinWindow", {
      from: i18n.time(new Date(start - office.checkin_early_min * 60000)),
      to: i18n.time(new Date(start + office.checkin_late_min * 60000)),
    });
  }
  const qr = byId("qr");
  qr.alt = i18n.t("qrAlt", { code: groupCode(booking.code) });
  const source = `/book/${encodeURIComponent(booking.code)}/qr.svg`;
  if (qr.getAttribute("src") !== source) qr.src = source;
  qr.parentElement.hidden = !booked;
  byId("calendar").href = `/api/v1/appointments/${encodeURIComponent(booking.code)}/calendar.ics`;
  byId("calendar").hidden = !booked;
  byId("cancel").hidden = !booked;
  if (!booked) closeCancel();
}

function openCancel() {
  byId("cancel-box").hidden = false;
  byId("cancel").setAttribute("aria-expanded", "true");
  byId("cancel-no").focus();
}

function closeCancel() {
  byId("cancel-box").hidden = true;
  byId("cancel").setAttribute("aria-expanded", "false");
}

async function cancel() {
  if (state.busy || !state.booking) return;
  state.busy = true;
  try {
    const booking = await api(`/appointments/${encodeURIComponent(state.booking.code)}/cancel`, {
      method: "POST",
      body: {},
    });
    closeCancel();
    showBooking(booking);
    say(byId("live"), i18n.t("heading_cancelled"));
  } catch (error) {
    errors.show(error);
    if (error instanceof ApiError && error.code === "appointment_not_booked") await openBooking(state.booking.code);
  } finally {
    state.busy = false;
  }
}

/**
 * The office's day by the server's clock (the status's `office_date`): the day slots are
 * listed from, whatever the device's clock says; the device's own date when the status cannot
 * be read.
 */
async function officeToday() {
  try {
    state.today = (await api("/status")).office_date;
  } catch {
    state.today = state.today ?? officeDate(new Date(), state.office.office.timezone);
  }
  return state.today;
}

async function openBooking(code) {
  try {
    showBooking(await api(`/appointments/${encodeURIComponent(code)}`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) show("not-found");
    else errors.show(error);
  }
}

// ---------- start ----------

function wire() {
  i18n.onChange(render);
  i18n.bindSwitch(byId("language-switch"));
  byId("day-back").addEventListener("click", () => show("category"));
  byId("slot-back").addEventListener("click", () => show("day"));
  byId("confirm-back").addEventListener("click", () => show("slot"));
  byId("book").addEventListener("click", book);
  byId("print").addEventListener("click", () => window.print());
  byId("cancel").addEventListener("click", () => (byId("cancel-box").hidden ? openCancel() : closeCancel()));
  byId("cancel-no").addEventListener("click", () => {
    closeCancel();
    byId("cancel").focus();
  });
  byId("cancel-yes").addEventListener("click", cancel);
}

async function start() {
  wire();
  i18n.remember(LANGUAGE_KEY);
  i18n.apply();
  let office;
  try {
    office = await api("/office");
  } catch (error) {
    errors.show(error);
    return;
  }
  state.office = office;
  markDemo(office);
  i18n.timeZone = office.office.timezone;
  const chosen = i18n.language;
  i18n.useLanguages(office.office.languages);
  i18n.set(i18n.languages.includes(chosen) ? chosen : i18n.languages[0]);
  if (codeInAddress !== null) {
    if (isCode(codeInAddress)) await openBooking(codeInAddress);
    else show("not-found", { focus: false });
    return;
  }
  state.categories = bookableCategories(office);
  show("category", { focus: false });
}

start();
