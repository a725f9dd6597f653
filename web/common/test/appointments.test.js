// Booking codes as people type and read them, the office's days of a slot listing, and which
// categories take bookings.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CODE_ALPHABET,
  addDays,
  bookableCategories,
  codeInput,
  groupCode,
  isCode,
  lastBookableDay,
  officeDate,
  refusalWindow,
  slotsByDay,
} from "../appointments.js";

describe("booking codes", () => {
  test("the alphabet has no character another is taken for", () => {
    assert.equal(CODE_ALPHABET.length, 32);
    for (const c of "01OI") assert.ok(!CODE_ALPHABET.includes(c), c);
    assert.equal(new Set(CODE_ALPHABET).size, 32);
  });

  test("input is taken in any case, with the spaces and dashes of its groups", () => {
    assert.equal(codeInput("7k3m qx9p"), "7K3MQX9P");
    assert.equal(codeInput("7K3M-QX9P"), "7K3MQX9P");
    assert.equal(codeInput(" 7k3 "), "7K3");
    assert.equal(codeInput(""), "");
    assert.ok(isCode("7k3m-qx9p"));
    assert.ok(!isCode("7K3MQX9"));
  });

  test("characters outside the alphabet, or too many, are no code", () => {
    for (const bad of ["7K3MQX9O", "0K3M", "1234", "IIII", "7K3MQX9PA", "7K3M_QX9", "żółw"]) {
      assert.equal(codeInput(bad), null, bad);
      assert.ok(!isCode(bad), bad);
    }
  });

  test("codes are shown in groups of four, the missing part as blanks", () => {
    assert.equal(groupCode("7K3MQX9P"), "7K3M QX9P");
    assert.equal(groupCode("7K3"), "7K3");
    assert.equal(groupCode("7K3", { blanks: true }), "7K3_ ____");
    assert.equal(groupCode("", { blanks: true, blank: "·" }), "···· ····");
  });
});

describe("office days", () => {
  test("an instant's date is the office's, whatever the device's zone", () => {
    // 23:30 UTC on 7 December is already the 8th in Warsaw.
    assert.equal(officeDate(new Date("2026-12-07T23:30:00Z"), "Europe/Warsaw"), "2026-12-08");
    assert.equal(officeDate(new Date("2026-12-07T23:30:00Z"), "UTC"), "2026-12-07");
  });

  test("days are added across months and years", () => {
    assert.equal(addDays("2026-12-31", 1), "2027-01-01");
    assert.equal(addDays("2026-02-28", 30), "2026-03-30");
    assert.equal(addDays("2026-03-29", 0), "2026-03-29");
  });

  test("slots are grouped by the office's day, in order, with the day's free places", () => {
    const slots = [
      { start: "2026-12-08T08:15:00Z", end: "2026-12-08T08:30:00Z", free: 0 },
      { start: "2026-12-07T23:00:00Z", end: "2026-12-07T23:15:00Z", free: 2 },
      { start: "2026-12-08T08:00:00Z", end: "2026-12-08T08:15:00Z", free: 1 },
      { start: "2026-12-09T08:00:00Z", end: "2026-12-09T08:15:00Z", free: 0 },
    ];
    const days = slotsByDay(slots, "Europe/Warsaw");
    assert.deepEqual(
      days.map((d) => [d.date, d.slots.map((s) => s.start.slice(11, 16)), d.free]),
      [
        ["2026-12-08", ["23:00", "08:00", "08:15"], 3],
        ["2026-12-09", ["08:00"], 0],
      ],
    );
    assert.deepEqual(slotsByDay([], "Europe/Warsaw"), []);
  });
});

describe("bookableCategories", () => {
  test("the categories with appointments, in the office's order", () => {
    const office = {
      categories: [
        { id: "a", appointments: { slot_min: 15, per_slot: 1, days_ahead: 14 } },
        { id: "b", appointments: null },
        { id: "c" },
        { id: "d", appointments: { slot_min: 30, per_slot: 2, days_ahead: 90 } },
      ],
    };
    assert.deepEqual(bookableCategories(office).map((c) => c.id), ["a", "d"]);
    assert.deepEqual(bookableCategories(null), []);
  });

  test("a listing reaches days_ahead, at most 31 days with today", () => {
    assert.equal(lastBookableDay({ appointments: { days_ahead: 14 } }, "2026-12-07"), "2026-12-21");
    assert.equal(lastBookableDay({ appointments: { days_ahead: 90 } }, "2026-12-07"), "2027-01-06");
    assert.equal(lastBookableDay({ appointments: { days_ahead: 1 } }, "2026-12-31"), "2027-01-01");
  });
});

describe("refusalWindow", () => {
  test("the window of a refusal, on one day or across midnight", () => {
    assert.deepEqual(
      refusalWindow("it is too early to check in: check-in for this appointment is open 2026-12-08 from 09:45 to 10:25"),
      { opensDate: "2026-12-08", opens: "09:45", closesDate: "2026-12-08", closes: "10:25" },
    );
    assert.deepEqual(
      refusalWindow("it is too late to check in: check-in for this appointment was open from 2026-12-07 23:40 to 2026-12-08 00:20"),
      { opensDate: "2026-12-07", opens: "23:40", closesDate: "2026-12-08", closes: "00:20" },
    );
  });

  test("a message without a window gives none", () => {
    assert.equal(refusalWindow("the appointment is cancelled, not booked"), null);
    assert.equal(refusalWindow(undefined), null);
  });
});
