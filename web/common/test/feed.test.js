// The live feed: a snapshot, then events in order; reconnecting with `since=` the last sequence
// number after an outage, backing off while the server is away; a gap never skipped silently.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { Feed } from "../feed.js";
import { FakeClock, FakeWebSocket, fakeAddress, flush } from "./fakes.js";

let clock;
let heard;

beforeEach(() => {
  clock = new FakeClock().install();
  FakeWebSocket.made = [];
  globalThis.WebSocket = FakeWebSocket;
  globalThis.location = fakeAddress("http://office.example:8080/display/").location;
  heard = [];
});

afterEach(() => clock.uninstall());

/** A started feed whose every handler call lands in `heard`. */
function feed(token = null) {
  return new Feed({
    token,
    onSnapshot: (status) => heard.push(["snapshot", status.id]),
    onEvent: (event) => heard.push(["event", event.seq]),
    onConnection: (up) => heard.push(["up", up]),
  }).start();
}

const snapshot = (seq) => ({ type: "snapshot", seq, status: { id: `status@${seq}` } });
const event = (seq) => ({ type: "ticket.called", seq });

/** The socket the feed has now, opened by the server. */
function connected() {
  const socket = FakeWebSocket.last();
  socket.open();
  return socket;
}

describe("connecting", () => {
  test("the public feed: no token, no since, the page's own host", () => {
    feed();
    const socket = FakeWebSocket.last();
    assert.equal(socket.url, "ws://office.example:8080/api/v1/events");
  });

  test("a token's feed, over TLS when the page is", () => {
    globalThis.location = fakeAddress("https://office.example/counter/").location;
    feed("nmk_clerk");
    assert.equal(FakeWebSocket.last().url, "wss://office.example/api/v1/events?token=nmk_clerk");
  });

  test("a snapshot, then the events that follow it, in order", () => {
    feed();
    const socket = connected();
    socket.receive(snapshot(7));
    socket.receive(event(8));
    socket.receive(event(9));
    assert.deepEqual(heard, [["up", true], ["snapshot", "status@7"], ["event", 8], ["event", 9]]);
  });

  test("an event already seen is dropped, and what is not JSON is ignored", () => {
    feed();
    const socket = connected();
    socket.receive(snapshot(7));
    socket.receive(event(7));
    socket.receive("not json");
    socket.receive(event(8));
    assert.deepEqual(heard.slice(1), [["snapshot", "status@7"], ["event", 8]]);
    assert.equal(socket.closed, false);
  });
});

describe("reconnecting", () => {
  test("after an outage, with since= the last sequence number seen", async () => {
    const f = feed();
    const socket = connected();
    socket.receive(snapshot(7));
    socket.receive(event(8));
    socket.drop();
    assert.deepEqual(heard.at(-1), ["up", false]);
    assert.equal(FakeWebSocket.made.length, 1, "not at once");
    await clock.advance(500);
    assert.equal(FakeWebSocket.made.length, 2);
    assert.equal(FakeWebSocket.last().query.get("since"), "8");
    connected().receive(event(9));
    assert.deepEqual(heard.slice(-2), [["up", true], ["event", 9]]);
    assert.equal(f.seq, 9);
  });

  test("waiting twice as long after each failed attempt, up to 10 s, and 0.5 s again once up", async () => {
    feed();
    const waits = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      FakeWebSocket.last().drop();
      waits.push(clock.pending()[0]);
      await clock.advance(clock.pending()[0]);
    }
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 8000, 10000, 10000]);
    connected().drop();
    assert.deepEqual(clock.pending(), [500]);
  });

  test("a feed that never comes up says it is down, once", async () => {
    feed();
    FakeWebSocket.last().drop();
    await clock.advance(500);
    FakeWebSocket.last().drop();
    assert.deepEqual(heard, [["up", false]]);
  });

  test("a gap asks for a snapshot: the socket closes and the feed reconnects without since", async () => {
    feed();
    const socket = connected();
    socket.receive(snapshot(7));
    socket.receive(event(9));
    assert.deepEqual(heard.slice(1), [["snapshot", "status@7"]], "event 9 is not given");
    await flush();
    assert.equal(socket.closed, true);
    await clock.advance(500);
    assert.equal(FakeWebSocket.last().query.get("since"), null);
    connected().receive(snapshot(12));
    assert.deepEqual(heard.at(-1), ["snapshot", "status@12"]);
  });

  test("an event before any snapshot asks for one too", async () => {
    feed();
    const socket = connected();
    socket.receive(event(3));
    await flush();
    assert.equal(socket.closed, true);
    assert.deepEqual(heard, [["up", true], ["up", false]]);
  });

  test("two minutes of silence (a half-open line) reconnect with since", async () => {
    feed();
    const socket = connected();
    socket.receive(snapshot(4));
    await clock.advance(119_000);
    socket.receive(event(5));
    await clock.advance(119_000);
    assert.equal(socket.closed, false, "every message restarts the watch");
    await clock.advance(1_000);
    assert.equal(socket.closed, true);
    await clock.advance(500);
    assert.equal(FakeWebSocket.last().query.get("since"), "5");
  });

  test("another token: that audience's snapshot, not a replay in the old one", async () => {
    const f = feed("nmk_clerk");
    const socket = connected();
    socket.receive(snapshot(4));
    f.setToken("nmk_clerk");
    assert.equal(socket.closed, false, "the same token changes nothing");
    f.setToken(null);
    await flush();
    assert.equal(socket.closed, true);
    await clock.advance(500);
    assert.equal(FakeWebSocket.last().url, "ws://office.example:8080/api/v1/events");
  });

  test("a stopped feed stays closed", async () => {
    const f = feed();
    const socket = connected();
    f.stop();
    await flush();
    assert.equal(socket.closed, true);
    await clock.advance(60_000);
    assert.equal(FakeWebSocket.made.length, 1);
    assert.deepEqual(clock.pending(), []);
  });
});
