// The mark of a demonstration office (`numerek demo`; `office.demo` in GET /api/v1/office):
// the visitors and clerks at work there are simulated, and nobody should take its pages for a
// real office's. The mark speaks both languages at once, so it needs no language switch.

/**
 * Shows the demo mark at the top of the page when `office` (GET /api/v1/office) is a demo.
 * @param {object|null} office
 */
export function markDemo(office) {
  if (!office?.office?.demo || document.querySelector(".demo-banner")) return;
  const banner = document.createElement("p");
  banner.className = "demo-banner";
  banner.setAttribute("data-testid", "demo");
  banner.setAttribute("role", "note");
  const word = document.createElement("strong");
  word.textContent = "DEMO";
  const pl = document.createElement("span");
  pl.lang = "pl";
  pl.textContent = "Urząd pokazowy: interesanci i urzędnicy są symulowani.";
  const en = document.createElement("span");
  en.lang = "en";
  en.textContent = "A demonstration office: visitors and clerks are simulated.";
  banner.append(word, " ", pl, " ", en);
  document.body.prepend(banner);
}
