// Which canteen a page works on: canteen staff their own (from /me), the logistics office
// any (a select). The API refuses another canteen's changes anyway (NotYourCanteen).
import { h } from "../shared/dom.js";
import { pick, t } from "../shared/i18n.js";

const chosen = { canteen: "" };

export function canteenPicker(canteens, me, onChange, id = "canteen") {
  const own = me.team?.canteen;
  chosen.canteen ||= own ?? canteens[0]?.slug ?? "";
  if (own) {
    const name = pick(canteens.find((c) => c.slug === own), "name");
    return { control: h("div", {}, h("span", { class: "hint" }, t("menus.canteen")), h("strong", { class: "pill", id }, name)), slug: () => own };
  }
  const select = h("select", { id, onchange: () => { chosen.canteen = select.value; onChange(); } },
    canteens.map((c) => h("option", { value: c.slug }, pick(c, "name"))));
  select.value = chosen.canteen;
  return { control: h("div", {}, h("label", { for: id }, t("menus.canteen")), select), slug: () => chosen.canteen };
}
