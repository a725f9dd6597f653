// The counter's appointments panel: the day's booked visits (the staff list, with their codes)
// and booking a visit for a caller on the phone (a clerk's booking is not rate-limited). The
// clerk reads the code out to the caller; nothing about the caller is asked for or kept.

import { api } from "/common/api.js";
import { addDays, bookableCategories, groupCode, officeDate } from "/common/appointments.js";
import { announce, byId, element } from "/common/dom.js";

export class AppointmentsPanel {
  /**
   * @param {object} options
   * @param {import("/common/i18n.js").I18n} options.i18n the counter page's texts
   * @param {() => string|null} options.token the clerk's token
   * @param {(error: unknown) => void} options.showError the page's error box
   */
  constructor({ i18n, token, showError }) {
    this.i18n = i18n;
    this.token = token;
    this.showError = showError;
    this.office = null;
    this.officeDate = null; // today, by the status
    this.categories = []; // those that take bookings
    this.list = null; // the AppointmentList on screen
    this.slots = []; // the free slots of the booking form's day
    this.booked = null; // the Appointment just booked for a caller
    this.busy = false;
    byId("appointments-date").addEventListener("change", () => this.load());
    byId("staff-book-category").addEventListener("change", () => this.loadSlots());
    byId("staff-book-date").addEventListener("change", () => this.loadSlots());
    byId("staff-book-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.book();
    });
  }

  /** The office's day by the server's clock (the status), else by the device's. */
  today() {
    return this.officeDate ?? officeDate(new Date(), this.office.office.timezone);
  }

  /** Starts with the office document: today's list, the booking form. */
  async start(office) {
    this.office = office;
    try {
      this.officeDate = (await api("/status")).office_date;
    } catch {
      this.officeDate = null;
    }
    const today = this.today();
    for (const id of ["appointments-date", "staff-book-date"]) {
      byId(id).value = today;
      byId(id).min = today;
    }
    this.categories = bookableCategories(office);
    byId("appointments").hidden = this.categories.length === 0;
    this.renderCategories();
    await Promise.all([this.load(), this.loadSlots()]);
  }

  /** Reloads the day's list (after an `appointment.*` event, or a new date). */
  async load() {
    if (!this.office || !this.token() || this.categories.length === 0) return;
    const date = byId("appointments-date").value || this.today();
    try {
      this.list = await api(`/appointments?${new URLSearchParams({ date })}`, { token: this.token() });
    } catch (error) {
      this.showError(error);
    }
    this.render();
  }

  async loadSlots() {
    const category = byId("staff-book-category").value;
    const chosen = this.categories.find((c) => c.id === category);
    // As far ahead as the category takes bookings.
    if (chosen) byId("staff-book-date").max = addDays(this.today(), chosen.appointments.days_ahead);
    const date = byId("staff-book-date").value;
    if (!category || !date) return;
    try {
      const query = new URLSearchParams({ category, from: date, to: date });
      const answer = await api(`/appointments/slots?${query}`, { token: this.token() });
      this.slots = answer.slots.filter((slot) => slot.free > 0);
    } catch (error) {
      this.slots = [];
      this.showError(error);
    }
    this.renderSlots();
  }

  async book() {
    const start = byId("staff-book-slot").value;
    const category = byId("staff-book-category").value;
    if (this.busy || !start || !category) return;
    this.busy = true;
    byId("staff-book-submit").disabled = true;
    try {
      this.booked = await api("/appointments", {
        method: "POST",
        body: { category, start, language: this.i18n.language },
        token: this.token(),
      });
      this.renderBooked();
      announce(byId("notice"), byId("staff-booked").textContent);
      await Promise.all([this.load(), this.loadSlots()]);
    } catch (error) {
      this.showError(error);
      await this.loadSlots();
    } finally {
      this.busy = false;
      byId("staff-book-submit").disabled = false;
    }
  }

  categoryName(id) {
    const category = (this.office?.categories || []).find((c) => c.id === id);
    return category ? this.i18n.pick(category.name) : id;
  }

  render() {
    if (!this.office) return;
    this.renderCategories();
    this.renderList();
    this.renderSlots();
    this.renderBooked();
  }

  renderCategories() {
    const select = byId("staff-book-category");
    const chosen = select.value;
    select.replaceChildren(
      ...this.categories.map((category) => {
        const option = element("option", "", this.i18n.pick(category.name));
        option.value = category.id;
        return option;
      }),
    );
    if (chosen) select.value = chosen;
  }

  renderList() {
    const body = byId("appointments-rows");
    const appointments = this.list ? this.list.appointments : [];
    byId("appointments-empty").hidden = appointments.length > 0;
    byId("appointments-table").hidden = appointments.length === 0;
    body.replaceChildren(
      ...appointments.map((appointment) => {
        const row = element("tr");
        row.dataset.state = appointment.state;
        row.dataset.testid = `appointment-${appointment.code}`;
        const cells = [
          `${this.i18n.time(new Date(appointment.start))}–${this.i18n.time(new Date(appointment.end))}`,
          this.categoryName(appointment.category),
          groupCode(appointment.code),
          this.i18n.t(`appointment_${appointment.state}`),
          appointment.ticket ? appointment.ticket.number : "–",
        ];
        row.append(...cells.map((text, index) => element(index === 0 ? "th" : "td", index === 2 ? "code" : "", text)));
        row.firstChild.scope = "row";
        return row;
      }),
    );
  }

  renderSlots() {
    const select = byId("staff-book-slot");
    const chosen = select.value;
    if (this.slots.length === 0) {
      const none = element("option", "", this.i18n.t("noFreeSlots"));
      none.value = "";
      select.replaceChildren(none);
    } else {
      select.replaceChildren(
        ...this.slots.map((slot) => {
          const text = `${this.i18n.time(new Date(slot.start))} (${this.i18n.t("slotFree", { count: slot.free })})`;
          const option = element("option", "", text);
          option.value = slot.start;
          return option;
        }),
      );
      if (this.slots.some((slot) => slot.start === chosen)) select.value = chosen;
    }
    byId("staff-book-submit").disabled = this.busy || this.slots.length === 0;
  }

  renderBooked() {
    const box = byId("staff-booked");
    box.hidden = !this.booked;
    if (!this.booked) return;
    const start = new Date(this.booked.start);
    byId("staff-booked-code").textContent = groupCode(this.booked.code);
    byId("staff-booked-text").textContent = this.i18n.t("bookedFor", {
      category: this.categoryName(this.booked.category),
      date: this.i18n.shortDate(start),
      time: this.i18n.time(start),
    });
  }
}
