// The staffing advisor on the reports page (`GET /api/v1/reports/staffing`): for each matter a
// weekday × hour grid of the counters needed (Erlang C) against the counters staffed on
// average, a shortfall marked by a word and a sign as well as by its colour, each shortfall
// linked to the counters that could be moved there, and every figure in a table behind it.
import { element } from "/common/dom.js";

/** Weekdays as the API names them, from Monday. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** The share of waits within target the page asks for unless the manager picks another. */
export const DEFAULT_TARGET = 80;

/** The columns of the table behind the grids, in the API's order. */
const COLUMNS = [
  "category",
  "weekday",
  "hour",
  "days",
  "arrivals_per_h",
  "service_avg_s",
  "counters_staffed_avg",
  "counters_needed",
  "predicted_within_target_pct",
];

/** How many counters a row is short of what the model needs (0 when enough or unknown). */
export function shortfall(row) {
  if (typeof row.counters_staffed_avg !== "number") return 0;
  return Math.max(0, row.counters_needed - row.counters_staffed_avg);
}

/**
 * The counters that could be moved to `categoryId`: those the office file lets a clerk switch
 * to it (`may_serve`) without serving it already; when there are none, every counter that does
 * not serve it (a manager may move any). Each as `{counter, clerk}`, `clerk` when its own clerk
 * may switch it.
 */
export function movable(office, categoryId) {
  const counters = office?.counters || [];
  const others = counters.filter((c) => !(c.categories || []).includes(categoryId));
  const byClerk = others.filter((c) => (c.may_serve || []).includes(categoryId));
  if (byClerk.length) return byClerk.map((counter) => ({ counter, clerk: true }));
  return others.map((counter) => ({ counter, clerk: false }));
}

/**
 * Renders the staffing document `staffing` into `container` (the section's body).
 * `view` gives the page's texts and formats: `{i18n, office, number, duration, percent,
 * categoryLabel, weekdayLabel, hourLabel}`.
 */
export function renderStaffing(container, staffing, view) {
  const { i18n } = view;
  const rows = staffing?.rows || [];
  if (rows.length === 0) {
    container.replaceChildren(element("p", "staffing-empty", i18n.t("staffingNone")));
    return;
  }
  const parts = [];
  const categories = [...new Set(rows.map((r) => r.category))];
  for (const categoryId of categories) {
    parts.push(categoryGrid(categoryId, rows.filter((r) => r.category === categoryId), view));
  }
  parts.push(dataTable(rows, view));
  container.replaceChildren(...parts);
}

function anchor(row) {
  return `short-${row.category}-${row.weekday}-${row.hour}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** One matter: its grid, then the list of its shortfalls with the counters that could move. */
function categoryGrid(categoryId, rows, view) {
  const { i18n } = view;
  const wrap = element("section", "staffing-category");
  wrap.dataset.category = categoryId;
  const headingId = `staffing-${categoryId}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const heading = element("h3", "", view.categoryLabel(categoryId));
  heading.id = headingId;
  wrap.setAttribute("aria-labelledby", headingId);

  const days = WEEKDAYS.filter((d) => rows.some((r) => r.weekday === d));
  const hours = [...new Set(rows.map((r) => r.hour))].sort((a, b) => a - b);
  const at = new Map(rows.map((r) => [`${r.weekday}-${r.hour}`, r]));

  const table = element("table", "staffing-grid");
  table.dataset.testid = `staffing-grid-${categoryId}`;
  table.append(element("caption", "", i18n.t("staffingGridCaption", { category: view.categoryLabel(categoryId) })));
  const head = element("tr");
  head.append(Object.assign(element("th", "", i18n.t("staffingHour")), { scope: "col" }));
  for (const day of days) head.append(Object.assign(element("th", "", view.weekdayLabel(day)), { scope: "col" }));
  const thead = element("thead");
  thead.append(head);
  const tbody = element("tbody");
  for (const hour of hours) {
    const tr = element("tr");
    tr.append(Object.assign(element("th", "", view.hourLabel(hour)), { scope: "row" }));
    for (const day of days) tr.append(gridCell(at.get(`${day}-${hour}`), view));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const scroll = element("div", "table-wrap");
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "region");
  scroll.setAttribute("aria-labelledby", headingId);
  scroll.append(table);

  const short = rows.filter((r) => shortfall(r) > 0);
  const list = element("ul", "shortfalls");
  list.dataset.testid = `shortfalls-${categoryId}`;
  for (const row of short) {
    const li = element("li");
    li.id = anchor(row);
    li.tabIndex = -1;
    li.append(
      element(
        "span",
        "",
        i18n.t("staffingMove", {
          when: `${view.weekdayLabel(row.weekday)} ${view.hourLabel(row.hour)}`,
          count: view.number(shortfall(row)),
        }) + " ",
      ),
    );
    const candidates = movable(view.office, categoryId);
    if (candidates.length === 0) {
      li.append(element("span", "", i18n.t("staffingNoCounter")));
    }
    candidates.forEach(({ counter, clerk }, i) => {
      const link = element("a", "", i18n.pick(counter.name));
      link.href = `/counter/#counter=${encodeURIComponent(counter.id)}`;
      link.dataset.counter = counter.id;
      li.append(link);
      if (clerk) li.append(` ${i18n.t("staffingMayServe")}`);
      if (i < candidates.length - 1) li.append(", ");
    });
    list.append(li);
  }
  const summary = element("p", "staffing-verdict", short.length ? i18n.t("staffingShortfalls") : i18n.t("staffingNoShort"));
  wrap.append(heading, scroll, summary);
  if (short.length) wrap.append(list);
  return wrap;
}

/** One cell: "needed / staffed"; short ones say so in words and link to their shortfall. */
function gridCell(row, view) {
  const { i18n } = view;
  const td = element("td");
  if (!row) {
    td.className = "none";
    td.textContent = "–";
    td.setAttribute("aria-label", i18n.t("staffingNoArrivals"));
    return td;
  }
  const staffed = typeof row.counters_staffed_avg === "number" ? view.number(row.counters_staffed_avg) : "–";
  const figures = element("span", "figures", `${row.counters_needed} / ${staffed}`);
  td.append(figures);
  const missing = shortfall(row);
  if (missing > 0) {
    td.className = "short";
    const link = element("a", "mark", `▲ ${i18n.t("staffingShort", { count: view.number(missing) })}`);
    link.href = `#${anchor(row)}`;
    td.append(link);
  } else if (typeof row.counters_staffed_avg === "number") {
    td.className = "enough";
  } else {
    td.className = "unknown";
    td.append(element("span", "mark", i18n.t("staffingNoRecord")));
  }
  td.dataset.weekday = row.weekday;
  td.dataset.hour = String(row.hour);
  return td;
}

/** Every figure of every row, in a table behind a disclosure (as the charts have theirs). */
function dataTable(rows, view) {
  const { i18n } = view;
  const details = element("details", "staffing-data");
  details.append(element("summary", "", i18n.t("staffingData")));
  const table = element("table");
  table.dataset.testid = "staffing-table";
  table.append(element("caption", "sr-only", i18n.t("staffingData")));
  const head = element("tr");
  for (const column of COLUMNS) {
    head.append(Object.assign(element("th", "", i18n.t(`staffingCol_${column}`)), { scope: "col" }));
  }
  const thead = element("thead");
  thead.append(head);
  const tbody = element("tbody");
  for (const row of rows) {
    const tr = element("tr");
    const value = {
      category: view.categoryLabel(row.category),
      weekday: view.weekdayLabel(row.weekday),
      hour: view.hourLabel(row.hour),
      days: view.number(row.days),
      arrivals_per_h: view.number(row.arrivals_per_h),
      service_avg_s: view.duration(row.service_avg_s),
      counters_staffed_avg: typeof row.counters_staffed_avg === "number" ? view.number(row.counters_staffed_avg) : "–",
      counters_needed: view.number(row.counters_needed),
      predicted_within_target_pct: view.percent(row.predicted_within_target_pct),
    };
    COLUMNS.forEach((column, i) => {
      const cell = i === 0 ? Object.assign(element("th", "", value[column]), { scope: "row" }) : element("td", "", value[column]);
      cell.dataset.field = column;
      tr.append(cell);
    });
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const scroll = element("div", "table-wrap");
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "region");
  scroll.setAttribute("aria-label", i18n.t("staffingData"));
  scroll.append(table);
  details.append(scroll);
  return details;
}
