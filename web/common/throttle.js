// "Refresh at most once per second": every page refetches what it shows when the live feed
// reports a change, and a burst of events (a clerk calling, a kiosk issuing) must cost one
// request, not one per event.

/**
 * Wraps `task` (a function, async or not) into `request()`, which runs it at most once per
 * `intervalMs`: at once when the last run started longer ago, otherwise when the interval is
 * over, however often it was asked for in between. Runs never overlap: a request during a run
 * makes one more run after it, so what changed meanwhile is fetched too.
 *
 * `request.now()` runs the task without waiting for the interval (after the user's own action,
 * or for the first load), right after a run still going, and answers that run's promise.
 *
 * @param {() => unknown} task
 * @param {number} [intervalMs]
 * @returns {(() => void) & {now: () => Promise<void>}}
 */
export function throttle(task, intervalMs = 1000) {
  let lastStart = -Infinity;
  let timer = null; // the run waiting for the end of the interval
  let running = null; // the promise of the run going on
  let again = false; // asked for during a run

  function start() {
    clearTimeout(timer);
    timer = null;
    lastStart = Date.now();
    const run = (async () => {
      try {
        // Called from an async function, a task that throws at once fails later like any other,
        // so the bookkeeping below comes after `running` is set to this run.
        await (async () => task())();
      } finally {
        running = null;
        if (again) {
          again = false;
          request();
        }
      }
    })();
    running = run;
    return run;
  }

  function request() {
    if (running) {
      again = true;
    } else if (timer === null) {
      timer = setTimeout(start, Math.max(0, lastStart + intervalMs - Date.now()));
    }
  }

  request.now = async () => {
    while (running) {
      try {
        await running;
      } catch {
        // That run's caller hears of its failure; this one starts anyway.
      }
    }
    again = false;
    return start();
  };

  return request;
}
