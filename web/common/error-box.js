// A page's error box (an element with role="alert"): what went wrong, in the page's language,
// said again in the new language after a switch.

import { describeError } from "./api.js";

export class ErrorBox {
  /**
   * @param {HTMLElement} element the box
   * @param {import("./i18n.js").I18n} i18n the page's texts
   */
  constructor(element, i18n) {
    this.element = element;
    this.i18n = i18n;
    /** The text shown (a key of the page's texts), or null while all is well. */
    this.key = null;
    this.params = {};
    i18n.onChange(() => this.render());
  }

  /** Says what `error` means (see `describeError`); null empties the box. */
  show(error) {
    if (error === null || error === undefined) {
      this.clear();
      return;
    }
    const { key, params } = describeError(error, this.i18n);
    this.say(key, params);
  }

  /** Says the page's text `key`. */
  say(key, params = {}) {
    this.key = key;
    this.params = params;
    this.render();
  }

  /** Empties the box. */
  clear() {
    this.say(null);
  }

  render() {
    this.element.textContent = this.key ? this.i18n.t(this.key, this.params) : "";
  }
}
