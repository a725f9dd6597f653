// The five faces of a rating, 1 (very bad) to 5 (very good): how a visitor rates a visit on the
// mobile ticket page and on the tablet beside a counter (POST …/feedback {"score"}).
//
// Each face is a button with its name in words (the `faces` texts), so it is read by its word as
// well as by its face and its colour; the face is drawn (SVG, hidden from screen readers) with a
// dark outline on a light fill, whatever the page's colours.

import { element } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

/** The scores, worst first (the order the buttons are in, left to right). */
export const SCORES = [1, 2, 3, 4, 5];

/** Each score's mouth (a path in a 100×100 face) and fill. */
const FACES = {
  1: { mouth: "M 30 74 Q 50 52 70 74", fill: "#f4a9a8" },
  2: { mouth: "M 32 71 Q 50 61 68 71", fill: "#f8c9a0" },
  3: { mouth: "M 32 67 L 68 67", fill: "#f6e3a1" },
  4: { mouth: "M 32 63 Q 50 75 68 63", fill: "#c9e6a8" },
  5: { mouth: "M 27 58 Q 50 88 73 58", fill: "#a8dcb0" },
};

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** The drawing of the face of `score`. */
function drawing(score) {
  const face = FACES[score];
  const picture = svg("svg", { viewBox: "0 0 100 100", class: "face-picture", "aria-hidden": "true", focusable: "false" });
  const ink = { stroke: "#1a1a1a", "stroke-width": 5, "stroke-linecap": "round", fill: "none" };
  picture.append(
    svg("circle", { cx: 50, cy: 50, r: 45, fill: face.fill, stroke: "#1a1a1a", "stroke-width": 5 }),
    svg("circle", { cx: 35, cy: 40, r: 6, fill: "#1a1a1a" }),
    svg("circle", { cx: 65, cy: 40, r: 6, fill: "#1a1a1a" }),
    svg("path", { d: face.mouth, ...ink }),
  );
  return picture;
}

/**
 * Fills `group` (an element with role="group" and a label) with the five face buttons; a press
 * calls `onChoose(score)`. Their words come from `labelFaces`.
 * @param {HTMLElement} group
 * @param {(score: number) => void} onChoose
 */
export function buildFaces(group, onChoose) {
  group.replaceChildren(
    ...SCORES.map((score) => {
      const button = element("button", `face face-${score}`);
      button.type = "button";
      button.dataset.score = String(score);
      button.setAttribute("data-testid", `face-${score}`);
      button.append(drawing(score), element("span", "face-name"));
      button.addEventListener("click", () => onChoose(score));
      return button;
    }),
  );
}

/**
 * Says the faces of `group` in `i18n`'s language: each button's word, and its accessible name
 * ("1 z 5: bardzo źle"), which holds the word.
 * @param {HTMLElement} group
 * @param {import("./i18n.js").I18n} i18n
 */
export function labelFaces(group, i18n) {
  for (const button of group.querySelectorAll("button.face")) {
    const score = button.dataset.score;
    const name = i18n.text(`faces.${score}`);
    button.querySelector(".face-name").textContent = name;
    button.setAttribute("aria-label", i18n.text("faces.label", { score, name }));
  }
}

/**
 * Enables or disables every face of `group` (while a rating is being sent).
 * @param {HTMLElement} group
 * @param {boolean} enabled
 */
export function enableFaces(group, enabled) {
  for (const button of group.querySelectorAll("button.face")) button.disabled = !enabled;
}
