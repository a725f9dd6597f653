// Text as large as its box allows: the counter-top screen shows a number, a word or a counter's
// name from across the room, whatever the screen and however long the text.

/**
 * Sets `element`'s font size to the largest whole pixel size, at most `max`, at which its text
 * fits its own box (no overflow across or down; the element's size comes from the layout, not
 * from its text). Answers that size. A text that does not fit even at `min` gets `min`.
 * @param {HTMLElement} element
 * @param {number} max
 * @param {number} [min]
 */
export function fitText(element, max, min = 8) {
  const fits = () =>
    element.scrollWidth <= element.clientWidth + 1 && element.scrollHeight <= element.clientHeight + 1;
  const size = (px) => {
    element.style.fontSize = `${px}px`;
  };
  let low = Math.floor(min);
  let high = Math.floor(max);
  size(high);
  if (fits()) return high;
  size(low);
  if (!fits()) return low;
  // Invariant: `low` fits, `high` does not.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    size(middle);
    if (fits()) low = middle;
    else high = middle;
  }
  size(low);
  return low;
}
