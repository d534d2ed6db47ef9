// Dorm guidance for its editors: the building's articles (drafts first), one article's
// editor with publish, and a live preview of how the search ranks for a question.
import { api } from "../shared/api.js";
import { campusTime, field, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";

const FIELDS = ["title_en", "title_zh", "summary_en", "summary_zh", "body_en", "body_zh"];
let chosen = null; // the office's choice of building (null: the general rules); a manager has theirs

/** Open the list (and editor) on this building: a draft made from its questions. */
export function showBuilding(code) {
  chosen = code;
}

export default async function render(main, params, shell) {
  shell.setTitle(t("console.guidance.title"));
  if (params.id) return editor(main, Number(params.id), shell);
  const list = await api("/admin/guidance", { query: { building: chosen } });
  replace(
    main,
    shell.me.role === "logistics_admin" ? await buildingChoice(main, shell) : null,
    h("p", { class: "muted" }, t("console.guidance.intro", { building: list.building_code ?? t("console.guidance.general") })),
    list.count
      ? h("ul", { class: "list" }, list.data.map((article) =>
          h("li", { class: "card row spread" },
            h("div", { class: "grow" },
              h("a", { href: `#/guidance/${article.id}` }, pick(article, "title")),
              h("div", { class: "small muted" }, article.slug, " · ", campusTime(article.updated_at))),
            h("span", { class: article.published ? "pill" : "pill warn" }, t(article.published ? "console.guidance.published" : "console.guidance.draft")))))
      : h("p", { class: "empty" }, t("console.guidance.none")),
    preview(list.building_code),
  );
}

async function buildingChoice(main, shell) {
  const buildings = await api("/dorms/buildings");
  const select = h("select", { name: "building", value: chosen ?? "", onchange: () => { chosen = select.value || null; render(main, {}, shell); } },
    h("option", { value: "" }, t("console.guidance.general")),
    buildings.data.map((b) => h("option", { value: b.code }, pick(b, "name"))));
  return field(t("console.unanswered.building"), select);
}

async function editor(main, id, shell) {
  const list = await api("/admin/guidance", { query: { building: chosen } });
  const article = list.data.find((a) => a.id === id);
  if (!article) return replace(main, h("p", { class: "notice bad", role: "alert" }, t("console.guidance.notFound")));
  const inputs = {};
  for (const name of FIELDS) {
    inputs[name] = h(name.startsWith("body") ? "textarea" : "input", { name, value: article[name], rows: name.startsWith("body") ? 8 : null });
  }
  inputs.aliases = h("textarea", { name: "aliases", rows: 3, value: article.aliases.join("\n") });
  const status = h("div", { role: "status", class: "small" });
  const save = async (changes) => {
    status.textContent = "";
    try {
      const saved = await api(`/guidance/${id}`, { method: "PATCH", json: changes });
      Object.assign(article, saved);
      shell.toast(t(saved.published ? "console.guidance.savedPublished" : "console.guidance.saved"));
      replace(badge, t(saved.published ? "console.guidance.published" : "console.guidance.draft"));
      badge.className = saved.published ? "pill" : "pill warn";
      publish.hidden = saved.published;
    } catch (error) {
      status.textContent = errorText(error);
      status.className = "field-error";
    }
  };
  const values = () => ({
    ...Object.fromEntries(FIELDS.map((name) => [name, inputs[name].value.trim()])),
    aliases: inputs.aliases.value.split("\n").map((a) => a.trim()).filter(Boolean),
  });
  const badge = h("span", { class: article.published ? "pill" : "pill warn" }, t(article.published ? "console.guidance.published" : "console.guidance.draft"));
  const publish = h("button", { type: "button", class: "primary", hidden: article.published, onclick: () => save({ ...values(), published: true }) }, t("console.guidance.publish"));
  replace(
    main,
    h("p", {}, h("a", { href: "#/guidance" }, t("console.guidance.back"))),
    h("form", { class: "card", onsubmit: (e) => { e.preventDefault(); save(values()); } },
      h("div", { class: "row spread" }, h("h2", {}, article.slug), badge),
      FIELDS.map((name) => field(t(`console.guidance.field.${name}`), inputs[name])),
      field(t("console.guidance.field.aliases"), inputs.aliases, t("console.guidance.aliasesHint")),
      status,
      h("div", { class: "actions" }, h("button", { type: "submit" }, t("console.guidance.save")), publish)),
    preview(article.building_code, article.aliases[0] ?? article.title_en),
  );
}

/** Ask a question and see what the search (and so the bot) would answer, and why. */
function preview(building, initial = "") {
  const question = h("input", { type: "search", name: "q", value: initial, maxlength: 200 });
  const out = h("div", { "aria-live": "polite" });
  let timer = null;
  const run = async () => {
    const q = question.value.trim();
    if (!q) return replace(out);
    try {
      const found = await api("/guidance/explain", { query: { q, building, limit: 5 } });
      replace(out, h("p", { class: "small muted" }, t("console.guidance.terms"), " ", found.terms.join(", ") || "—"),
        found.count
          ? h("table", { class: "grid" },
              h("thead", {}, h("tr", {}, ["slug", "relevant", "score", "coverage", "why"].map((k) => h("th", { scope: "col" }, t(`console.guidance.col.${k}`))))),
              h("tbody", {}, found.data.map((hit) => h("tr", { class: hit.relevant ? "hit" : "miss" },
                h("td", {}, hit.slug, hit.building_code ? ` (${hit.building_code})` : ""),
                h("td", {}, t(hit.relevant ? "console.guidance.answers" : "console.guidance.below")),
                h("td", {}, hit.score.toFixed(2)),
                h("td", {}, `${Math.round(hit.coverage * 100)}%`),
                h("td", { class: "small" }, hit.why.join("; "))))))
          : h("p", { class: "empty" }, t("console.guidance.nothing")));
    } catch (error) {
      replace(out, h("p", { class: "field-error", role: "alert" }, errorText(error)));
    }
  };
  question.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 300); });
  if (initial) run();
  return h("section", { class: "card", "aria-labelledby": "preview-title" },
    h("h2", { id: "preview-title" }, t("console.guidance.previewTitle")),
    field(t("console.guidance.previewAsk"), question, t("console.guidance.previewHint")),
    out);
}
