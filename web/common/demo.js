// The mark of a demonstration office (`numerek demo`; `office.demo` in GET /api/v1/office):
// the visitors and clerks at work there are simulated, and nobody should take its pages for a
// real office's. The mark says so in every language the pages speak at once (the `demo` text of
// each), so it needs no language switch.

import { $, element } from "./dom.js";
import { TEXTS } from "./texts/index.js";

/**
 * Shows the demo mark at the top of the page when `office` (GET /api/v1/office) is a demo.
 * @param {object|null} office
 */
export function markDemo(office) {
  if (!office?.office?.demo || $(".demo-banner")) return;
  const banner = element("p", "demo-banner");
  banner.setAttribute("data-testid", "demo");
  banner.setAttribute("role", "note");
  banner.append(element("strong", "", "DEMO"));
  for (const [language, texts] of Object.entries(TEXTS)) {
    const sentence = element("span", "", texts.demo);
    sentence.lang = language;
    banner.append(" ", sentence);
  }
  document.body.prepend(banner);
}
