// The kiosk's check-in: a booking's code typed on a large on-screen keyboard of the code's
// alphabet only (or a keyboard, for those who use one), and what a refused check-in means in
// the kiosk's words. kiosk.js shows the screen and prints the ticket.

import { CODE_ALPHABET, CODE_LENGTH, codeInput, groupCode, refusalWindow } from "/common/appointments.js";
import { element } from "/common/dom.js";

/** The code being typed: its keys, its display in groups, delete and OK. */
export class CodeEntry {
  /**
   * @param {object} parts
   * @param {HTMLElement} parts.display where the code shows, in groups with blanks
   * @param {HTMLElement} parts.keys the container the alphabet's keys are built in
   * @param {HTMLButtonElement} parts.remove the delete key
   * @param {HTMLButtonElement} parts.ok the OK key: enabled once the code is whole
   * @param {(code: string) => void} parts.onSubmit called with a whole code
   */
  constructor({ display, keys, remove, ok, onSubmit }) {
    this.display = display;
    this.remove = remove;
    this.ok = ok;
    this.onSubmit = onSubmit;
    this.value = "";
    this.disabled = false;
    keys.replaceChildren(
      ...[...CODE_ALPHABET].map((symbol) => {
        const key = element("button", "key", symbol);
        key.type = "button";
        key.dataset.key = symbol;
        key.dataset.testid = `key-${symbol}`;
        key.addEventListener("click", () => this.type(symbol));
        return key;
      }),
    );
    this.keys = [...keys.children];
    remove.addEventListener("click", () => this.backspace());
    ok.addEventListener("click", () => this.submit());
    this.render();
  }

  /** Adds `symbol` (any case) when it is of the alphabet and the code is not whole yet. */
  type(symbol) {
    if (this.disabled) return;
    const next = codeInput(this.value + symbol);
    if (next === null || next.length === this.value.length) return;
    this.value = next;
    this.render();
  }

  backspace() {
    if (this.disabled) return;
    this.value = this.value.slice(0, -1);
    this.render();
  }

  clear() {
    this.value = "";
    this.render();
  }

  submit() {
    if (this.disabled || this.value.length !== CODE_LENGTH) return;
    this.onSubmit(this.value);
  }

  /** While a check-in is asked for: no key does anything. */
  setDisabled(disabled) {
    this.disabled = disabled;
    this.render();
  }

  /** Takes a key of a physical keyboard; true when it was the entry's. */
  key(event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return false;
    if (event.key === "Backspace") {
      this.backspace();
      return true;
    }
    if (event.key.length === 1 && CODE_ALPHABET.includes(event.key.toUpperCase())) {
      this.type(event.key);
      return true;
    }
    return false;
  }

  render() {
    const whole = this.value.length === CODE_LENGTH;
    this.display.textContent = groupCode(this.value, { blanks: true, blank: "·" });
    this.display.dataset.code = this.value;
    for (const key of this.keys) key.disabled = this.disabled || whole;
    this.remove.disabled = this.disabled || this.value.length === 0;
    this.ok.disabled = this.disabled || !whole;
  }
}

/**
 * What the kiosk says when a check-in is refused: a key of its texts and the key's parameters.
 * The window of a too-early or too-late refusal comes from the server's message (office time).
 * @param {{code?: string, status?: number, message?: string}} error the ApiError
 * @param {string} today the office's date, so a window of today shows its times only
 */
export function refusal(error, today) {
  const code = error && error.code;
  const window = refusalWindow(error && error.message);
  const at = (date, time) => (date === today ? time : `${date.split("-").reverse().join(".")} ${time}`);
  if (code === "checkin_too_early" || code === "checkin_too_late") {
    if (!window) return { key: code === "checkin_too_early" ? "checkinTooEarly" : "checkinTooLate", params: {} };
    const params = { from: at(window.opensDate, window.opens), to: at(window.closesDate, window.closes) };
    return { key: code === "checkin_too_early" ? "checkinTooEarlyWindow" : "checkinTooLateWindow", params };
  }
  if (code === "appointment_not_booked") {
    const state = /appointment is (\w+), not booked/.exec((error && error.message) || "");
    const known = state && ["checked_in", "cancelled", "missed"].includes(state[1]);
    return { key: known ? `checkinNot_${state[1]}` : "checkinNotBooked", params: {} };
  }
  if (code === "unknown_appointment") return { key: "checkinUnknown", params: {} };
  if (code === "rate_limited") return { key: "errorBusy", params: {} };
  if (code === "offline" || (error && error.status >= 500)) return { key: "errorOffline", params: {} };
  return { key: "errorOther", params: {} };
}
