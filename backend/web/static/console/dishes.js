// Dishes: find any dish; edit your kitchen's (names in both languages, price, nutrition,
// allergens, diet tags) or add a new one. The campus catalogue is the logistics office's.
import { api, newKey } from "../shared/api.js";
import { field, h, replace, uid, yuan } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { language, pick, t } from "../shared/i18n.js";
import { ALLERGENS, label } from "../app/labels.js";

const TAGS = ["vegetarian", "vegan", "halal", "spicy"];
const NUMBERS = [["kcal", 1, 5000], ["protein_g", 0.1, 500], ["fat_g", 0.1, 500], ["carbs_g", 0.1, 1000], ["sodium_mg", 1, 20000]];
const query = { q: "" };

function checks(legend, values, chosen, kind) {
  return h("fieldset", {}, h("legend", {}, legend),
    h("div", { class: "checks" }, values.map((value) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: kind, value, checked: chosen.includes(value) }), label(kind, value)))));
}

function dishForm(dish, { onSave, onClose }) {
  const input = (name, props) => h("input", { name, id: uid(name), required: true, ...props });
  const nameEn = input("name_en", { maxlength: 100, value: dish?.name_en ?? "" });
  const nameZh = input("name_zh", { maxlength: 100, value: dish?.name_zh ?? "", lang: "zh-CN" });
  const price = input("price", { type: "number", min: 0, max: 1000, step: 0.1, value: dish ? (dish.price_fen / 100).toFixed(2) : "" });
  const numbers = NUMBERS.map(([name, step, max]) => input(name, { type: "number", min: 0, max, step, value: dish?.[name] ?? "" }));
  const pork = h("input", { type: "checkbox", name: "contains_pork", checked: dish?.contains_pork ?? false });
  const problem = h("div", { role: "alert" });
  const title = h("h2", { tabindex: "-1", id: uid("dish-title") }, dish ? t("console.dish.editing", { name: pick(dish, "name") }) : t("console.dish.new"));
  const form = h("form", { class: "card editor", "aria-labelledby": title.id, onsubmit: async (event) => {
    event.preventDefault();
    const picked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((box) => box.value);
    const body = {
      name_en: nameEn.value.trim(), name_zh: nameZh.value.trim(), price_fen: Math.round(Number(price.value) * 100),
      ...Object.fromEntries(NUMBERS.map(([name], i) => [name, Number(numbers[i].value)])),
      allergens: picked("allergen"), tags: picked("tag"), contains_pork: pork.checked,
    };
    replace(problem);
    try {
      await onSave(body);
    } catch (error) {
      replace(problem, h("p", { class: "notice bad" }, errorText(error)));
    }
  } },
    title,
    h("div", { class: "pair" }, field(t("console.dish.nameEn"), nameEn), field(t("console.dish.nameZh"), nameZh)),
    h("div", { class: "grid4" }, field(t("console.dish.price"), price), NUMBERS.map(([name], i) => field(t(`console.dish.${name}`), numbers[i]))),
    checks(t("menus.allergens"), ALLERGENS, dish?.allergens ?? [], "allergen"),
    checks(t("console.dish.tags"), TAGS, dish?.tags ?? [], "tag"),
    h("label", { class: "check" }, pork, t("console.dish.pork")),
    problem,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("console.dish.save")), h("button", { type: "button", onclick: onClose }, t("console.canteen.close"))));
  setTimeout(() => title.focus());
  return form;
}

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.dish.title"));
  const own = shell.me.team?.canteen ?? null;
  const mayEdit = (dish) => shell.me.role === "logistics_admin" || (own && dish.owner_canteen === own);
  const editor = h("div");
  const table = h("div", { "aria-live": "polite" });
  const search = h("input", { id: "dish-q", type: "search", value: query.q, placeholder: t("console.canteen.searchHint"), oninput: () => { query.q = search.value; draw(); } });
  let asked = 0;

  function open(dish) {
    replace(editor, dishForm(dish, {
      onClose: () => replace(editor),
      onSave: async (body) => {
        const saved = dish
          ? await api(`/dishes/${dish.id}`, { method: "PATCH", json: body })
          : await api("/dishes", { method: "POST", json: body, headers: { "Idempotency-Key": newKey() } });
        shell.toast(t("console.dish.saved", { name: pick(saved, "name") }));
        replace(editor);
        await draw();
      },
    }));
  }

  async function draw() {
    const mine = ++asked;
    try {
      const found = await api("/dishes", { query: { q: query.q.trim() || undefined, limit: 100 } });
      if (mine !== asked) return;
      replace(table, found.data.length ? [h("div", { class: "table-wrap" }, h("table", { class: "data", id: "dishes" },
        h("thead", {}, h("tr", {}, ["console.dish.name", "console.dish.price", "console.dish.nutrition", "menus.allergens", "console.dish.tags", "console.dish.kitchen", "console.dish.actions"].map((key) => h("th", { scope: "col" }, t(key))))),
        h("tbody", {}, found.data.map((dish) => h("tr", {},
          h("td", {}, h("strong", {}, dish.name_zh), h("div", { class: "small" }, dish.name_en)),
          h("td", { class: "num" }, yuan(dish.price_fen)),
          h("td", { class: "small" }, `${dish.kcal} kcal · P ${dish.protein_g} · F ${dish.fat_g} · C ${dish.carbs_g} · Na ${dish.sodium_mg}`),
          h("td", { class: "small" }, dish.allergens.map((a) => label("allergen", a)).join(language() === "zh" ? "、" : ", ") || "—"),
          h("td", {}, dish.tags.map((tag) => h("span", { class: "pill plain" }, label("tag", tag))), dish.contains_pork ? h("span", { class: "pill warn" }, t("menus.pork")) : null),
          h("td", { class: "small nowrap" }, dish.owner_canteen ? t("console.dish.ownKitchen", { canteen: dish.owner_canteen }) : t("console.dish.catalogue")),
          h("td", { class: "nowrap" }, mayEdit(dish) ? h("button", { type: "button", class: "small", "aria-label": t("console.dish.editNamed", { name: pick(dish, "name") }), onclick: () => open(dish) }, t("console.canteen.edit")) : h("span", { class: "small muted" }, t("console.dish.officeEdits")))))))),
        found.total > found.count ? h("p", { class: "small muted" }, t("console.dish.more", { shown: found.count, total: found.total })) : null]
        : h("p", { class: "empty card" }, t("console.dish.none")));
    } catch (error) {
      replace(table, h("p", { class: "notice bad", role: "alert" }, errorText(error)));
    }
  }

  await draw();
  replace(main,
    h("div", { class: "toolbar" },
      h("div", { class: "grow" }, h("label", { for: search.id }, t("console.canteen.findDish")), search),
      h("button", { type: "button", class: "primary", onclick: () => open(null) }, t("console.dish.add"))),
    h("p", { class: "small muted" }, t("console.dish.explained")),
    editor, table);
}
