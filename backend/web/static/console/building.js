// A dorm building for its manager: the contact students are given, and the move-in and
// move-out checklists with the dates residents see.
import { api } from "../shared/api.js";
import { field, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";

const CONTACT = ["name", "phone", "email", "office_en", "office_zh"];

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.guidance.buildingTitle"));
  const { building_code: code } = await api("/admin/guidance");
  if (!code) return replace(main, h("p", { class: "notice" }, t("console.guidance.pickBuilding")));
  const [building, checklists] = await Promise.all([
    api(`/dorms/buildings/${code}`),
    api(`/dorms/buildings/${code}/checklists`).catch((error) => ({ error })),
  ]);
  const inputs = Object.fromEntries(CONTACT.map((name) => [name, h("input", { name, value: building.manager[name] ?? "" })]));
  const status = h("div", { role: "status", class: "small" });
  replace(
    main,
    h("h2", {}, pick(building, "name")),
    h("form", {
      class: "card",
      onsubmit: async (event) => {
        event.preventDefault();
        status.textContent = "";
        try {
          await api(`/dorms/buildings/${code}`, { method: "PATCH", json: { manager: Object.fromEntries(CONTACT.map((n) => [n, inputs[n].value.trim()])) } });
          shell.toast(t("console.guidance.contactSaved"));
        } catch (error) {
          status.className = "field-error";
          status.textContent = errorText(error);
        }
      },
    },
      h("h3", {}, t("console.guidance.contact")),
      h("div", { class: "form-grid" }, CONTACT.map((name) => field(t(`console.guidance.contact.${name}`), inputs[name]))),
      status,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("console.guidance.save")))),
    checklists.error
      ? h("p", { class: "notice warn" }, errorText(checklists.error))
      : h("section", { class: "card" },
          h("h3", {}, t("console.guidance.checklists"), " · ", pick(checklists.term, "name")),
          checklists.data.map((list) => h("div", { class: "stack" },
            h("h4", {}, pick(list, "title"), " ", h("span", { class: "pill plain" }, `${list.opens_on} – ${list.closes_on}`)),
            h("ul", {}, list.items.map((item) => h("li", {}, pick(item, "text"), item.due_on ? h("span", { class: "muted" }, ` · ${t("console.guidance.due", { date: item.due_on })}`) : null)))))),
  );
}
