// Charts as SVG built in the page from the API's numbers: no library, nothing from another
// origin, works offline. Every chart has a title and description for screen readers, and
// the page shows the same numbers in a table beside it.
const NS = (() => {
  // SVG's namespace, as the HTML parser assigns it (no address written out in our assets).
  const probe = document.createElement("div");
  probe.innerHTML = "<svg></svg>";
  return probe.firstChild.namespaceURI;
})();
const COLOURS = ["#0b5d4b", "#1a56db", "#a1261d", "#8a4b00", "#6b3fa0", "#2f6f8f", "#5b6b12", "#b0306f"];

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) el.setAttribute(name, String(value));
  for (const child of children) if (child) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

function frame(width, height, title, description) {
  const id = `chart-${Math.random().toString(36).slice(2, 8)}`;
  return svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-labelledby": `${id}-t ${id}-d`, class: "chart" },
    svg("title", { id: `${id}-t` }, title),
    svg("desc", { id: `${id}-d` }, description),
  );
}

/** Room for the longest label: Han characters are about twice as wide as Latin letters. */
function labelWidth(labels, fontSize) {
  const widest = Math.max(0, ...labels.map((text) => [...text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 1 : 0.58), 0)));
  return Math.min(360, Math.ceil(widest * fontSize));
}

/**
 * One row per item: a value (dot) and, when given, an interval (bar) on a shared axis.
 * rows: [{label, value, low?, high?, note?}], axis: {min, max, ticks: [n], format: (n) => "…"}
 */
export function intervalChart({ title, description, rows, axis, width = 900 }) {
  const left = labelWidth(rows.map((row) => row.label), 13) + 16;
  const right = 70, top = 28, step = 30;
  const height = top + rows.length * step + 10;
  const x = (v) => left + ((v - axis.min) / (axis.max - axis.min)) * (width - left - right);
  const chart = frame(width, height, title, description);
  for (const tick of axis.ticks) {
    chart.append(
      svg("line", { x1: x(tick), x2: x(tick), y1: top - 6, y2: height - 6, stroke: "#cfd8d3" }),
      svg("text", { x: x(tick), y: top - 12, "text-anchor": "middle", "font-size": 12, fill: "#4d5b55" }, axis.format(tick)),
    );
  }
  rows.forEach((row, i) => {
    const y = top + i * step + step / 2;
    chart.append(svg("text", { x: left - 10, y: y + 4, "text-anchor": "end", "font-size": 13, fill: "#1b2420" }, row.label));
    if (row.value === null || row.value === undefined) {
      chart.append(svg("text", { x: left, y: y + 4, "font-size": 12, fill: "#4d5b55" }, row.note ?? "—"));
      return;
    }
    if (row.low !== undefined && row.high !== undefined) {
      chart.append(svg("rect", { x: x(row.low), y: y - 5, width: Math.max(2, x(row.high) - x(row.low)), height: 10, rx: 3, fill: "#e1efe9", stroke: "#0b5d4b" }));
    }
    chart.append(
      svg("circle", { cx: x(row.value), cy: y, r: 5, fill: "#0b5d4b" }),
      svg("text", { x: width - right + 8, y: y + 4, "font-size": 12, fill: "#1b2420" }, axis.format(row.value)),
    );
  });
  return chart;
}

/** Lines over periods. series: [{label, points: [value | null per period]}], periods: ["2026-10", …] */
export function trendChart({ title, description, periods, series, axis, width = 900, height = 280 }) {
  const left = 44, right = labelWidth(series.map((line) => line.label), 11) + 40, top = 14, bottom = 28;
  const x = (i) => left + (periods.length === 1 ? 0 : (i / (periods.length - 1)) * (width - left - right));
  const y = (v) => top + (1 - (v - axis.min) / (axis.max - axis.min)) * (height - top - bottom);
  const chart = frame(width, height, title, description);
  for (const tick of axis.ticks) {
    chart.append(
      svg("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), stroke: "#cfd8d3" }),
      svg("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", "font-size": 11, fill: "#4d5b55" }, axis.format(tick)),
    );
  }
  periods.forEach((period, i) => chart.append(svg("text", { x: x(i), y: height - 8, "text-anchor": "middle", "font-size": 11, fill: "#4d5b55" }, period)));
  series.forEach((line, n) => {
    const colour = COLOURS[n % COLOURS.length];
    const points = line.points.map((v, i) => (v === null ? null : [x(i), y(v)]));
    const path = points.reduce((d, p, i) => (p ? `${d}${d && points[i - 1] ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}` : d), "");
    if (path) chart.append(svg("path", { d: path, fill: "none", stroke: colour, "stroke-width": 2 }));
    for (const p of points) if (p) chart.append(svg("circle", { cx: p[0], cy: p[1], r: 3, fill: colour }));
    chart.append(
      svg("rect", { x: width - right + 10, y: top + n * 18, width: 10, height: 10, fill: colour }),
      svg("text", { x: width - right + 26, y: top + n * 18 + 9, "font-size": 11, fill: "#1b2420" }, line.label),
    );
  });
  return chart;
}
