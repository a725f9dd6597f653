// The reports page: a manager picks a range of office days and a grouping, and sees the summary
// report (`GET /api/v1/reports/summary`) as a table and as three charts, prints it, or downloads
// it as CSV.
import { api } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { $, $$, byId } from "/common/dom.js";
import { I18n, clock } from "/common/i18n.js";
import { ErrorBox } from "/common/error-box.js";
import { Login, loginView } from "/common/login.js";
import { columnChart } from "/reports/charts.js";
import { DEFAULT_TARGET, renderStaffing } from "/reports/staffing.js";

const LANGUAGE_KEY = "numerek.reports.language";
const GROUPS = ["category", "counter", "day", "hour"];
/** The summary's columns after the key, in the spec's order. */
const FIELDS = [
  "issued",
  "called",
  "served",
  "no_show",
  "cancelled",
  "wait_avg_s",
  "wait_p50_s",
  "wait_p90_s",
  "wait_max_s",
  "service_avg_s",
  "within_target_pct",
  "appointments",
  "appointments_missed",
  "appointment_delay_avg_s",
  "feedback_count",
  "satisfaction_avg",
];
const DURATIONS = new Set(["wait_avg_s", "wait_p50_s", "wait_p90_s", "wait_max_s", "service_avg_s"]);
/** The four waits: one column group under one heading ("Wait": average, median, …). */
const WAITS = ["wait_avg_s", "wait_p50_s", "wait_p90_s", "wait_max_s"];
/** The booked visits: one column group ("Appointments": checked in, missed, delay). */
const APPOINTMENTS = ["appointments", "appointments_missed", "appointment_delay_avg_s"];
/** Columns under one heading each: the waits, the booked visits, and satisfaction (how many
 * rated, the mean). */
const COLUMN_GROUPS = [
  { heading: "col_wait", fields: WAITS },
  { heading: "col_appointments_group", fields: APPOINTMENTS },
  { heading: "col_satisfaction", fields: ["feedback_count", "satisfaction_avg"] },
];

/** The column group `field` is in, or undefined. */
function groupOf(field) {
  return COLUMN_GROUPS.find((group) => group.fields.includes(field));
}

const i18n = new I18n("reports");
const errors = new ErrorBox(byId("error"), i18n);
const state = {
  office: null,
  /** Today's office day, `YYYY-MM-DD` (from the status). */
  today: null,
  /** The range and grouping shown: {from, to, group}. */
  shown: null,
  /** Summaries of the shown range by grouping. */
  summaries: {},
  /** The staffing advisor's document of the shown range (`target_pct` in it). */
  staffing: null,
  loadedAt: null,
};

// ---------- dates (office days as `YYYY-MM-DD`, computed in UTC so no zone shifts them) ----------

function parseDay(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text || "")) return null;
  const [y, m, d] = text.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 ? date : null;
}

function addDays(text, days) {
  const date = parseDay(text);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Today in the office's zone, when the status cannot be read. */
function localToday() {
  const zone = state.office?.office?.timezone;
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  return parts;
}

function dayLabel(text, options = { day: "2-digit", month: "2-digit", year: "numeric" }) {
  const date = parseDay(text);
  if (!date) return text;
  return new Intl.DateTimeFormat(i18n.locale(), { ...options, timeZone: "UTC" }).format(date);
}

// ---------- numbers ----------

function count(value) {
  return typeof value === "number" ? new Intl.NumberFormat(i18n.locale()).format(value) : "–";
}

function duration(seconds) {
  return typeof seconds === "number" ? clock(Math.round(seconds)) : "–";
}

function percent(value) {
  if (typeof value !== "number") return "–";
  return new Intl.NumberFormat(i18n.locale(), { style: "percent", maximumFractionDigits: 1 }).format(value / 100);
}

/** A mean rating, 1 to 5, with its two decimals ("4,50"). */
function rating(value) {
  if (typeof value !== "number") return "–";
  return new Intl.NumberFormat(i18n.locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** A duration that may be negative (an appointment called before its slot): "−1:30". */
function signedDuration(seconds) {
  if (typeof seconds !== "number") return "–";
  const rounded = Math.round(seconds);
  return rounded < 0 ? `−${clock(-rounded)}` : clock(rounded);
}

function cell(field, value) {
  if (DURATIONS.has(field)) return duration(value);
  if (field === "appointment_delay_avg_s") return signedDuration(value);
  if (field === "within_target_pct") return percent(value);
  if (field === "satisfaction_avg") return rating(value);
  return count(value);
}

function hourLabel(hour) {
  const pad = (h) => String(h).padStart(2, "0");
  return `${pad(hour)}:00–${pad((hour + 1) % 24 === 0 ? 24 : hour + 1)}:00`;
}

// ---------- names ----------

function category(id) {
  return (state.office?.categories || []).find((c) => c.id === id);
}

function keyLabel(group, key) {
  if (group === "category") {
    const c = category(key);
    return c ? `${c.prefix} — ${i18n.pick(c.name)}` : String(key);
  }
  if (group === "counter") {
    if (key === null || key === undefined || key === "") return i18n.t("noCounter");
    const c = (state.office?.counters || []).find((x) => x.id === key);
    return c ? i18n.pick(c.name) : String(key);
  }
  if (group === "day") return dayLabel(key, { weekday: "short", day: "2-digit", month: "2-digit", year: "numeric" });
  if (group === "hour") return hourLabel(Number(key));
  return String(key);
}

// ---------- loading ----------

async function loadOffice() {
  const [office, status] = await Promise.all([api("/office"), api("/status").catch(() => null)]);
  state.office = office;
  markDemo(office);
  i18n.useLanguages(office.office?.languages);
  i18n.timeZone = office.office?.timezone;
  state.today = status?.office_date || localToday();
}

function readForm() {
  const group = $("input[name=group]:checked")?.value || "category";
  return { from: byId("from").value, to: byId("to").value, group };
}

/** Checks the range before asking the server; marks the fields and says what is wrong. */
function validate({ from, to }) {
  const fromOk = !!parseDay(from);
  const toOk = !!parseDay(to);
  byId("from").setAttribute("aria-invalid", String(!fromOk));
  byId("to").setAttribute("aria-invalid", String(!toOk));
  if (!fromOk || !toOk) {
    errors.show("err_dates");
    (fromOk ? byId("to") : byId("from")).focus();
    return false;
  }
  if (from > to) {
    byId("from").setAttribute("aria-invalid", "true");
    errors.show("err_reversed");
    byId("from").focus();
    return false;
  }
  return true;
}

function query({ from, to }, group) {
  return new URLSearchParams({ from, to, group_by: group }).toString();
}

let loading = 0;
/** Loads what the page shows for the form's range and grouping, and renders it. */
async function load() {
  if (!login.token) return;
  const wanted = readForm();
  if (!validate(wanted)) return;
  const sameRange = state.shown && state.shown.from === wanted.from && state.shown.to === wanted.to;
  const cached = sameRange ? state.summaries : {};
  // The table's grouping, and the three the charts need.
  const groups = [...new Set([wanted.group, "hour", "category", "day"])].filter((g) => !cached[g]);
  const target = Number(byId("target-pct").value) || DEFAULT_TARGET;
  const staffingCached = sameRange && state.staffing?.target_pct === target ? state.staffing : null;
  const ticket = ++loading;
  setBusy(true);
  try {
    const staffingQuery = new URLSearchParams({ from: wanted.from, to: wanted.to, target_pct: String(target) });
    const [staffing, ...answers] = await Promise.all([
      staffingCached || api(`/reports/staffing?${staffingQuery}`, { token: login.token }),
      ...groups.map((group) => api(`/reports/summary?${query(wanted, group)}`, { token: login.token })),
    ]);
    if (ticket !== loading) return;
    state.staffing = staffing;
    const summaries = { ...cached };
    groups.forEach((group, i) => {
      summaries[group] = answers[i];
    });
    state.summaries = summaries;
    state.shown = wanted;
    if (groups.length) state.loadedAt = new Date();
    errors.clear();
    remember(wanted);
    render();
    announce(i18n.t("loaded", { rows: (summaries[wanted.group].rows || []).length }));
    document.body.dataset.state = "ready";
  } catch (error) {
    if (ticket !== loading) return;
    login.refused(error);
    errors.show(error);
    document.body.dataset.state = "error";
  } finally {
    if (ticket === loading) setBusy(false);
  }
}

function setBusy(busy) {
  $(".summary").setAttribute("aria-busy", String(busy));
  $(".charts").setAttribute("aria-busy", String(busy));
  $(".staffing").setAttribute("aria-busy", String(busy));
  if (busy) {
    document.body.dataset.state = "loading";
    announce(i18n.t("loading"));
  }
}

function announce(text) {
  byId("loading").textContent = text;
}

/** Keeps the range and grouping in the address (never the token), so a link or reload shows it. */
function remember({ from, to, group }) {
  const fragment = new URLSearchParams({ from, to, group }).toString();
  history.replaceState(null, "", `${location.pathname}${location.search}#${fragment}`);
}

// ---------- CSV ----------

/** Fetches the summary as CSV with the token and saves it as a file. */
async function downloadCsv() {
  if (!login.token) return;
  const wanted = readForm();
  if (!validate(wanted)) return;
  let text;
  try {
    text = await api(`/reports/summary?${query(wanted, wanted.group)}&format=csv`, {
      token: login.token,
      accept: "text/csv",
    });
  } catch (error) {
    login.refused(error);
    errors.show(error);
    return;
  }
  const blob = new Blob([text], { type: "text/csv;charset=utf-8" });
  const name = `numerek-${wanted.from}-${wanted.to}-${wanted.group}.csv`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  errors.clear();
  announce(i18n.t("downloaded", { name }));
}

// ---------- rendering ----------

function render() {
  const office = state.office?.office;
  byId("office-name").textContent = office ? `— ${office.name}` : "";
  document.title = `${i18n.t("title")}${office ? " — " + office.name : ""} — numerek`;
  if (!state.shown) return;
  renderTable();
  renderStaffingSection();
  renderCharts();
  byId("generated").textContent = state.loadedAt
    ? i18n.t("generated", { at: i18n.format(state.loadedAt, { dateStyle: "long", timeStyle: "short" }) })
    : "";
}

function periodText() {
  const { from, to, group } = state.shown;
  return i18n.t("period", { from: dayLabel(from), to: dayLabel(to), group: i18n.t(`group_${group}`) });
}

/**
 * The first office day whose tickets the server still keeps (it deletes older ones at each day's
 * start, `office.retention_days` from the office document), or null when unknown.
 */
function keptFrom() {
  const days = state.office?.office?.retention_days;
  if (!Number.isInteger(days) || !parseDay(state.today)) return null;
  return addDays(state.today, -days);
}

function renderRetention() {
  const note = byId("retention-note");
  const kept = keptFrom();
  const reaches = Boolean(kept && state.shown && state.shown.from < kept);
  note.hidden = !reaches;
  note.textContent = reaches
    ? i18n.t("retention", { days: state.office.office.retention_days, kept: dayLabel(kept) })
    : "";
}

function renderTable() {
  const { from, to, group } = state.shown;
  const summary = state.summaries[group];
  byId("period").textContent = periodText();
  renderRetention();
  byId("summary-caption").textContent = i18n.t("caption", { from: dayLabel(from), to: dayLabel(to), group: i18n.t(`group_${group}`) });
  const table = byId("summary-table");
  table.dataset.group = group;

  // Two header rows: the four waits under one "Wait" heading, the booked visits under
  // "Appointments" and the two figures of satisfaction under theirs (column groups), every
  // other heading over both rows. No word is repeated over a group, so the seventeen columns
  // fit a 1400 px window.
  for (const old of $$("colgroup", table)) old.remove();
  const columns = ["key", ...FIELDS];
  const spans = [];
  for (const field of columns) {
    const inGroup = groupOf(field);
    const last = spans[spans.length - 1];
    if (last && last.group === inGroup) last.span += 1;
    else spans.push({ group: inGroup, span: 1 });
  }
  for (const { span } of spans) {
    const colgroup = document.createElement("colgroup");
    colgroup.span = span;
    table.insertBefore(colgroup, table.tHead);
  }
  const top = document.createElement("tr");
  const sub = document.createElement("tr");
  for (const field of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.field = field;
    th.textContent = field === "key" ? i18n.t(`key_${group}`) : i18n.t(`col_${field}`);
    const inGroup = groupOf(field);
    if (inGroup) {
      if (field === inGroup.fields[0]) {
        const heading = document.createElement("th");
        heading.scope = "colgroup";
        heading.colSpan = inGroup.fields.length;
        heading.className = "group";
        heading.textContent = i18n.t(inGroup.heading);
        top.append(heading);
      }
      sub.append(th);
    } else {
      th.rowSpan = 2;
      top.append(th);
    }
  }
  table.tHead.replaceChildren(top, sub);

  const line = (row, label, total = false) => {
    const tr = document.createElement("tr");
    tr.dataset.key = total ? "total" : String(row.key);
    const th = document.createElement("th");
    th.scope = "row";
    th.dataset.field = "key";
    th.textContent = label;
    tr.append(th);
    for (const field of FIELDS) {
      const td = document.createElement("td");
      td.dataset.field = field;
      td.textContent = cell(field, row[field]);
      tr.append(td);
    }
    return tr;
  };
  const rows = summary.rows || [];
  const body = table.tBodies[0];
  if (rows.length === 0) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = FIELDS.length + 1;
    td.className = "empty";
    td.textContent = i18n.t("noRows");
    tr.append(td);
    body.replaceChildren(tr);
  } else {
    body.replaceChildren(...rows.map((row) => line(row, keyLabel(group, row.key))));
  }
  table.tFoot.replaceChildren(line(summary.total || {}, i18n.t("total"), true));
}

/** A weekday's short name (`mon` → "pon."), from a Monday in UTC. */
function weekdayLabel(day) {
  const index = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].indexOf(day);
  const date = new Date(Date.UTC(2024, 0, 1 + Math.max(0, index)));
  return new Intl.DateTimeFormat(i18n.locale(), { weekday: "short", timeZone: "UTC" }).format(date);
}

function renderStaffingSection() {
  const staffing = state.staffing;
  byId("staffing-intro").textContent = i18n.t("staffingIntro", { target: percent(staffing?.target_pct ?? DEFAULT_TARGET) });
  if (!staffing) return;
  renderStaffing(byId("staffing"), staffing, {
    i18n,
    office: state.office,
    number: (value) => new Intl.NumberFormat(i18n.locale(), { maximumFractionDigits: 2 }).format(value),
    duration,
    percent,
    categoryLabel: (id) => keyLabel("category", id),
    weekdayLabel,
    hourLabel,
  });
}

const minutesAxis = (v) => new Intl.NumberFormat(i18n.locale(), { maximumFractionDigits: 1 }).format(v);
const waitFormat = (minutes) => clock(Math.round(minutes * 60));
const toMinutes = (seconds) => (typeof seconds === "number" ? seconds / 60 : null);

function renderCharts() {
  const period = periodText();
  renderHourChart(period);
  renderCategoryChart(period);
  renderDayChart(period);
}

function renderHourChart(period) {
  const rows = state.summaries.hour?.rows || [];
  const byHour = new Map(rows.map((r) => [Number(r.key), r]));
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const all = [];
  if (hours.length) for (let h = hours[0]; h <= hours[hours.length - 1]; h += 1) all.push(h);
  const value = (h, field) => (byHour.has(h) ? byHour.get(h)[field] : null);
  const issued = all.map((h) => value(h, "issued") ?? 0);
  const avg = all.map((h) => toMinutes(value(h, "wait_avg_s")));
  const p90 = all.map((h) => toMinutes(value(h, "wait_p90_s")));
  let desc = "";
  if (all.length) {
    const busiest = all[issued.indexOf(Math.max(...issued))];
    desc = i18n.t("hourDesc", { first: hourLabel(all[0]).slice(0, 5), last: hourLabel(all[all.length - 1]).slice(6), period, count: Math.max(...issued), busiest: hourLabel(busiest) });
    const waits = avg.filter((v) => v !== null);
    if (waits.length) {
      const longest = all[avg.indexOf(Math.max(...waits))];
      desc += i18n.t("hourDescWait", { hour: hourLabel(longest), wait: waitFormat(Math.max(...waits)) });
    }
  }
  columnChart(byId("chart-hour"), {
    title: i18n.t("hourTitle"),
    desc,
    labels: all.map(String),
    rowLabels: all.map(hourLabel),
    rowHeader: i18n.t("key_hour"),
    series: [
      { key: "issued", name: i18n.t("issuedSeries"), kind: "bar", values: issued },
      { key: "wait_avg", name: i18n.t("waitAvgSeries"), kind: "line", axis: "right", marker: "circle", values: avg, format: waitFormat },
      { key: "wait_p90", name: i18n.t("waitP90Series"), kind: "line", axis: "right", style: "dashed", marker: "square", values: p90, format: waitFormat },
    ],
    left: { label: i18n.t("issuedAxis"), format: (v) => count(v), integer: true },
    right: { label: i18n.t("waitAxis"), format: minutesAxis, atLeast: 1 },
    xLabel: i18n.t("hourAxis"),
    empty: i18n.t("chartEmpty"),
    dataLabel: i18n.t("chartData"),
  });
}

function renderCategoryChart(period) {
  const rows = state.summaries.category?.rows || [];
  const maxChars = Math.max(3, Math.floor(668 / Math.max(1, rows.length) / 7.5));
  const short = (row) => {
    const c = category(row.key);
    const text = c ? `${c.prefix} ${i18n.pick(c.name)}` : String(row.key);
    return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
  };
  const target = (row) => {
    const c = category(row.key);
    return c && typeof c.target_wait_s === "number" ? c.target_wait_s / 60 : null;
  };
  const over = rows
    .filter((row) => typeof row.wait_avg_s === "number" && target(row) !== null && row.wait_avg_s / 60 > target(row))
    .map((row) => keyLabel("category", row.key));
  const anyCalled = rows.some((row) => typeof row.wait_avg_s === "number");
  let desc = i18n.t("categoryDesc", { period });
  if (over.length) desc += i18n.t("categoryDescOver", { list: over.join(", ") });
  else if (anyCalled) desc += i18n.t("categoryDescWithin");
  columnChart(byId("chart-category"), {
    title: i18n.t("categoryTitle"),
    desc,
    labels: rows.map(short),
    rowLabels: rows.map((row) => keyLabel("category", row.key)),
    rowHeader: i18n.t("key_category"),
    series: [
      { key: "wait_avg", name: i18n.t("waitAvgSeries"), kind: "bar", values: rows.map((r) => toMinutes(r.wait_avg_s)), format: waitFormat },
      { key: "wait_p90", name: i18n.t("waitP90Series"), kind: "bar", style: "hatched", values: rows.map((r) => toMinutes(r.wait_p90_s)), format: waitFormat },
      { key: "target", name: i18n.t("targetSeries"), kind: "target", values: rows.map(target), format: waitFormat },
    ],
    left: { label: i18n.t("categoryAxis"), format: minutesAxis, atLeast: 1 },
    empty: i18n.t("chartEmpty"),
    dataLabel: i18n.t("chartData"),
  });
}

function renderDayChart(period) {
  const rows = state.summaries.day?.rows || [];
  const values = rows.map((r) => (typeof r.within_target_pct === "number" ? r.within_target_pct : null));
  const known = rows.filter((r, i) => values[i] !== null);
  let desc = i18n.t("dayDescNone", { period });
  if (known.length) {
    const low = known.reduce((a, b) => (b.within_target_pct < a.within_target_pct ? b : a));
    const high = known.reduce((a, b) => (b.within_target_pct > a.within_target_pct ? b : a));
    desc = i18n.t("dayDesc", {
      days: rows.length,
      period,
      low: percent(low.within_target_pct),
      lowDay: dayLabel(low.key),
      high: percent(high.within_target_pct),
      highDay: dayLabel(high.key),
    });
  }
  columnChart(byId("chart-day"), {
    title: i18n.t("dayTitle"),
    desc,
    labels: rows.map((r) => dayLabel(r.key, { day: "2-digit", month: "2-digit" })),
    rowLabels: rows.map((r) => keyLabel("day", r.key)),
    rowHeader: i18n.t("key_day"),
    series: [{ key: "within_target", name: i18n.t("withinSeries"), kind: "bar", values, valueLabels: rows.length <= 16, format: percent }],
    left: { label: i18n.t("dayAxis"), format: (v) => `${v}`, max: 100 },
    empty: i18n.t("chartEmpty"),
    dataLabel: i18n.t("chartData"),
  });
}

// ---------- sign-in ----------

/**
 * The manager's token. A refused one signs the page out: 401, and 403 too (a token of a role
 * that may not see reports), as nothing here is for it.
 */
const login = new Login("reports", {
  refusedBy: [401, 403],
  view: loginView("content"),
  onSignIn: () => {
    errors.clear();
    byId("from").focus();
    load();
  },
  onSignOut: () => {
    state.summaries = {};
    state.staffing = null;
    state.shown = null;
    errors.clear();
  },
});

// ---------- start ----------

function setRange(from, to) {
  byId("from").value = from;
  byId("to").value = to;
}

function wire() {
  i18n.onChange(render);
  i18n.bindSwitch(byId("language-switch"));

  byId("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  for (const radio of $$("input[name=group]")) {
    radio.addEventListener("change", () => load());
  }
  for (const button of $$("[data-preset]")) {
    button.addEventListener("click", () => {
      const days = Number(button.dataset.preset);
      setRange(addDays(state.today, 1 - days), state.today);
      load();
    });
  }
  byId("target-pct").addEventListener("change", () => load());
  byId("download-csv").addEventListener("click", downloadCsv);
  byId("print").addEventListener("click", () => window.print());
}

async function start() {
  wire();
  const params = login.params;
  i18n.remember(LANGUAGE_KEY);
  try {
    await loadOffice();
  } catch (error) {
    errors.show(error);
  }
  i18n.set(i18n.language);
  if (!state.today) state.today = localToday();

  // The range: from the address when given, else the last 7 office days up to today.
  const from = parseDay(params.get("from")) ? params.get("from") : addDays(state.today, -6);
  const to = parseDay(params.get("to")) ? params.get("to") : state.today;
  setRange(from, to);
  const group = GROUPS.includes(params.get("group")) ? params.get("group") : "category";
  $(`input[name=group][value=${group}]`).checked = true;

  login.show();
  if (login.token) {
    await load();
  } else {
    render();
    document.body.dataset.state = "login";
  }
}

start();
