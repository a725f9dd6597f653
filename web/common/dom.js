// The DOM helpers of every page, with one meaning each: a page finds its elements by id
// (`byId`), reaches for a CSS selector only where no id fits (`$`, `$$`: a group of elements,
// an element by its data, one inside another), and builds elements with `element`. Tests find
// elements by `data-testid`; the pages' own code never does.

/** The element whose id is `id`, or null. */
export function byId(id) {
  return document.getElementById(id);
}

/** The first element matching the CSS `selector` within `root` (the document), or null. */
export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Every element matching the CSS `selector` within `root` (the document), as an array. */
export function $$(selector, root = document) {
  return [...root.querySelectorAll(selector)];
}

/** A new `<tag>` with `className` (when given) and `text` as its content (when given). */
export function element(tag, className = "", text = undefined) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Says `text` through the live region `region`: emptied first and filled a moment later, so a
 * screen reader announces a text equal to the last one too.
 */
export function announce(region, text) {
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}
