// Survey campaigns (dorm and canteen, one of each per period) and the question templates.
import { api } from "../shared/api.js";
import { addMonths, campusToday, monthOf } from "../shared/dates.js";
import { campusTime, field, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";

export const thisPeriod = () => monthOf(campusToday());
/** The month just ended: the period the office reviews. */
export const lastPeriod = () => addMonths(thisPeriod(), -1);

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.office.surveys"));
  const [campaigns, templates] = await Promise.all([api("/admin/surveys/campaigns"), api("/admin/surveys/templates")]);
  replace(main,
    h("section", { class: "card" },
      h("h2", {}, t("console.office.campaigns")),
      campaigns.count
        ? h("table", { class: "grid" },
            h("thead", {}, h("tr", {}, ["name", "source", "period", "window", "invitations", "responses", ""].map((k) => h("th", { scope: "col" }, k ? t(`console.office.col.${k}`) : "")))),
            h("tbody", {}, campaigns.data.map((c) => h("tr", {},
              h("td", {}, pick(c, "name")),
              h("td", {}, t(`console.office.source.${c.source}`)),
              h("td", {}, c.period),
              h("td", { class: "small" }, `${campusTime(c.opens_at)} – ${campusTime(c.closes_at)}`),
              h("td", {}, c.invitations),
              h("td", {}, c.responses),
              h("td", {}, c.source === "dorm" ? h("button", { type: "button", class: "small", onclick: () => invite(c, shell, main) }, t("console.office.inviteNew")) : null)))))
        : h("p", { class: "empty" }, t("console.office.none")),
      newCampaign(templates, shell, main)),
    h("section", { class: "card" },
      h("h2", {}, t("console.office.templates")),
      h("ul", { class: "list stack" }, templates.data.map((tpl) => h("li", {},
        h("div", { class: "row" }, h("strong", {}, pick(tpl, "name")), tpl.is_current ? h("span", { class: "pill" }, t("console.office.current")) : null, tpl.in_use ? h("span", { class: "pill plain" }, t("console.office.inUse")) : null),
        h("ol", { class: "small" }, tpl.questions.map((q) => h("li", {}, pick(q, "text"), h("span", { class: "muted" }, ` (${q.kind === "scale" ? `${q.min}–${q.max}` : t("console.office.text")}${q.required ? ", " + t("console.office.required") : ""})`)))))))),
  );
}

async function invite(campaign, shell, main) {
  try {
    const issued = await api(`/admin/surveys/campaigns/${campaign.id}/invitations`, { method: "POST" });
    shell.toast(t("console.office.invited", { created: issued.created, total: issued.total }));
    await render(main, {}, shell);
  } catch (error) {
    shell.toast(errorText(error));
  }
}

function newCampaign(templates, shell, main) {
  const source = h("select", { name: "source" }, ["dorm", "canteen"].map((s) => h("option", { value: s }, t(`console.office.source.${s}`))));
  const period = h("input", { type: "month", name: "period", value: thisPeriod(), required: true });
  const template = h("select", { name: "template" }, templates.data.map((tpl) => h("option", { value: tpl.id, selected: tpl.is_current }, pick(tpl, "name"))));
  const nameEn = h("input", { name: "name_en", required: true, maxlength: 100 });
  const nameZh = h("input", { name: "name_zh", required: true, maxlength: 100 });
  const opens = h("input", { type: "date", name: "opens", required: true });
  const closes = h("input", { type: "date", name: "closes", required: true });
  const problem = h("div", { class: "field-error", role: "alert" });
  return h("details", {},
    h("summary", {}, t("console.office.newCampaign")),
    h("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        problem.textContent = "";
        try {
          await api("/admin/surveys/campaigns", { method: "POST", json: {
            source: source.value, period: period.value, template_id: Number(template.value), name_en: nameEn.value.trim(), name_zh: nameZh.value.trim(),
            opens_at: `${opens.value}T00:00:00+08:00`, closes_at: `${closes.value}T23:59:59+08:00`,
          } });
          shell.toast(t("console.office.campaignCreated"));
          await render(main, {}, shell);
        } catch (error) {
          problem.textContent = errorText(error);
        }
      },
    },
      h("div", { class: "form-grid" },
        field(t("console.office.col.source"), source), field(t("console.office.col.period"), period), field(t("console.office.template"), template),
        field(t("console.office.nameEn"), nameEn), field(t("console.office.nameZh"), nameZh),
        field(t("console.office.opens"), opens), field(t("console.office.closes"), closes)),
      problem,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("console.office.create")))));
}
