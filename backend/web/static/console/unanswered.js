// What students asked that the bot could not answer, grouped by wording, per building and
// week; one click drafts an article from a group. No student is named here (nor in the API).
import { api } from "../shared/api.js";
import { campusToday, isoWeek } from "../shared/dates.js";
import { h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { t } from "../shared/i18n.js";
import { navigate } from "../shared/router.js";
import { showBuilding } from "./guidance.js";

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.unanswered.title"));
  const week = h("input", { type: "week", name: "week", value: isoWeek(campusToday()) });
  const building = h("input", { name: "building", maxlength: 16, placeholder: t("console.unanswered.anyBuilding"), hidden: shell.me.role !== "logistics_admin" });
  const out = h("div", { "aria-live": "polite" });
  const load = async () => {
    replace(out, h("div", { class: "placeholder", "aria-busy": "true" }));
    try {
      const groups = await api("/admin/unanswered", { query: { week: week.value, building: building.value.trim() || null } });
      replace(out, groups.count
        ? h("ul", { class: "list" }, groups.data.map((group) => card(group, shell)))
        : h("p", { class: "empty" }, t("console.unanswered.none")));
    } catch (error) {
      replace(out, h("p", { class: "notice bad", role: "alert" }, errorText(error)));
    }
  };
  week.addEventListener("change", load);
  building.addEventListener("change", load);
  replace(main,
    h("p", { class: "muted" }, t("console.unanswered.intro")),
    h("div", { class: "row" },
      h("label", { class: "grow" }, t("console.unanswered.week"), week),
      building.hidden ? null : h("label", { class: "grow" }, t("console.unanswered.building"), building)),
    out);
  await load();
}

function card(group, shell) {
  const problem = h("div", { class: "field-error", role: "alert" });
  const draft = h("button", {
    type: "button",
    class: "primary",
    onclick: async () => {
      draft.disabled = true;
      try {
        const article = await api("/admin/unanswered/draft", { method: "POST", json: { id: group.id, week: group.week, building: group.building_code } });
        shell.toast(t("console.unanswered.drafted"));
        showBuilding(group.building_code);
        navigate(`/guidance/${article.id}`);
      } catch (error) {
        draft.disabled = false;
        problem.textContent = errorText(error);
      }
    },
  }, t("console.unanswered.draft"));
  return h("li", { class: "card" },
    h("div", { class: "row spread" },
      h("h2", {}, t("console.unanswered.asked", { count: group.count })),
      h("span", { class: "pill plain" }, group.building_code ?? t("console.unanswered.notHoused"), " · ", group.week)),
    group.terms.length ? h("p", { class: "small muted" }, t("console.unanswered.terms"), " ", group.terms.join(", ")) : null,
    h("ul", { class: "quotes" }, group.examples.map((text) => h("li", {}, `“${text}”`))),
    problem,
    group.building_code ? h("div", { class: "actions" }, draft) : null);
}
