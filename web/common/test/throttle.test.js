// "Refresh at most once per second": a burst of requests costs one run, runs never overlap, and
// a request during a run is not lost.

import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { throttle } from "../throttle.js";
import { FakeClock, flush } from "./fakes.js";

let clock;
beforeEach(() => {
  clock = new FakeClock().install();
});
afterEach(() => clock.uninstall());

/** A throttled task that counts its runs (`task.runs`). */
function counted() {
  const task = () => {
    task.runs += 1;
  };
  task.runs = 0;
  return { task, request: throttle(task, 1000) };
}

/** A task that records when each run starts and ends only when the test says so. */
function slowTask() {
  const task = () =>
    new Promise((resolve) => {
      task.starts.push(Date.now());
      task.finish = resolve;
    });
  task.starts = [];
  return task;
}

test("the first request runs at once (on the next turn), a burst after it once, a second later", async () => {
  const { task, request } = counted();
  request();
  request();
  await clock.advance(0);
  assert.equal(task.runs, 1);
  for (let i = 0; i < 10; i += 1) {
    request();
    await clock.advance(50);
  }
  assert.equal(task.runs, 1, "not within the second");
  await clock.advance(500);
  assert.equal(task.runs, 2, "once, when the second is over");
  await clock.advance(5000);
  assert.equal(task.runs, 2, "nothing more was asked for");
});

test("a request long after the last run runs at once", async () => {
  const { task, request } = counted();
  request();
  await clock.advance(3000);
  request();
  await clock.advance(0);
  assert.equal(task.runs, 2);
});

test("runs never overlap; a request during a run makes one more run after it", async () => {
  const task = slowTask();
  const request = throttle(task, 1000);
  request();
  await clock.advance(0);
  assert.equal(task.starts.length, 1);
  await clock.advance(5000);
  request();
  request();
  await clock.advance(5000);
  assert.equal(task.starts.length, 1, "the first run is still going");
  task.finish();
  await clock.advance(0);
  assert.equal(task.starts.length, 2, "one more, at once: its second is long over");
  task.finish();
  await clock.advance(5000);
  assert.equal(task.starts.length, 2);
});

test("now() runs without waiting for the second, after a run still going", async () => {
  const task = slowTask();
  const request = throttle(task, 1000);
  request();
  await clock.advance(0);
  let done = false;
  const now = request.now().then(() => {
    done = true;
  });
  await flush();
  assert.equal(task.starts.length, 1, "it waits for the run going on");
  task.finish();
  await flush();
  assert.deepEqual(task.starts, [clock.now, clock.now], "then runs at once, within the second");
  assert.equal(done, false, "its promise is its own run's");
  task.finish();
  await now;
  assert.equal(done, true);
});

test("now() takes the place of a request waiting for its second", async () => {
  const { task, request } = counted();
  request();
  await clock.advance(0);
  request();
  await request.now();
  assert.equal(task.runs, 2);
  await clock.advance(2000);
  assert.equal(task.runs, 2, "the waiting request was served by now()");
});

test("a failing run rejects now()'s promise and does not stop later runs", async () => {
  let runs = 0;
  const request = throttle(() => {
    runs += 1;
    if (runs === 1) throw new Error("offline");
  }, 1000);
  await assert.rejects(request.now(), /offline/);
  request();
  await clock.advance(1000);
  assert.equal(runs, 2);
});
