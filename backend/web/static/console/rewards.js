// Reward periods: the pool and its rules; a preview with every factor of every team; finalize
// (a stored, immutable version); the CSV; corrections; and the teams' appeals.
import { api, newKey } from "../shared/api.js";
import { campusTime, field, h, replace, yuan } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { language, pick, t } from "../shared/i18n.js";
import { thisPeriod } from "./surveys.js";

const FACTORS = ["adjusted_score", "baseline", "weight", "on_time_rate", "sla_multiplier", "points", "exact_share_fen"];

export default async function render(main, params, shell) {
  shell.setTitle(t("console.office.rewards"));
  if (params.id) return period(main, Number(params.id), shell);
  const [periods, appeals] = await Promise.all([api("/admin/rewards/periods"), api("/admin/rewards/appeals")]);
  replace(main,
    h("section", { class: "card" },
      h("h2", {}, t("console.office.periods")),
      periods.count
        ? h("ul", { class: "list" }, periods.data.map((p) => h("li", { class: "row spread line" },
            h("a", { href: `#/rewards/${p.id}` }, `${p.period} · ${pick(p, "name")}`),
            h("span", {}, yuan(p.pool_fen), " ", h("span", { class: p.latest_version ? "pill" : "pill warn" }, p.latest_version ? t("console.office.version", { n: p.latest_version }) : t("console.office.notFinal"))))))
        : h("p", { class: "empty" }, t("console.office.none")),
      newPeriod(shell, main)),
    h("section", { class: "card" },
      h("h2", {}, t("console.office.appeals")),
      appeals.count ? h("ul", { class: "list" }, appeals.data.map((a) => appeal(a, shell, main))) : h("p", { class: "empty" }, t("console.office.none"))),
  );
}

function newPeriod(shell, main) {
  const inputs = {
    period: h("input", { type: "month", name: "period", value: thisPeriod(), required: true }),
    name_en: h("input", { name: "name_en", required: true }),
    name_zh: h("input", { name: "name_zh", required: true }),
    pool: h("input", { type: "number", name: "pool", min: 1, step: "0.01", required: true }),
    baseline: h("input", { type: "number", name: "baseline", min: 1, max: 5, step: "0.0001", value: "3.8", required: true }),
    min_responses: h("input", { type: "number", name: "min_responses", min: 1, value: 5, required: true }),
    cap: h("input", { type: "number", name: "cap", min: 0, step: "0.01" }),
  };
  const problem = h("div", { class: "field-error", role: "alert" });
  return h("details", {}, h("summary", {}, t("console.office.newPeriod")),
    h("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        problem.textContent = "";
        const cap = inputs.cap.value ? Math.round(Number(inputs.cap.value) * 100) : null;
        try {
          const created = await api("/admin/rewards/periods", { method: "POST", headers: { "Idempotency-Key": newKey() }, json: {
            period: inputs.period.value, name_en: inputs.name_en.value.trim(), name_zh: inputs.name_zh.value.trim(),
            pool_fen: Math.round(Number(inputs.pool.value) * 100),
            rules: { baseline: inputs.baseline.value, min_responses: Number(inputs.min_responses.value), cap_fen: cap },
          } });
          location.hash = `/rewards/${created.id}`;
        } catch (error) {
          problem.textContent = errorText(error);
        }
      },
    },
      h("div", { class: "form-grid" }, Object.entries(inputs).map(([name, input]) => field(t(`console.office.rule.${name}`), input))),
      problem,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("console.office.create")))));
}

function appeal(item, shell, main) {
  const note = h("input", { name: "note", minlength: 3, maxlength: 2000, "aria-label": t("console.office.resolveNote"), placeholder: t("console.office.resolveNote") });
  const problem = h("div", { class: "field-error", role: "alert" });
  const resolve = (decision) => async () => {
    problem.textContent = "";
    try {
      await api(`/admin/rewards/appeals/${item.id}/resolve`, { method: "POST", json: { decision, note: note.value.trim() } });
      shell.toast(t("console.office.resolved"));
      await render(main, {}, shell);
    } catch (error) {
      problem.textContent = errorText(error);
    }
  };
  return h("li", { class: "line" },
    h("div", { class: "row spread" }, h("strong", {}, `${pick(item.team, "name")} · ${item.period} v${item.version}`), h("span", { class: item.status === "open" ? "pill warn" : "pill plain" }, t(`console.office.appeal.${item.status}`))),
    h("p", { class: "pre" }, item.reason),
    item.status === "open"
      ? h("div", { class: "row" }, h("div", { class: "grow" }, note),
          h("button", { type: "button", onclick: resolve("upheld") }, t("console.office.uphold")),
          h("button", { type: "button", class: "danger", onclick: resolve("rejected") }, t("console.office.reject")))
      : h("p", { class: "small muted" }, item.resolution_note ?? "", item.correction_version ? ` · v${item.correction_version}` : ""),
    problem);
}

async function period(main, id, shell) {
  const [info, preview, appeals] = await Promise.all([api(`/admin/rewards/periods/${id}`), api(`/admin/rewards/periods/${id}/preview`), api("/admin/rewards/appeals", { query: { status: "open" } })]);
  const problem = h("div", { class: "field-error", role: "alert" });
  const finalized = info.latest_version !== null;
  const rules = info.rules;
  const act = async (work) => {
    problem.textContent = "";
    try {
      await work();
      await period(main, id, shell);
    } catch (error) {
      problem.textContent = errorText(error);
    }
  };
  const finalize = h("button", { type: "button", class: "primary", onclick: () => act(async () => {
    const version = await api(`/admin/rewards/periods/${id}/finalize`, { method: "POST" });
    shell.toast(t("console.office.finalized", { n: version.version }));
  }) }, t("console.office.finalize"));
  const reason = h("input", { name: "reason", minlength: 5, "aria-label": t("console.office.correctionReason"), placeholder: t("console.office.correctionReason") });
  const appealChoice = h("select", { name: "appeal", "aria-label": t("console.office.appeals") }, h("option", { value: "" }, t("console.office.noAppeal")),
    appeals.data.filter((a) => a.period === info.period).map((a) => h("option", { value: a.id }, `#${a.id} ${pick(a.team, "name")}`)));
  replace(main,
    h("p", {}, h("a", { href: "#/rewards" }, t("console.office.backToPeriods"))),
    h("section", { class: "card" },
      h("h2", {}, `${info.period} · ${pick(info, "name")}`),
      h("p", {}, t("console.office.pool"), " ", h("strong", {}, yuan(info.pool_fen)), " · ",
        t("console.office.rulesLine", { baseline: rules.baseline, min: rules.min_responses, c: rules.prior_weight, cap: rules.cap_fen === null ? "—" : yuan(rules.cap_fen), sla: rules.sla_multiplier ? rules.sla_floor : "—" })),
      h("p", { class: "row" },
        h("span", { class: "pill plain" }, t("console.office.distributed"), " ", yuan(preview.distributed_fen)),
        h("span", { class: "pill plain" }, t("console.office.returned"), " ", yuan(preview.returned_fen)),
        finalized ? h("span", { class: "pill" }, t("console.office.version", { n: info.latest_version }), " · ", campusTime(info.finalized_at)) : h("span", { class: "pill warn" }, t("console.office.previewOnly"))),
      h("div", { class: "actions" },
        finalized ? null : finalize,
        finalized ? h("button", { type: "button", onclick: () => download(id, info.period) }, t("console.office.exportCsv")) : null),
      problem),
    h("section", { class: "card" },
      h("h2", {}, finalized ? t("console.office.previewAgain") : t("console.office.preview")),
      h("div", { class: "scroll" }, h("table", { class: "grid" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("console.office.col.team")), FACTORS.map((k) => h("th", { scope: "col" }, t(`console.office.factor.${k}`))), h("th", { scope: "col" }, t("console.office.col.outcome")), h("th", { scope: "col" }, t("console.office.col.amount")))),
        h("tbody", {}, preview.statements.map((s) => h("tr", {},
          h("th", { scope: "row" }, pick(s.team, "name")),
          FACTORS.map((k) => h("td", {}, s.explanation.factors[k] ?? "—")),
          h("td", {}, t(`console.office.outcome.${s.outcome}`)),
          h("td", { class: "amount" }, yuan(s.amount_fen))))),
        h("tfoot", {}, h("tr", {}, h("th", { scope: "row", colspan: FACTORS.length + 2 }, t("console.office.total")), h("td", { class: "amount" }, yuan(preview.statements.reduce((sum, s) => sum + s.amount_fen, 0))))))),
      h("details", {}, h("summary", {}, t("console.office.formulas")),
        preview.statements.map((s) => h("div", { class: "small" }, h("strong", {}, pick(s.explanation, "summary")), h("ul", {}, s.explanation[`formula_${language()}`].map((line) => h("li", {}, line))))))),
    finalized ? h("section", { class: "card" },
      h("h2", {}, t("console.office.correction")),
      h("p", { class: "small muted" }, t("console.office.correctionIntro")),
      h("div", { class: "row" }, h("div", { class: "grow" }, reason), appealChoice,
        h("button", { type: "button", onclick: () => act(async () => {
          const version = await api(`/admin/rewards/periods/${id}/corrections`, { method: "POST", json: { reason: reason.value.trim(), appeal_id: appealChoice.value ? Number(appealChoice.value) : null } });
          shell.toast(t("console.office.finalized", { n: version.version }));
        }) }, t("console.office.correct")))) : null,
  );
}

/** The CSV needs the bearer token, so it is fetched and saved from a blob: URL. */
async function download(id, periodName) {
  const response = await api(`/admin/rewards/periods/${id}/export.csv`, { raw: true, headers: { Accept: "text/csv" } });
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { href: url, download: `rewards-${periodName}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
