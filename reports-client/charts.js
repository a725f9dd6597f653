// Charts as inline SVG, drawn by the reports page itself: no library, nothing from the network,
// nothing that the page's Content-Security-Policy would refuse (no inline styles or scripts).
//
// A chart fills a <figure>: a caption; the SVG, with role="img", named by its <title> and
// described by its <desc> (a sentence that says what the chart shows); a legend in HTML; and a
// <details> holding the chart's data as a table, the text alternative. Series differ by shape
// (solid bars, hatched bars, a solid line with circles, a dashed line with squares, dashed target
// marks), never by colour alone, and every colour has at least 3:1 contrast on white.

const SVG = "http://www.w3.org/2000/svg";

/** Colours of the marks (on white: accent 8.6:1, brown 7.0:1, ink 16.8:1, red 8.3:1). */
const INK = "#111827";
const MUTED = "#4b5563";
const GRID = "#d1d5db";
const ACCENT = "#0b4f8a";
const BROWN = "#92400e";
const RED = "#991b1b";

/** The drawing's size in SVG units; it scales to the width of its container. */
const WIDTH = 760;
const HEIGHT = 320;

let charts = 0;

function svg(name, attributes = {}, text = undefined) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(key, String(value));
  }
  if (text !== undefined) element.textContent = text;
  return element;
}

function html(name, attributes = {}, text = undefined) {
  const element = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(key, String(value));
  }
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * A round upper bound and step for an axis from 0 to `max`, about `ticks` steps.
 * @param {number} max the largest value shown (≥ 0)
 * @param {{ticks?: number, integer?: boolean}} [options]
 * @returns {{max: number, step: number}}
 */
export function niceScale(max, { ticks = 5, integer = false } = {}) {
  if (!(max > 0)) return { max: integer ? ticks : 1, step: integer ? 1 : 0.2 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || 10 * magnitude;
  if (integer) step = Math.max(1, Math.ceil(step));
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

/** The id of a chart's hatch pattern (the fill of hatched bars). */
function patternId(chartId) {
  return `${chartId}-hatch`;
}

/** A small picture of a series' mark, for the legend. */
function legendSwatch(series, chartId) {
  const swatch = svg("svg", { width: 32, height: 16, viewBox: "0 0 32 16", "aria-hidden": "true", focusable: "false" });
  if (series.kind === "bar") {
    if (series.style === "hatched") {
      const defs = svg("defs");
      defs.append(hatchPattern(`${chartId}-legend-${series.key}`));
      swatch.append(defs);
      swatch.append(svg("rect", { x: 4, y: 1, width: 24, height: 14, fill: `url(#${chartId}-legend-${series.key})`, stroke: BROWN, "stroke-width": 1.5 }));
    } else {
      swatch.append(svg("rect", { x: 4, y: 1, width: 24, height: 14, fill: ACCENT }));
    }
  } else if (series.kind === "line") {
    const dashed = series.style === "dashed";
    swatch.append(svg("line", { x1: 1, y1: 8, x2: 31, y2: 8, stroke: dashed ? INK : BROWN, "stroke-width": 2.5, "stroke-dasharray": dashed ? "5 3" : null }));
    swatch.append(marker(series.marker, 16, 8, dashed ? INK : BROWN));
  } else {
    swatch.append(svg("line", { x1: 1, y1: 8, x2: 31, y2: 8, stroke: RED, "stroke-width": 3, "stroke-dasharray": "4 3" }));
  }
  return swatch;
}

function hatchPattern(id) {
  const pattern = svg("pattern", { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  pattern.append(svg("rect", { width: 6, height: 6, fill: "#ffffff" }));
  pattern.append(svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: BROWN, "stroke-width": 3 }));
  return pattern;
}

/** How a series' values are written in tooltips and the data table. */
function formatOf(spec, series) {
  return series.format || ((series.axis || "left") === "right" ? spec.right : spec.left).format;
}

function marker(shape, x, y, colour) {
  if (shape === "square") {
    return svg("rect", { x: x - 4, y: y - 4, width: 8, height: 8, fill: colour });
  }
  return svg("circle", { cx: x, cy: y, r: 4.5, fill: colour });
}

/**
 * Draws a column chart into `figure` (replacing what it held).
 *
 * @param {HTMLElement} figure a <figure>
 * @param {object} spec
 * @param {string} spec.title the caption and the SVG's <title>
 * @param {string} spec.desc what the chart shows, in a sentence or two (the SVG's <desc>)
 * @param {string[]} spec.labels the x axis, one label per column
 * @param {string[]} [spec.rowLabels] longer labels for the data table (default: `labels`)
 * @param {string} spec.rowHeader the data table's first column header
 * @param {{key: string, name: string, kind: "bar"|"line"|"target", axis?: "left"|"right",
 *          style?: "solid"|"hatched"|"dashed", marker?: "circle"|"square",
 *          values: (number|null)[], valueLabels?: boolean,
 *          format?: (v: number) => string}[]} spec.series values, and how to write them in the
 *          tooltips, value labels and data table (default: the axis's format)
 * @param {{label: string, format: (v: number) => string, integer?: boolean, max?: number,
 *          atLeast?: number}} spec.left the left axis: its title, how its ticks are written,
 *          whether they are whole numbers, a fixed top, or the least top when values are small
 * @param {{label: string, format: (v: number) => string, integer?: boolean, max?: number,
 *          atLeast?: number}} [spec.right] the right axis, for series with `axis: "right"`
 * @param {string} [spec.xLabel] the title of the x axis
 * @param {string} spec.empty the text shown instead of a chart when there are no columns
 * @param {string} spec.dataLabel the summary of the <details> with the data table
 */
export function columnChart(figure, spec) {
  charts += 1;
  const id = `${figure.id || "chart"}-${charts}`;
  const caption = html("figcaption", {}, spec.title);
  figure.replaceChildren(caption);
  const n = spec.labels.length;
  if (n === 0) {
    figure.append(html("p", { class: "chart-empty", "data-testid": "chart-empty" }, spec.empty));
    return;
  }
  const margin = { top: 24, right: spec.right ? 72 : 20, bottom: spec.xLabel ? 60 : 40, left: 72 };
  const plotWidth = WIDTH - margin.left - margin.right;
  const plotHeight = HEIGHT - margin.top - margin.bottom;
  const bottom = margin.top + plotHeight;
  const slot = plotWidth / n;

  const scaleFor = (axis) => {
    const config = axis === "right" ? spec.right : spec.left;
    const values = spec.series
      .filter((s) => (s.axis || "left") === axis)
      .flatMap((s) => s.values)
      .filter((v) => typeof v === "number");
    const max = config.max ?? Math.max(config.atLeast || 0, ...values);
    return niceScale(max, { integer: !!config.integer });
  };
  const scales = { left: scaleFor("left"), right: spec.right ? scaleFor("right") : null };
  const y = (axis, value) => bottom - (value / scales[axis].max) * plotHeight;

  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const root = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-labelledby": titleId,
    "aria-describedby": descId,
    class: "chart-svg",
    "data-testid": "chart-svg",
    preserveAspectRatio: "xMidYMid meet",
  });
  root.append(svg("title", { id: titleId }, spec.title));
  root.append(svg("desc", { id: descId }, spec.desc));
  const defs = svg("defs");
  defs.append(hatchPattern(patternId(id)));
  root.append(defs);

  // Grid and the left axis.
  const grid = svg("g", { class: "grid" });
  const { max: leftMax, step: leftStep } = scales.left;
  for (let k = 0; k * leftStep <= leftMax + 1e-9; k += 1) {
    const value = k * leftStep;
    const at = y("left", value);
    grid.append(svg("line", { x1: margin.left, x2: WIDTH - margin.right, y1: at, y2: at, stroke: value === 0 ? INK : GRID, "stroke-width": value === 0 ? 1.5 : 1 }));
    grid.append(svg("text", { x: margin.left - 8, y: at + 4, "text-anchor": "end", "font-size": 14, fill: MUTED }, spec.left.format(value)));
  }
  if (scales.right) {
    const { max, step } = scales.right;
    for (let k = 0; k * step <= max + 1e-9; k += 1) {
      const value = k * step;
      grid.append(svg("text", { x: WIDTH - margin.right + 8, y: y("right", value) + 4, "text-anchor": "start", "font-size": 14, fill: MUTED }, spec.right.format(value)));
    }
    grid.append(svg("line", { x1: WIDTH - margin.right, x2: WIDTH - margin.right, y1: margin.top, y2: bottom, stroke: INK }));
  }
  grid.append(svg("line", { x1: margin.left, x2: margin.left, y1: margin.top, y2: bottom, stroke: INK }));
  root.append(grid);

  // Axis titles.
  root.append(svg("text", { x: 16, y: margin.top + plotHeight / 2, transform: `rotate(-90 16 ${margin.top + plotHeight / 2})`, "text-anchor": "middle", "font-size": 14, fill: INK }, spec.left.label));
  if (spec.right) {
    const x = WIDTH - 14;
    root.append(svg("text", { x, y: margin.top + plotHeight / 2, transform: `rotate(90 ${x} ${margin.top + plotHeight / 2})`, "text-anchor": "middle", "font-size": 14, fill: INK }, spec.right.label));
  }

  // X labels, thinned so that they never overlap.
  const every = Math.max(1, Math.ceil(n / 16));
  const xLabels = svg("g", { class: "x-labels" });
  spec.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    xLabels.append(svg("text", { x: margin.left + slot * (i + 0.5), y: bottom + 18, "text-anchor": "middle", "font-size": 14, fill: INK }, label));
  });
  root.append(xLabels);
  if (spec.xLabel) {
    root.append(svg("text", { x: margin.left + plotWidth / 2, y: HEIGHT - 8, "text-anchor": "middle", "font-size": 14, fill: INK }, spec.xLabel));
  }

  // Bars, side by side within a column.
  const bars = spec.series.filter((s) => s.kind === "bar");
  const groupWidth = Math.min(slot * 0.72, 90);
  const barWidth = bars.length ? groupWidth / bars.length : 0;
  bars.forEach((series, b) => {
    const axis = series.axis || "left";
    const format = formatOf(spec, series);
    const group = svg("g", { class: `series series-${series.key}`, "data-series": series.key });
    series.values.forEach((value, i) => {
      if (typeof value !== "number") return;
      const x = margin.left + slot * i + (slot - groupWidth) / 2 + barWidth * b;
      const top = y(axis, value);
      const hatched = series.style === "hatched";
      const rect = svg("rect", {
        x: x + 1,
        y: top,
        width: Math.max(1, barWidth - 2),
        height: Math.max(0, bottom - top),
        fill: hatched ? `url(#${patternId(id)})` : ACCENT,
        stroke: hatched ? BROWN : null,
        "stroke-width": hatched ? 1.5 : null,
        "data-value": value,
      });
      rect.append(svg("title", {}, `${spec.rowLabels ? spec.rowLabels[i] : spec.labels[i]}: ${series.name} ${format(value)}`));
      group.append(rect);
      if (series.valueLabels) {
        group.append(svg("text", { x: x + barWidth / 2, y: top - 5, "text-anchor": "middle", "font-size": 13, fill: INK }, format(value)));
      }
    });
    root.append(group);
  });

  // Targets: a dashed mark across each column.
  for (const series of spec.series.filter((s) => s.kind === "target")) {
    const axis = series.axis || "left";
    const group = svg("g", { class: `series series-${series.key}`, "data-series": series.key });
    series.values.forEach((value, i) => {
      if (typeof value !== "number") return;
      const at = y(axis, value);
      const x1 = margin.left + slot * i + (slot - groupWidth) / 2 - 6;
      group.append(svg("line", { x1, x2: x1 + groupWidth + 12, y1: at, y2: at, stroke: RED, "stroke-width": 3, "stroke-dasharray": "4 3" }));
    });
    root.append(group);
  }

  // Lines through the columns' centres, broken where a value is missing.
  for (const series of spec.series.filter((s) => s.kind === "line")) {
    const axis = series.axis || "left";
    const dashed = series.style === "dashed";
    const colour = dashed ? INK : BROWN;
    const group = svg("g", { class: `series series-${series.key}`, "data-series": series.key });
    let path = "";
    let open = false;
    series.values.forEach((value, i) => {
      if (typeof value !== "number") {
        open = false;
        return;
      }
      const x = margin.left + slot * (i + 0.5);
      path += `${open ? "L" : "M"}${x.toFixed(1)} ${y(axis, value).toFixed(1)} `;
      open = true;
    });
    group.append(svg("path", { d: path.trim(), fill: "none", stroke: colour, "stroke-width": 2.5, "stroke-dasharray": dashed ? "6 4" : null, "stroke-linejoin": "round" }));
    const format = formatOf(spec, series);
    series.values.forEach((value, i) => {
      if (typeof value !== "number") return;
      const mark = marker(series.marker, margin.left + slot * (i + 0.5), y(axis, value), colour);
      mark.setAttribute("data-value", String(value));
      mark.append(svg("title", {}, `${spec.rowLabels ? spec.rowLabels[i] : spec.labels[i]}: ${series.name} ${format(value)}`));
      group.append(mark);
    });
    root.append(group);
  }
  figure.append(root);

  // The legend.
  const legend = html("ul", { class: "legend" });
  for (const series of spec.series) {
    const item = html("li");
    item.append(legendSwatch(series, id), document.createTextNode(` ${series.name}`));
    legend.append(item);
  }
  figure.append(legend);

  // The data as a table: the chart's text alternative.
  const details = html("details", { class: "chart-data" });
  details.append(html("summary", {}, spec.dataLabel));
  const table = html("table", { "data-testid": "chart-table" });
  table.append(html("caption", { class: "sr-only" }, spec.title));
  const head = html("tr");
  head.append(html("th", { scope: "col" }, spec.rowHeader));
  for (const series of spec.series) head.append(html("th", { scope: "col" }, series.name));
  const thead = html("thead");
  thead.append(head);
  table.append(thead);
  const body = html("tbody");
  spec.labels.forEach((label, i) => {
    const row = html("tr");
    row.append(html("th", { scope: "row" }, spec.rowLabels ? spec.rowLabels[i] : label));
    for (const series of spec.series) {
      const format = formatOf(spec, series);
      const value = series.values[i];
      row.append(html("td", {}, typeof value === "number" ? format(value) : "–"));
    }
    body.append(row);
  });
  table.append(body);
  details.append(table);
  figure.append(details);
}
