// Answers the integrity rules set aside: why each was flagged; clearing one (with a note)
// counts it again in the scores and rewards. Students are not named.
import { api } from "../shared/api.js";
import { campusTime, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.office.flagged"));
  const page = await api("/admin/surveys/responses", { query: { flagged: true, size: 50 } });
  replace(main,
    h("p", { class: "muted" }, t("console.office.flaggedIntro")),
    page.count ? h("ul", { class: "list" }, page.data.map((item) => card(item, shell, main))) : h("p", { class: "empty" }, t("console.office.noFlags")));
}

function card(item, shell, main) {
  const note = h("input", { name: "note", minlength: 3, maxlength: 500, required: true, "aria-label": t("console.office.clearNote"), placeholder: t("console.office.clearNote") });
  const problem = h("div", { class: "field-error", role: "alert" });
  return h("li", { class: "card" },
    h("div", { class: "row spread" },
      h("h2", {}, `${pick(item.team, "name")} · ${item.period}`),
      h("span", { class: "small muted" }, campusTime(item.submitted_at))),
    h("p", {}, t("console.office.overall", { overall: item.overall }), item.comment ? ` · “${item.comment}”` : ""),
    h("ul", { class: "small" }, item.flags.map((flag) => h("li", {}, h("strong", {}, t(`console.office.flag.${flag}`)), " — ", t(`console.office.flagWhy.${flag}`, { seconds: item.seconds_to_answer ?? "—" })))),
    item.via_bot ? h("p", { class: "small muted" }, t("console.office.viaBot")) : null,
    h("form", {
      class: "row",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          await api(`/admin/surveys/responses/${item.id}/clear-flag`, { method: "POST", json: { note: note.value.trim() } });
          shell.toast(t("console.office.cleared"));
          await render(main, {}, shell);
        } catch (error) {
          problem.textContent = errorText(error);
        }
      },
    }, h("div", { class: "grow" }, note), h("button", { type: "submit" }, t("console.office.clear"))),
    problem);
}
