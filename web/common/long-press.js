// A long press on an element: how staff open the setup of a public device (the kiosk, the rating
// tablet) without a button the public would see.

/**
 * Calls `action` once `target` has been held for `ms` milliseconds. Lifting, leaving or a
 * cancelled pointer stops the count; the context menu a long touch opens is suppressed.
 * @param {EventTarget} target
 * @param {number} ms
 * @param {() => void} action
 */
export function onLongPress(target, ms, action) {
  let timer = null;
  const cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  target.addEventListener("pointerdown", () => {
    cancel();
    timer = setTimeout(() => {
      timer = null;
      action();
    }, ms);
  });
  for (const type of ["pointerup", "pointerleave", "pointercancel"]) target.addEventListener(type, cancel);
  target.addEventListener("contextmenu", (event) => event.preventDefault());
}
