// Surveys waiting for me, and canteen surveys where I first choose the canteen to rate.
import { api } from "../shared/api.js";
import { campusTime, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";

export default async function render(main, _params, shell) {
  shell.setTitle(t("surveys.title"));
  const [pending, campaigns] = await Promise.all([
    api("/surveys/pending"),
    api("/surveys/campaigns/open").catch(() => ({ data: [] })),
  ]);
  const choosing = campaigns.data.filter((c) => c.invitation_id === null);
  const message = h("div", { role: "alert" });

  async function choose(campaign, select) {
    try {
      const invitation = await api(`/surveys/campaigns/${campaign.id}/choice`, { method: "POST", json: { canteen: select.value } });
      location.hash = `/surveys/${invitation.id}`;
    } catch (error) {
      replace(message, h("p", { class: "notice bad" }, errorText(error)));
    }
  }

  replace(main,
    h("p", { class: "muted" }, t("surveys.intro")),
    message,
    h("ul", { class: "list" },
      pending.data.length ? pending.data.map((inv) => h("li", { class: "card" },
        h("h2", {}, h("a", { href: `#/surveys/${inv.id}` }, pick(inv, "subject"))),
        h("p", { class: "small muted" }, `${pick(inv.team, "name")} · ${t("surveys.until", { time: campusTime(inv.expires_at) })}`),
        h("a", { class: "button primary", href: `#/surveys/${inv.id}` }, t("surveys.answer"))))
        : h("li", { class: "empty" }, t("surveys.none"))),
    choosing.map((campaign) => {
      const select = h("select", { id: `canteen-${campaign.id}` }, campaign.canteens.map((c) => h("option", { value: c.slug }, pick(c, "name"))));
      return h("section", { class: "card" },
        h("h2", {}, pick(campaign, "name")),
        h("p", { class: "small muted" }, t("surveys.chooseCanteen", { time: campusTime(campaign.closes_at) })),
        h("label", { for: select.id }, t("surveys.canteen")), select,
        h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => choose(campaign, select) }, t("surveys.start"))));
    }));
}
