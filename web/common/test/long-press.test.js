// The long press that opens a public device's setup.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";
import { onLongPress } from "../long-press.js";

let target;
let pressed;
beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout"] });
  target = new EventTarget();
  pressed = 0;
  onLongPress(target, 5000, () => (pressed += 1));
});
afterEach(() => mock.timers.reset());

const fire = (type) => target.dispatchEvent(new Event(type, { cancelable: true }));

describe("onLongPress", () => {
  test("held for the whole time: the action, once", () => {
    fire("pointerdown");
    mock.timers.tick(4999);
    assert.equal(pressed, 0);
    mock.timers.tick(1);
    assert.equal(pressed, 1);
    mock.timers.tick(10000);
    assert.equal(pressed, 1);
  });

  for (const type of ["pointerup", "pointerleave", "pointercancel"]) {
    test(`${type} before the time stops it`, () => {
      fire("pointerdown");
      mock.timers.tick(4000);
      fire(type);
      mock.timers.tick(5000);
      assert.equal(pressed, 0);
    });
  }

  test("a new press starts the count again", () => {
    fire("pointerdown");
    mock.timers.tick(4000);
    fire("pointerdown");
    mock.timers.tick(4000);
    assert.equal(pressed, 0);
    mock.timers.tick(1000);
    assert.equal(pressed, 1);
  });

  test("the context menu of a long touch is suppressed", () => {
    assert.equal(fire("contextmenu"), false);
  });
});
