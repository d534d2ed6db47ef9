// The week's menus of one canteen: a grid of meals × days, each cell edited in place (PUT
// /menus/{canteen}/{date}/{meal} publishes it at once); copy a day or the whole week.
import { api } from "../shared/api.js";
import { h, replace, uid, yuan } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";
import { label, MEALS } from "../app/labels.js";
import { canteenPicker } from "./canteen.js";
import { addDays, campusToday, mondayOf, weekdayIndex, weekdayName } from "../shared/dates.js";

const state = { monday: "" };
const SHOWN = 6; // dishes named in a cell; the editor lists them all

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.canteen.menus"));
  const today = campusToday();
  state.monday ||= mondayOf(today);
  const canteens = (await api("/canteens")).data;
  const picker = canteenPicker(canteens, shell.me, () => draw(), "menus-canteen");
  const grid = h("div", { "aria-live": "polite" });
  const editor = h("div");
  const copyMessage = h("div", { role: "status" });
  let week = new Map(); // "date/meal" → menu

  const days = () => [0, 1, 2, 3, 4, 5, 6].map((d) => addDays(state.monday, d));
  const served = (date, meal) => canteens.find((c) => c.slug === picker.slug())?.hours.some((hour) => hour.weekday === weekdayIndex(date) && hour.meal === meal);

  async function draw() {
    try {
      const results = await Promise.all(days().map((date) => api("/menus", { query: { date, canteen: picker.slug() } })));
      week = new Map(results.flatMap((r) => r.data).map((menu) => [`${menu.date}/${menu.meal}`, menu]));
      replace(editor); // closed with the new grid, never over the old one
      replace(grid, h("div", { class: "table-wrap" }, h("table", { class: "data week", id: "week" },
        h("caption", { class: "visually-hidden" }, t("console.canteen.menus")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("menus.meal")),
          days().map((date) => h("th", { scope: "col", class: date === today ? "today" : null }, `${weekdayName(weekdayIndex(date))} ${date.slice(5)}`)))),
        h("tbody", {}, MEALS.map((meal) => h("tr", {},
          h("th", { scope: "row" }, label("meal", meal)),
          days().map((date) => cell(date, meal))))))));
    } catch (error) {
      replace(grid, h("p", { class: "notice bad", role: "alert" }, errorText(error)));
    }
  }

  function cell(date, meal) {
    const menu = week.get(`${date}/${meal}`);
    const dishes = menu?.dishes ?? [];
    const names = dishes.slice(0, SHOWN).map((d) => h("li", {}, pick(d, "name")));
    if (dishes.length > SHOWN) names.push(h("li", { class: "muted" }, t("console.canteen.more", { count: dishes.length - SHOWN })));
    return h("td", { class: date === today ? "today" : null, dataset: { date, meal } },
      names.length ? h("ul", {}, names) : h("p", { class: "none" }, served(date, meal) ? t("console.canteen.noMenu") : t("menus.closedDay")),
      h("button", { type: "button", "aria-label": t("console.canteen.editCell", { meal: label("meal", meal), date }), onclick: () => edit(date, meal) }, t("console.canteen.edit")));
  }

  function edit(date, meal) {
    const picked = [...(week.get(`${date}/${meal}`)?.dishes ?? [])];
    const list = h("ul", { class: "picked", id: "picked" });
    const results = h("ul", { class: "picked", id: "dish-results" });
    const problem = h("div", { role: "alert" });
    const search = h("input", { id: uid("dish-search"), type: "search", placeholder: t("console.canteen.searchHint"), oninput: () => find() });
    const drawPicked = () => replace(list, picked.length ? picked.map((dish, i) => h("li", {},
      h("span", {}, pick(dish, "name"), " ", h("span", { class: "small muted" }, yuan(dish.price_fen))),
      h("button", { type: "button", class: "small", "aria-label": t("console.canteen.removeNamed", { name: pick(dish, "name") }), onclick: () => { picked.splice(i, 1); drawPicked(); } }, t("console.canteen.remove")))) : h("li", { class: "muted" }, t("console.canteen.emptyMenu")));
    let asked = 0;
    async function find() {
      const mine = ++asked;
      try {
        const found = await api("/dishes", { query: { q: search.value.trim() || undefined, limit: 12 } });
        if (mine !== asked) return;
        const usable = found.data.filter((d) => !d.owner_canteen || d.owner_canteen === picker.slug());
        replace(results, usable.map((dish) => h("li", {},
          h("span", {}, pick(dish, "name"), " ", h("span", { class: "small muted" }, `${yuan(dish.price_fen)} · ${dish.kcal} kcal`)),
          h("button", { type: "button", class: "small", "aria-label": t("console.canteen.addNamed", { name: pick(dish, "name") }), disabled: picked.some((p) => p.id === dish.id), onclick: () => { picked.push(dish); drawPicked(); find(); } }, t("console.canteen.add")))));
      } catch (error) {
        replace(results, h("li", { class: "notice bad" }, errorText(error)));
      }
    }
    async function save(event) {
      event.preventDefault();
      replace(problem);
      try {
        await api(`/menus/${picker.slug()}/${date}/${meal}`, { method: "PUT", json: { dish_ids: picked.map((d) => d.id) } });
        shell.toast(t("console.canteen.published", { meal: label("meal", meal), date }));
        await draw();
      } catch (error) {
        replace(problem, h("p", { class: "notice bad" }, errorText(error)));
      }
    }
    drawPicked();
    find();
    const title = h("h2", { id: "editor-title", tabindex: "-1" }, t("console.canteen.editing", { meal: label("meal", meal), day: `${weekdayName(weekdayIndex(date))} ${date}` }));
    replace(editor, h("form", { class: "card editor", "aria-labelledby": title.id, onsubmit: save },
      title,
      h("div", { class: "pair" },
        h("div", {}, h("h3", {}, t("console.canteen.onMenu")), list),
        h("div", {}, h("label", { for: search.id }, t("console.canteen.findDish")), search, results)),
      problem,
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "primary" }, t("console.canteen.publish")),
        h("button", { type: "button", onclick: () => replace(editor) }, t("console.canteen.close")))));
    title.focus();
  }

  function copyForms() {
    const source = h("select", { id: uid("copy-source") }, days().map((date) => h("option", { value: date }, `${weekdayName(weekdayIndex(date))} ${date}`)));
    const target = h("input", { id: uid("copy-target"), type: "date", required: true, value: addDays(today, 1) });
    async function copy(body, done) {
      replace(copyMessage);
      try {
        const result = await api(`/menus/${picker.slug()}/copy`, { method: "POST", json: body });
        shell.toast(t(done, { count: result.count }));
        await draw();
      } catch (error) {
        replace(copyMessage, h("p", { class: "notice bad" }, errorText(error)));
      }
    }
    return h("section", { class: "card" },
      h("h2", {}, t("console.canteen.copy")),
      h("p", { class: "small muted" }, t("console.canteen.copyExplained")),
      h("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); copy({ source: source.value, target: target.value, days: 1 }, "console.canteen.copiedDay"); } },
        h("div", {}, h("label", { for: source.id }, t("console.canteen.copyFrom")), source),
        h("div", {}, h("label", { for: target.id }, t("console.canteen.copyTo")), target),
        h("button", { type: "submit" }, t("console.canteen.copyDay")),
        h("button", { type: "button", onclick: () => copy({ source: state.monday, target: addDays(state.monday, 7), days: 7 }, "console.canteen.copiedWeek") }, t("console.canteen.copyWeek"))),
      copyMessage);
  }

  const shift = (days) => { state.monday = addDays(state.monday, days); render(main, _params, shell); };
  await draw();
  replace(main,
    h("div", { class: "toolbar" },
      picker.control,
      h("div", { class: "row" },
        h("button", { type: "button", onclick: () => shift(-7) }, `← ${t("console.canteen.prevWeek")}`),
        h("strong", { id: "week-label" }, t("console.canteen.week", { from: state.monday, to: addDays(state.monday, 6) })),
        h("button", { type: "button", onclick: () => shift(7) }, `${t("console.canteen.nextWeek")} →`),
        state.monday !== mondayOf(today) ? h("button", { type: "button", onclick: () => { state.monday = mondayOf(today); render(main, _params, shell); } }, t("console.canteen.thisWeek")) : null)),
    grid, editor, copyForms());
}
