// Signing a page in and out with its access token: the counter terminal and the reports (a
// sign-in form, a sign-out button), and the kiosk (whose setup screen is its sign-in form).
//
// The token comes from the link the server printed (`#token=…`, see token.js), from the
// browser's storage, or from the sign-in form. An answer that refuses the token (401: expired,
// revoked or never issued; for some pages 403: a token of another role) signs the page out, so
// the person is asked for a token that works instead of watching every action fail.

import { ApiError } from "./api.js";
import { byId } from "./dom.js";
import { forgetToken, saveToken, takeToken } from "./token.js";

/**
 * The elements of a sign-in: the form and its token field, the sign-out button, the section the
 * form is in, and the content shown while signed in.
 * @typedef {{section: HTMLElement, form: HTMLFormElement, input: HTMLInputElement,
 *            signOut: HTMLElement, content: HTMLElement}} LoginView
 */

/**
 * The sign-in of a staff page, by the ids the counter and reports pages share: the section
 * `login`, its form `login-form` with the field `login-token`, the button `sign-out`, and
 * `contentId`, what the page shows while signed in.
 * @param {string} contentId
 * @returns {LoginView}
 */
export function loginView(contentId) {
  return {
    section: byId("login"),
    form: byId("login-form"),
    input: byId("login-token"),
    signOut: byId("sign-out"),
    content: byId(contentId),
  };
}

export class Login {
  /**
   * Takes the page's token (from the address, else from storage) and wires the view.
   * @param {string} page the page's slot in storage ("counter": `numerek.counter.token`)
   * @param {object} [options]
   * @param {number[]} [options.refusedBy] the answer statuses that sign the page out (see
   *   `refused`): 401 by default; a page that can show nothing to another role adds 403
   * @param {(token: string) => void} [options.onSignIn] after a sign-in, with the new token
   * @param {() => void} [options.onSignOut] after a sign-out, by the button or a refusal
   * @param {LoginView|null} [options.view] the sign-in form and the rest (`loginView`); null for
   *   a page with a sign-in screen of its own, which calls `signIn` itself
   */
  constructor(page, { refusedBy = [401], onSignIn = () => {}, onSignOut = () => {}, view = null } = {}) {
    this.page = page;
    this.refusedBy = refusedBy;
    this.onSignIn = onSignIn;
    this.onSignOut = onSignOut;
    this.view = view;
    const { token, params } = takeToken(page);
    /** The token the page works with, or null while signed out. */
    this.token = token;
    /** The address's other fragment parameters (`#token=…&counter=3`: `counter`). */
    this.params = params;
    if (view) {
      view.form.addEventListener("submit", (event) => {
        event.preventDefault();
        const entered = view.input.value.trim();
        if (entered) this.signIn(entered);
      });
      view.signOut.addEventListener("click", () => {
        this.signOut();
        view.input.focus();
      });
    }
  }

  /** Shows the content while signed in, else the sign-in form (emptied). */
  show() {
    const view = this.view;
    if (!view) return;
    const signedIn = Boolean(this.token);
    view.section.hidden = signedIn;
    view.content.hidden = !signedIn;
    view.signOut.hidden = !signedIn;
    if (!signedIn) view.input.value = "";
  }

  /** Signs in with `token`: keeps it for the next visit, shows the content. */
  signIn(token) {
    saveToken(this.page, token);
    this.token = token;
    this.show();
    this.onSignIn(token);
  }

  /** Signs out: forgets the token, shows the sign-in form. */
  signOut() {
    forgetToken(this.page);
    this.token = null;
    this.show();
    this.onSignOut();
  }

  /**
   * Signs out when `error` is an answer refusing the token (a status of `refusedBy`); answers
   * whether it did. The page still says what went wrong: its error text names the reason.
   * @param {unknown} error
   */
  refused(error) {
    if (!(error instanceof ApiError && this.refusedBy.includes(error.status))) return false;
    this.signOut();
    return true;
  }
}
