// The index page: what each page is for and how to set the devices up, in the office's
// languages, with the office's name. Its texts are the `index` section of `common/texts/`; a text
// between backticks is code (a command, a role, a file) and is shown as <code>.
import { api } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { $$, byId } from "/common/dom.js";
import { I18n } from "/common/i18n.js";

const LANGUAGE_KEY = "numerek.index.language";

const i18n = new I18n("index");
let officeName = null;

/** Fills `element` with `text`, its parts between backticks as <code> (built as nodes, never as
 * markup). */
function fillRich(element, text) {
  const parts = text.split("`");
  element.replaceChildren(
    ...parts.map((part, index) => {
      if (index % 2 === 0) return document.createTextNode(part);
      const code = document.createElement("code");
      code.textContent = part;
      return code;
    }),
  );
}

function render() {
  for (const element of $$("[data-i18n-rich]")) {
    fillRich(element, i18n.t(element.dataset.i18nRich));
  }
  // The office's name, once known, in place of the tagline.
  if (officeName) byId("office-name").textContent = officeName;
  document.title = officeName ? `numerek — ${officeName}` : i18n.t("title");
}

i18n.onChange(render);
i18n.bindSwitch(byId("language-switch"));
i18n.remember(LANGUAGE_KEY);
try {
  const office = await api("/office");
  officeName = office.office.name;
  i18n.useLanguages(office.office.languages);
  markDemo(office);
} catch {
  // The page is useful without the office's name and languages.
}
i18n.set(i18n.language);
