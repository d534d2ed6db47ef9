// Opening hours per weekday and meal, and closures (holidays: the whole day or one meal),
// saved together (PUT /canteens/{slug}/hours); the API checks them and explains a refusal.
import { api } from "../shared/api.js";
import { h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { t } from "../shared/i18n.js";
import { label, MEALS } from "../app/labels.js";
import { canteenPicker } from "./canteen.js";
import { addDays, campusToday, weekdayName } from "../shared/dates.js";

function slot(weekday, meal, hours) {
  const found = hours.find((x) => x.weekday === weekday && x.meal === meal);
  const name = `${weekdayName(weekday)} ${label("meal", meal)}`;
  const open = h("input", { type: "checkbox", checked: Boolean(found), "aria-label": t("console.hours.openAt", { slot: name }) });
  const opens = h("input", { type: "time", value: found?.opens ?? "", "aria-label": t("console.hours.opens", { slot: name }) });
  const closes = h("input", { type: "time", value: found?.closes ?? "", "aria-label": t("console.hours.closes", { slot: name }) });
  const sync = () => { opens.disabled = closes.disabled = !open.checked; opens.required = closes.required = open.checked; };
  open.addEventListener("change", sync);
  sync();
  return { weekday, meal, open, opens, closes, cell: h("td", { dataset: { weekday, meal } }, h("div", { class: "row" }, open, opens, "–", closes)) };
}

function closureRow(closure, rows) {
  const date = h("input", { type: "date", required: true, value: closure.date, "aria-label": t("console.hours.date") });
  const meal = h("select", { "aria-label": t("menus.meal") }, h("option", { value: "" }, t("console.hours.allDay")), MEALS.map((m) => h("option", { value: m }, label("meal", m))));
  meal.value = closure.meal ?? "";
  const noteEn = h("input", { maxlength: 200, value: closure.note_en, "aria-label": t("console.hours.noteEn") });
  const noteZh = h("input", { maxlength: 200, value: closure.note_zh, lang: "zh-CN", "aria-label": t("console.hours.noteZh") });
  const entry = { date, meal, noteEn, noteZh };
  entry.row = h("tr", {}, h("td", {}, date), h("td", {}, meal), h("td", {}, noteEn), h("td", {}, noteZh),
    h("td", {}, h("button", { type: "button", class: "small danger", onclick: () => { rows.splice(rows.indexOf(entry), 1); entry.row.remove(); } }, t("console.canteen.remove"))));
  return entry;
}

export default async function render(main, params, shell) {
  shell.setTitle(t("console.hours.title"));
  const canteens = (await api("/canteens")).data;
  const picker = canteenPicker(canteens, shell.me, () => render(main, params, shell), "hours-canteen");
  const timetable = await api(`/canteens/${picker.slug()}/hours`);
  const slots = [0, 1, 2, 3, 4, 5, 6].flatMap((day) => MEALS.map((meal) => slot(day, meal, timetable.hours)));
  const today = campusToday();
  const closures = [];
  const closureBody = h("tbody");
  const addClosure = (closure) => { const entry = closureRow(closure, closures); closures.push(entry); closureBody.append(entry.row); };
  // Past closures stay on record but are not edited here.
  const past = timetable.closures.filter((c) => c.date < today);
  timetable.closures.filter((c) => c.date >= today).forEach(addClosure);
  const problem = h("div", { role: "alert" });

  async function save(event) {
    event.preventDefault();
    replace(problem);
    const body = {
      hours: slots.filter((s) => s.open.checked).map((s) => ({ weekday: s.weekday, meal: s.meal, opens: s.opens.value, closes: s.closes.value })),
      closures: [...past, ...closures.map((c) => ({ date: c.date.value, meal: c.meal.value || null, note_en: c.noteEn.value.trim(), note_zh: c.noteZh.value.trim() }))],
    };
    try {
      await api(`/canteens/${picker.slug()}/hours`, { method: "PUT", json: body });
      shell.toast(t("console.hours.saved"));
      await render(main, params, shell);
    } catch (error) {
      replace(problem, h("p", { class: "notice bad" }, errorText(error)));
    }
  }

  replace(main, h("form", { onsubmit: save },
    h("div", { class: "toolbar" }, picker.control),
    h("section", { class: "card" },
      h("h2", {}, t("console.hours.weekly")),
      h("div", { class: "table-wrap" }, h("table", { class: "data hours", id: "hours" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("console.hours.day")), MEALS.map((meal) => h("th", { scope: "col" }, label("meal", meal))))),
        h("tbody", {}, [0, 1, 2, 3, 4, 5, 6].map((day) => h("tr", {}, h("th", { scope: "row" }, weekdayName(day)), slots.filter((s) => s.weekday === day).map((s) => s.cell))))))),
    h("section", { class: "card" },
      h("h2", {}, t("console.hours.closures")),
      h("p", { class: "small muted" }, t("console.hours.closuresExplained", { past: past.length })),
      h("div", { class: "table-wrap" }, h("table", { class: "data", id: "closures" },
        h("thead", {}, h("tr", {}, ["console.hours.date", "menus.meal", "console.hours.noteEn", "console.hours.noteZh", "console.dish.actions"].map((key) => h("th", { scope: "col" }, t(key))))),
        closureBody)),
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => addClosure({ date: addDays(today, 1), meal: null, note_en: "", note_zh: "" }) }, t("console.hours.addClosure")))),
    problem,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("console.hours.save")))));
}
