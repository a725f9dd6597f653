// The reports page: a manager picks a range of office days and a grouping, and sees the summary
// report (`GET /api/v1/reports/summary`) as a table and as three charts, prints it, or downloads
// it as CSV.
import { api, ApiError, describeError } from "/common/api.js";
import { markDemo } from "/common/demo.js";
import { I18n, clock } from "/common/i18n.js";
import { takeToken, saveToken, forgetToken } from "/common/token.js";
import { columnChart } from "/reports/charts.js";

const PAGE = "reports";
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
];
const DURATIONS = new Set(["wait_avg_s", "wait_p50_s", "wait_p90_s", "wait_max_s", "service_avg_s"]);
/** The four waits: one column group under one heading ("Wait": average, median, …). */
const WAITS = ["wait_avg_s", "wait_p50_s", "wait_p90_s", "wait_max_s"];

const dictionary = {
  pl: {
    skip: "Przejdź do raportu",
    title: "Raporty",
    signOut: "Wyloguj",
    switchTo: "English",
    loginHeading: "Zaloguj się do raportów",
    tokenLabel: "Token dostępu kierownika",
    tokenHint: "Raporty wymagają tokenu roli „manager” lub „admin”. Token zaczyna się od „nmk_”.",
    loginSave: "Zaloguj",
    filtersHeading: "Zakres raportu",
    from: "Od dnia",
    to: "Do dnia",
    presets: "Szybki wybór zakresu",
    presetToday: "Dziś",
    preset7: "7 dni",
    preset30: "30 dni",
    groupBy: "Grupuj według",
    group_category: "kategorii",
    group_counter: "stanowiska",
    group_day: "dnia",
    group_hour: "godziny wydania",
    show: "Pokaż raport",
    downloadCsv: "Pobierz CSV",
    print: "Drukuj",
    rangeHint: "Dni urzędowe w strefie czasowej urzędu, oba dni włącznie, najwyżej 366 dni.",
    summaryHeading: "Podsumowanie",
    definitions:
      "Oczekiwanie: od wydania numeru do pierwszego wezwania. Obsługa: od ostatniego wezwania do zakończenia. Czasy w minutach i sekundach (min:s). „W celu”: odsetek wezwanych, którzy czekali nie dłużej niż cel swojej kategorii.",
    chartsHeading: "Wykresy",
    period: "{from} – {to} · według {group}",
    retention:
      "Urząd przechowuje dane o numerkach przez {days} dni: dane sprzed {kept} zostały usunięte, więc raport obejmuje tylko dni od {kept}.",
    caption: "Podsumowanie od {from} do {to} według {group}",
    generated: "Dane z {at}.",
    loading: "Wczytywanie raportu…",
    loaded: "Raport wczytany: {rows} wierszy.",
    downloaded: "Pobrano plik {name}.",
    key_category: "Kategoria",
    key_counter: "Stanowisko",
    key_day: "Dzień",
    key_hour: "Godzina wydania",
    total: "Razem",
    noCounter: "(bez stanowiska)",
    noRows: "Brak numerków w tym okresie.",
    col_issued: "Wydane",
    col_called: "Wezwane",
    col_served: "Obsłużone",
    col_no_show: "Nieobecni",
    col_cancelled: "Anulowane",
    col_wait: "Oczekiwanie",
    col_wait_avg_s: "średnio",
    col_wait_p50_s: "mediana",
    col_wait_p90_s: "90. percentyl",
    col_wait_max_s: "najdłużej",
    col_service_avg_s: "Obsługa średnio",
    col_within_target_pct: "W celu",
    chartData: "Dane wykresu w tabeli",
    chartEmpty: "Brak danych w tym okresie.",
    hourTitle: "Numerki i czas oczekiwania według godziny wydania",
    hourAxis: "godzina wydania",
    issuedAxis: "wydane numerki",
    waitAxis: "oczekiwanie (min)",
    issuedSeries: "Wydane numerki",
    waitAvgSeries: "Oczekiwanie średnio",
    waitP90Series: "Oczekiwanie 90. percentyl",
    hourDesc: "Wykres kolumnowy wydanych numerków z liniami średniego oczekiwania i 90. percentyla, dla godzin {first}–{last}, {period}. Najwięcej numerków ({count}) wydano w godzinie {busiest}.",
    hourDescWait: " Najdłużej średnio czekali wydani w godzinie {hour} ({wait}).",
    categoryTitle: "Oczekiwanie według kategorii na tle celu",
    categoryAxis: "oczekiwanie (min)",
    targetSeries: "Cel kategorii",
    categoryDesc: "Wykres kolumnowy średniego oczekiwania i 90. percentyla w każdej kategorii, z celem kategorii jako przerywaną kreską, {period}.",
    categoryDescOver: " Średnie oczekiwanie przekroczyło cel w kategoriach: {list}.",
    categoryDescWithin: " Średnie oczekiwanie mieściło się w celu we wszystkich kategoriach z wezwanymi numerkami.",
    dayTitle: "Odsetek wezwanych w celu według dnia",
    dayAxis: "w celu (%)",
    withinSeries: "Wezwani w celu",
    dayDesc: "Wykres kolumnowy odsetka wezwanych, którzy czekali nie dłużej niż cel, dla {days} dni, {period}. Najniższy: {low} ({lowDay}), najwyższy: {high} ({highDay}).",
    dayDescNone: "Wykres kolumnowy odsetka wezwanych w celu według dnia, {period}; nikogo nie wezwano.",
    err_unauthorized: "Ten token nie jest ważny (wygasł lub został odwołany). Zaloguj się ponownie.",
    err_forbidden: "Ten token nie pozwala oglądać raportów: potrzebny jest token roli „manager” lub „admin”.",
    err_invalid_request: "Serwer nie przyjął zakresu: {message}",
    err_not_found: "Ten serwer nie udostępnia raportów.",
    err_offline: "Nie można połączyć się z serwerem. Sprawdź sieć i spróbuj ponownie.",
    err_rate_limited: "Zbyt wiele zapytań naraz. Odczekaj chwilę.",
    err_storage_unavailable: "Serwer chwilowo nie może odczytać danych. Spróbuj za chwilę.",
    err_other: "Coś poszło nie tak ({message}).",
    err_dates: "Podaj obie daty (dzień, miesiąc i rok).",
    err_reversed: "Data początkowa jest późniejsza niż końcowa.",
  },
  en: {
    skip: "Skip to the report",
    title: "Reports",
    signOut: "Sign out",
    switchTo: "Polski",
    loginHeading: "Sign in to the reports",
    tokenLabel: "Manager access token",
    tokenHint: "Reports need a token of the “manager” or “admin” role. The token starts with “nmk_”.",
    loginSave: "Sign in",
    filtersHeading: "Report range",
    from: "From",
    to: "To",
    presets: "Quick range",
    presetToday: "Today",
    preset7: "7 days",
    preset30: "30 days",
    groupBy: "Group by",
    group_category: "category",
    group_counter: "counter",
    group_day: "day",
    group_hour: "hour of issue",
    show: "Show report",
    downloadCsv: "Download CSV",
    print: "Print",
    rangeHint: "Office days in the office's time zone, both days included, at most 366 days.",
    summaryHeading: "Summary",
    definitions:
      "Wait: from the issue of the ticket to its first call. Service: from the last call to the finish. Times in minutes and seconds (min:s). “Within target”: the share of called tickets that waited no longer than their category's target.",
    chartsHeading: "Charts",
    period: "{from} – {to} · by {group}",
    retention:
      "The office keeps ticket data for {days} days: data from before {kept} has been deleted, so the report covers only the days from {kept}.",
    caption: "Summary from {from} to {to} by {group}",
    generated: "Data as of {at}.",
    loading: "Loading the report…",
    loaded: "Report loaded: {rows} rows.",
    downloaded: "Downloaded {name}.",
    key_category: "Category",
    key_counter: "Counter",
    key_day: "Day",
    key_hour: "Hour of issue",
    total: "Total",
    noCounter: "(no counter)",
    noRows: "No tickets in this period.",
    col_issued: "Issued",
    col_called: "Called",
    col_served: "Served",
    col_no_show: "No-shows",
    col_cancelled: "Cancelled",
    col_wait: "Wait",
    col_wait_avg_s: "average",
    col_wait_p50_s: "median",
    col_wait_p90_s: "90th percentile",
    col_wait_max_s: "longest",
    col_service_avg_s: "Service average",
    col_within_target_pct: "Within target",
    chartData: "Chart data as a table",
    chartEmpty: "No data in this period.",
    hourTitle: "Tickets and wait by hour of issue",
    hourAxis: "hour of issue",
    issuedAxis: "tickets issued",
    waitAxis: "wait (min)",
    issuedSeries: "Tickets issued",
    waitAvgSeries: "Wait average",
    waitP90Series: "Wait 90th percentile",
    hourDesc: "Column chart of tickets issued, with lines of the average and 90th percentile wait, for the hours {first}–{last}, {period}. Most tickets ({count}) were issued in the hour {busiest}.",
    hourDescWait: " Tickets issued in the hour {hour} waited longest on average ({wait}).",
    categoryTitle: "Wait by category against its target",
    categoryAxis: "wait (min)",
    targetSeries: "Category target",
    categoryDesc: "Column chart of the average and 90th percentile wait in each category, with the category's target as a dashed mark, {period}.",
    categoryDescOver: " The average wait exceeded the target in: {list}.",
    categoryDescWithin: " The average wait was within the target in every category with called tickets.",
    dayTitle: "Share of called tickets within target by day",
    dayAxis: "within target (%)",
    withinSeries: "Called within target",
    dayDesc: "Column chart of the share of called tickets that waited no longer than the target, for {days} days, {period}. Lowest: {low} ({lowDay}), highest: {high} ({highDay}).",
    dayDescNone: "Column chart of the share of called tickets within target by day, {period}; nobody was called.",
    err_unauthorized: "This token is not valid (expired or revoked). Please sign in again.",
    err_forbidden: "This token may not see reports: a token of the “manager” or “admin” role is needed.",
    err_invalid_request: "The server refused the range: {message}",
    err_not_found: "This server offers no reports.",
    err_offline: "The server cannot be reached. Check the network and try again.",
    err_rate_limited: "Too many requests at once. Please wait a moment.",
    err_storage_unavailable: "The server cannot read its data right now. Try again shortly.",
    err_other: "Something went wrong ({message}).",
    err_dates: "Enter both dates (day, month and year).",
    err_reversed: "The start date is after the end date.",
  },
};

const $ = (selector) => document.querySelector(selector);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const i18n = new I18n(dictionary, ["pl", "en"]);
const state = {
  token: null,
  office: null,
  /** Today's office day, `YYYY-MM-DD` (from the status). */
  today: null,
  /** The range and grouping shown: {from, to, group}. */
  shown: null,
  /** Summaries of the shown range by grouping. */
  summaries: {},
  loadedAt: null,
  errorKey: null,
  errorParams: {},
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

function cell(field, value) {
  if (DURATIONS.has(field)) return duration(value);
  if (field === "within_target_pct") return percent(value);
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

// ---------- errors ----------

function showError(error) {
  const { key, params } = describeError(error, dictionary.pl);
  state.errorKey = key;
  state.errorParams = params;
  renderError();
}

function clearError() {
  state.errorKey = null;
  renderError();
}

function renderError() {
  byTestId("error").textContent = state.errorKey ? i18n.t(state.errorKey, state.errorParams) : "";
}

/** A refused token: forget it and ask for another. */
function handleAuthError(error) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    forgetToken(PAGE);
    state.token = null;
    state.summaries = {};
    showLogin();
  }
}

// ---------- loading ----------

async function loadOffice() {
  const [office, status] = await Promise.all([api("/office"), api("/status").catch(() => null)]);
  state.office = office;
  markDemo(office);
  const languages = office.office?.languages || ["pl", "en"];
  i18n.languages = languages.filter((l) => dictionary[l]);
  if (i18n.languages.length === 0) i18n.languages = ["pl", "en"];
  i18n.timeZone = office.office?.timezone;
  state.today = status?.office_date || localToday();
}

function readForm() {
  const group = document.querySelector("input[name=group]:checked")?.value || "category";
  return { from: byTestId("from").value, to: byTestId("to").value, group };
}

/** Checks the range before asking the server; marks the fields and says what is wrong. */
function validate({ from, to }) {
  const fromOk = !!parseDay(from);
  const toOk = !!parseDay(to);
  byTestId("from").setAttribute("aria-invalid", String(!fromOk));
  byTestId("to").setAttribute("aria-invalid", String(!toOk));
  if (!fromOk || !toOk) {
    showError("err_dates");
    (fromOk ? byTestId("to") : byTestId("from")).focus();
    return false;
  }
  if (from > to) {
    byTestId("from").setAttribute("aria-invalid", "true");
    showError("err_reversed");
    byTestId("from").focus();
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
  if (!state.token) return;
  const wanted = readForm();
  if (!validate(wanted)) return;
  const sameRange = state.shown && state.shown.from === wanted.from && state.shown.to === wanted.to;
  const cached = sameRange ? state.summaries : {};
  // The table's grouping, and the three the charts need.
  const groups = [...new Set([wanted.group, "hour", "category", "day"])].filter((g) => !cached[g]);
  const ticket = ++loading;
  setBusy(true);
  try {
    const answers = await Promise.all(
      groups.map((group) => api(`/reports/summary?${query(wanted, group)}`, { token: state.token })),
    );
    if (ticket !== loading) return;
    const summaries = { ...cached };
    groups.forEach((group, i) => {
      summaries[group] = answers[i];
    });
    state.summaries = summaries;
    state.shown = wanted;
    if (groups.length) state.loadedAt = new Date();
    clearError();
    remember(wanted);
    render();
    announce(i18n.t("loaded", { rows: (summaries[wanted.group].rows || []).length }));
    document.body.dataset.state = "ready";
  } catch (error) {
    if (ticket !== loading) return;
    handleAuthError(error);
    showError(error);
    document.body.dataset.state = "error";
  } finally {
    if (ticket === loading) setBusy(false);
  }
}

function setBusy(busy) {
  $(".summary").setAttribute("aria-busy", String(busy));
  $(".charts").setAttribute("aria-busy", String(busy));
  if (busy) {
    document.body.dataset.state = "loading";
    announce(i18n.t("loading"));
  }
}

function announce(text) {
  byTestId("loading").textContent = text;
}

/** Keeps the range and grouping in the address (never the token), so a link or reload shows it. */
function remember({ from, to, group }) {
  const fragment = new URLSearchParams({ from, to, group }).toString();
  history.replaceState(null, "", `${location.pathname}${location.search}#${fragment}`);
}

// ---------- CSV ----------

/** Fetches the summary as CSV with the token and saves it as a file. */
async function downloadCsv() {
  if (!state.token) return;
  const wanted = readForm();
  if (!validate(wanted)) return;
  let response;
  try {
    response = await fetch(`/api/v1/reports/summary?${query(wanted, wanted.group)}&format=csv`, {
      headers: { Authorization: `Bearer ${state.token}`, Accept: "text/csv" },
      cache: "no-store",
    });
  } catch {
    showError(new ApiError(0, "offline", "The server cannot be reached."));
    return;
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON: reported by status.
    }
    const error = new ApiError(response.status, body?.error?.code || `http_${response.status}`, body?.error?.message || `HTTP ${response.status}`);
    handleAuthError(error);
    showError(error);
    return;
  }
  const text = await response.text();
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
  clearError();
  announce(i18n.t("downloaded", { name }));
}

// ---------- rendering ----------

function render() {
  renderError();
  const office = state.office?.office;
  $("#office-name").textContent = office ? `— ${office.name}` : "";
  document.title = `${i18n.t("title")}${office ? " — " + office.name : ""} — numerek`;
  if (!state.shown) return;
  renderTable();
  renderCharts();
  $("#generated").textContent = state.loadedAt
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
  const note = byTestId("retention-note");
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
  byTestId("period").textContent = periodText();
  renderRetention();
  $("#summary-caption").textContent = i18n.t("caption", { from: dayLabel(from), to: dayLabel(to), group: i18n.t(`group_${group}`) });
  const table = byTestId("summary-table");
  table.dataset.group = group;

  // Two header rows: the four waits under one "Wait" heading (their column group), every other
  // heading over both rows. The word is not repeated four times, so the twelve columns fit a
  // 1400 px window.
  for (const old of table.querySelectorAll("colgroup")) old.remove();
  const before = FIELDS.indexOf(WAITS[0]) + 1;
  for (const span of [before, WAITS.length, FIELDS.length + 1 - before - WAITS.length]) {
    const colgroup = document.createElement("colgroup");
    colgroup.span = span;
    table.insertBefore(colgroup, table.tHead);
  }
  const top = document.createElement("tr");
  const sub = document.createElement("tr");
  for (const field of ["key", ...FIELDS]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.dataset.field = field;
    th.textContent = field === "key" ? i18n.t(`key_${group}`) : i18n.t(`col_${field}`);
    if (WAITS.includes(field)) {
      if (field === WAITS[0]) {
        const wait = document.createElement("th");
        wait.scope = "colgroup";
        wait.colSpan = WAITS.length;
        wait.className = "group";
        wait.textContent = i18n.t("col_wait");
        top.append(wait);
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
  columnChart(byTestId("chart-hour"), {
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
  columnChart(byTestId("chart-category"), {
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
  columnChart(byTestId("chart-day"), {
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

function showLogin() {
  $("#login").hidden = false;
  $("#content").hidden = true;
  $("#sign-out").hidden = true;
  byTestId("login-token").value = "";
}

function showContent() {
  $("#login").hidden = true;
  $("#content").hidden = false;
  $("#sign-out").hidden = false;
}

// ---------- start ----------

function setRange(from, to) {
  byTestId("from").value = from;
  byTestId("to").value = to;
}

function wire() {
  const langButton = byTestId("language-switch");
  i18n.onChange(() => {
    langButton.textContent = i18n.t("switchTo");
    langButton.lang = i18n.next();
    render();
  });
  langButton.addEventListener("click", () => i18n.choose(i18n.next()));

  $("#login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = byTestId("login-token").value.trim();
    if (!token) return;
    state.token = token;
    saveToken(PAGE, token);
    clearError();
    showContent();
    byTestId("from").focus();
    load();
  });

  $("#sign-out").addEventListener("click", () => {
    forgetToken(PAGE);
    state.token = null;
    state.summaries = {};
    state.shown = null;
    clearError();
    showLogin();
    byTestId("login-token").focus();
  });

  $("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  for (const radio of document.querySelectorAll("input[name=group]")) {
    radio.addEventListener("change", () => load());
  }
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.addEventListener("click", () => {
      const days = Number(button.dataset.preset);
      setRange(addDays(state.today, 1 - days), state.today);
      load();
    });
  }
  byTestId("download-csv").addEventListener("click", downloadCsv);
  byTestId("print").addEventListener("click", () => window.print());
}

async function start() {
  wire();
  const { token, params } = takeToken(PAGE);
  state.token = token;
  i18n.remember(LANGUAGE_KEY);
  try {
    await loadOffice();
  } catch (error) {
    showError(error);
  }
  if (!i18n.languages.includes(i18n.language)) i18n.language = i18n.languages[0];
  i18n.set(i18n.language);
  if (!state.today) state.today = localToday();

  // The range: from the address when given, else the last 7 office days up to today.
  const from = parseDay(params.get("from")) ? params.get("from") : addDays(state.today, -6);
  const to = parseDay(params.get("to")) ? params.get("to") : state.today;
  setRange(from, to);
  const group = GROUPS.includes(params.get("group")) ? params.get("group") : "category";
  document.querySelector(`input[name=group][value=${group}]`).checked = true;

  if (state.token) {
    showContent();
    await load();
  } else {
    showLogin();
    render();
    document.body.dataset.state = "login";
  }
}

start();
