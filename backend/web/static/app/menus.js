// Menus by canteen, day and meal: hours and "open now", dishes with price, nutrition and
// allergens, a "suits me" mark (the API's own filter), and the day's meal-plan suggestion.
import { api } from "../shared/api.js";
import { addDays, campusToday, weekdayIndex, weekdayName } from "../shared/dates.js";
import { h, replace, yuan } from "../shared/dom.js";
import { ApiError, errorText } from "../shared/errors.js";
import { language, pick, t } from "../shared/i18n.js";
import { label, MEALS } from "./labels.js";

const state = { canteen: "", day: 0, meal: "" };

function dish(item, suits) {
  const n = item;
  return h("li", { class: "dish" },
    h("div", {}, h("strong", {}, pick(item, "name")), suits ? h("span", { class: "suits" }, ` ✓ ${t("menus.suits")}`) : null),
    h("div", { class: "price" }, yuan(item.price_fen)),
    h("div", { class: "nutrition small muted" }, t("menus.nutrition", { kcal: n.kcal, protein: n.protein_g, fat: n.fat_g, carbs: n.carbs_g, sodium: n.sodium_mg })),
    h("div", { class: "tags small" },
      item.allergens.length ? h("span", { class: "pill warn" }, `${t("menus.allergens")}: ${item.allergens.map((a) => label("allergen", a)).join(language() === "zh" ? "、" : ", ")}`) : h("span", { class: "muted" }, t("menus.noAllergens")),
      " ",
      item.tags.map((tag) => h("span", { class: "pill plain" }, label("tag", tag))),
      item.contains_pork ? h("span", { class: "pill plain" }, t("menus.pork")) : null));
}

export default async function render(main, _params, shell) {
  shell.setTitle(t("menus.title"));
  const [canteens, today] = await Promise.all([api("/canteens"), api("/menus", { query: { meal: "breakfast" } })]);
  const todayIso = today.data[0]?.date ?? campusToday();
  state.canteen ||= canteens.data[0]?.slug ?? "";
  const canteenSelect = h("select", { id: "menu-canteen", onchange: () => { state.canteen = canteenSelect.value; draw(); } },
    h("option", { value: "" }, t("menus.allCanteens")), canteens.data.map((c) => h("option", { value: c.slug }, pick(c, "name"))));
  canteenSelect.value = state.canteen;
  const daySelect = h("select", { id: "menu-day", onchange: () => { state.day = Number(daySelect.value); draw(); } },
    [0, 1, 2, 3, 4, 5, 6].map((d) => h("option", { value: String(d) }, d === 0 ? t("menus.today") : d === 1 ? t("menus.tomorrow") : `${weekdayName(weekdayIndex(addDays(todayIso, d)))} ${addDays(todayIso, d).slice(5)}`)));
  daySelect.value = String(state.day);
  const mealSelect = h("select", { id: "menu-meal", onchange: () => { state.meal = mealSelect.value; draw(); } },
    h("option", { value: "" }, t("menus.allMeals")), MEALS.map((m) => h("option", { value: m }, label("meal", m))));
  mealSelect.value = state.meal;
  const hours = h("div");
  const menus = h("div", { "aria-live": "polite" });
  const plan = h("div");

  function canteenHours() {
    const shown = canteens.data.filter((c) => !state.canteen || c.slug === state.canteen);
    const dayIndex = weekdayIndex(addDays(todayIso, state.day));
    return h("section", { class: "card" },
      h("h2", {}, t("menus.hours")),
      h("ul", { class: "list" }, shown.map((c) => h("li", { class: "row spread" },
        h("span", {}, h("strong", {}, pick(c, "name")), " ", h("span", { class: "small muted" }, pick(c, "location"))),
        h("span", { class: "small" },
          c.hours.filter((hour) => hour.weekday === dayIndex).map((hour) => `${label("meal", hour.meal)} ${hour.opens}–${hour.closes}`).join(" · ") || t("menus.closedDay"),
          " ",
          state.day === 0 ? h("span", { class: `pill ${c.open_now ? "" : "plain"}` }, c.open_now ? t("menus.openNow") : t("menus.closedNow")) : null)))));
  }

  async function draw() {
    const date = addDays(todayIso, state.day);
    const query = { date, canteen: state.canteen || undefined, meal: state.meal || undefined };
    replace(hours, canteenHours());
    const planned = suggestion(date);
    try {
      // "Suits me" is the API's own filter (suitable_for_me), asked only when there is a diet.
      const personal = shell.me.diets.length || shell.me.allergens.length;
      const [all, mine] = await Promise.all([api("/menus", { query }), personal ? api("/menus", { query: { ...query, suitable_for_me: true } }) : { data: [] }]);
      const suits = new Set(mine.data.flatMap((menu) => menu.dishes.map((d) => `${menu.id}:${d.id}`)));
      replace(menus, all.data.length ? all.data.map((menu) => h("section", { class: "card menu" },
        h("h2", {}, `${pick(menu.canteen, "name")} · ${label("meal", menu.meal)}`),
        h("ul", { class: "list" }, menu.dishes.map((d) => dish(d, suits.has(`${menu.id}:${d.id}`))))))
        : h("p", { class: "empty" }, t("menus.none")));
    } catch (error) {
      replace(menus, h("p", { class: "notice bad" }, errorText(error)));
    }
    await planned;
  }

  async function suggestion(date) {
    try {
      const s = await api("/meal-plans/suggestion", { query: { date, canteen: state.canteen || undefined } });
      replace(plan, h("section", { class: "card" },
        h("h2", {}, t("menus.plan", { plan: pick(s.plan, "name") })),
        h("p", { class: "small" }, t("menus.closeness", { percent: Math.round(s.closeness * 100) }), " · ", yuan(s.price_fen)),
        h("ul", { class: "list" }, s.meals.map((meal) => h("li", { class: "small" },
          h("strong", {}, `${label("meal", meal.meal)} · ${pick(meal.canteen, "name")}: `),
          meal.dishes.map((d) => pick(d, "name")).join(language() === "zh" ? "、" : ", "),
          ` (${meal.totals.kcal} kcal)`))),
        h("p", { class: "small muted" }, pick(s, "notes"))));
    } catch (error) {
      if (error instanceof ApiError && error.code === "NoMealPlan") {
        replace(plan, h("p", { class: "notice" }, t("menus.noPlan"), " ", h("a", { href: "#/settings" }, t("menus.choosePlan"))));
      } else replace(plan, h("p", { class: "notice warn" }, errorText(error)));
    }
  }

  await draw(); // before the page replaces its placeholder: nothing jumps
  replace(main,
    h("div", { class: "filters" },
      h("div", { class: "wide" }, h("label", { for: canteenSelect.id }, t("menus.canteen")), canteenSelect),
      h("div", {}, h("label", { for: daySelect.id }, t("menus.day")), daySelect),
      h("div", {}, h("label", { for: mealSelect.id }, t("menus.meal")), mealSelect)),
    h("p", { class: "small muted" }, shell.me.diets.length || shell.me.allergens.length ? t("menus.suitsExplained") : t("menus.setDiet")),
    hours, menus, plan);
}
