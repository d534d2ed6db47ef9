// Team results per period: the small-sample-corrected (adjusted) score and the satisfaction
// rate with its 95% Wilson interval as charts, the trend over the last periods, the leaderboard.
import { api } from "../shared/api.js";
import { intervalChart, trendChart } from "../shared/chart.js";
import { addMonths } from "../shared/dates.js";
import { h, replace } from "../shared/dom.js";
import { pick, t } from "../shared/i18n.js";
import { lastPeriod } from "./surveys.js";

const TREND_PERIODS = 6;
const num = (value) => (value === null || value === undefined ? null : Number(value));

const lastPeriods = (last, count) => Array.from({ length: count }, (_, i) => addMonths(last, i - (count - 1)));

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.office.scores"));
  const period = h("input", { type: "month", name: "period", value: lastPeriod() });
  const out = h("div", { "aria-live": "polite" });
  period.addEventListener("change", () => load(out, period.value));
  replace(main, h("label", {}, t("console.office.col.period"), period), out);
  await load(out, period.value);
}

async function load(out, period) {
  replace(out, h("div", { class: "placeholder", "aria-busy": "true" }));
  const periods = lastPeriods(period, TREND_PERIODS);
  const [all, board] = await Promise.all([
    Promise.all(periods.map((p) => api("/admin/surveys/scores", { query: { period: p } }))),
    api("/surveys/leaderboard", { query: { period } }),
  ]);
  const scores = all.at(-1);
  const rated = scores.data.filter((s) => s.responses > 0);
  const rows = (value, low, high) => scores.data.map((s) => ({ label: pick(s.team, "name"), value: value(s), low: low?.(s), high: high?.(s), note: t("console.office.noAnswers") }));
  const percent = (v) => `${Math.round(v * 100)}%`;
  const teams = rated.map((s) => s.team.slug).slice(0, 8);
  replace(out,
    h("p", { class: "muted" }, t("console.office.scoresIntro", { n: scores.campus_responses, mean: scores.campus_mean ?? "—", c: scores.prior_weight })),
    h("section", { class: "card" },
      h("h2", {}, t("console.office.adjustedTitle")),
      intervalChart({
        title: t("console.office.adjustedTitle"),
        description: t("console.office.adjustedDesc"),
        rows: rows((s) => num(s.adjusted_score)),
        axis: { min: 1, max: 5, ticks: [1, 2, 3, 4, 5], format: (v) => v.toFixed(2) },
      })),
    h("section", { class: "card" },
      h("h2", {}, t("console.office.rateTitle")),
      intervalChart({
        title: t("console.office.rateTitle"),
        description: t("console.office.rateDesc"),
        rows: rows((s) => num(s.satisfaction_rate), (s) => num(s.wilson_lower), (s) => num(s.wilson_upper)),
        axis: { min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1], format: percent },
      })),
    h("section", { class: "card" },
      h("h2", {}, t("console.office.trendTitle")),
      trendChart({
        title: t("console.office.trendTitle"),
        description: t("console.office.trendDesc", { count: TREND_PERIODS }),
        periods,
        series: teams.map((slug) => ({
          label: pick(scores.data.find((s) => s.team.slug === slug).team, "name"),
          points: all.map((p) => num(p.data.find((s) => s.team.slug === slug)?.adjusted_score)),
        })),
        axis: { min: 1, max: 5, ticks: [1, 2, 3, 4, 5], format: (v) => v.toFixed(1) },
      })),
    h("section", { class: "card" },
      h("h2", {}, t("console.office.table")),
      h("table", { class: "grid" },
        h("thead", {}, h("tr", {}, ["team", "responses", "flagged", "mean", "adjusted", "rate", "interval", "nps", "onTime"].map((k) => h("th", { scope: "col" }, t(`console.office.col.${k}`))))),
        h("tbody", {}, scores.data.map((s) => h("tr", {},
          h("th", { scope: "row" }, pick(s.team, "name")),
          h("td", {}, s.responses), h("td", {}, s.flagged), h("td", {}, s.mean ?? "—"), h("td", {}, s.adjusted_score ?? "—"),
          h("td", {}, s.satisfaction_rate === null ? "—" : percent(num(s.satisfaction_rate))),
          h("td", {}, s.wilson_lower === null ? "—" : `${percent(num(s.wilson_lower))}–${percent(num(s.wilson_upper))}`),
          h("td", {}, s.nps ?? "—"),
          h("td", {}, s.on_time?.rate ? percent(num(s.on_time.rate)) : "—")))))),
    h("section", { class: "card" },
      h("h2", {}, t("console.office.leaderboard")),
      board.count
        ? h("ol", {}, board.data.map((entry) => h("li", {}, pick(entry.team, "name"), h("span", { class: "muted" }, ` · ${entry.adjusted_score}`))))
        : h("p", { class: "empty" }, t("console.office.noAnswers"))),
  );
}
