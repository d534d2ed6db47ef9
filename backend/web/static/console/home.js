// Each role's work at a glance, with links to where it is done.
import { api } from "../shared/api.js";
import { h, replace } from "../shared/dom.js";
import { pick, t } from "../shared/i18n.js";
import { campusToday, addDays } from "../shared/dates.js";

const TICKET_ROLES = ["technician", "dorm_manager", "logistics_admin"];
const MEAL_ROLES = ["canteen_staff", "logistics_admin"];
const PENDING = ["submitted", "assigned", "in_progress", "on_hold", "reopened"];

function tile(href, count, text, tone = "") {
  return h("a", { class: "card", href }, h("span", { class: `count ${tone}` }, String(count)), h("span", {}, text));
}

async function ticketGlance() {
  const total = (query) => api("/repairs", { query: { size: 1, ...query } }).then((r) => r.total);
  const [open, overdue, waiting, held] = await Promise.all([
    total({ status: PENDING }), total({ status: PENDING, overdue: true }), total({ status: "submitted" }), total({ status: "on_hold" }),
  ]);
  return h("section", { "aria-labelledby": "glance-tickets" },
    h("h2", { id: "glance-tickets" }, t("console.tech.glance")),
    h("div", { class: "glance" },
      tile("#/tickets", open, t("console.tech.openCount")),
      tile("#/tickets", overdue, t("console.tech.overdueCount"), overdue ? "bad" : ""),
      tile("#/tickets", waiting, t("console.tech.waitingCount"), waiting ? "warn" : ""),
      tile("#/tickets", held, t("console.tech.heldCount"))));
}

async function mealGlance(me) {
  const tomorrow = addDays(campusToday(), 1);
  const canteen = me.team?.canteen;
  const [canteens, lunch] = await Promise.all([
    api("/canteens"),
    api("/menus", { query: { date: tomorrow, meal: "lunch", canteen } }),
  ]);
  const mine = canteens.data.filter((c) => !canteen || c.slug === canteen);
  const byCanteen = new Map(lunch.data.map((menu) => [menu.canteen.slug, menu.dishes.length]));
  return h("section", { "aria-labelledby": "glance-meals" },
    h("h2", { id: "glance-meals" }, t("console.canteen.glance")),
    h("div", { class: "glance" }, mine.map((c) => {
      const dishes = byCanteen.get(c.slug) ?? 0;
      return h("a", { class: "card", href: "#/menus" },
        h("strong", {}, pick(c, "name")),
        h("span", { class: `count ${dishes ? "" : "bad"}` }, String(dishes)),
        h("span", {}, dishes ? t("console.canteen.tomorrowLunch") : t("console.canteen.tomorrowLunchNone")),
        h("span", { class: `pill ${c.open_now ? "" : "plain"}` }, c.open_now ? t("menus.openNow") : t("menus.closedNow")));
    })));
}

export default async function render(main, _params, shell) {
  const me = shell.me;
  shell.setTitle(t("console.home"));
  const sections = await Promise.all([
    TICKET_ROLES.includes(me.role) ? ticketGlance() : null,
    MEAL_ROLES.includes(me.role) ? mealGlance(me) : null,
  ]);
  replace(main,
    h("section", { class: "card" },
      h("h2", {}, t("console.hello", { name: me.name })),
      h("p", { class: "muted" }, t(`console.role.${me.role}`), me.team ? ` · ${pick(me.team, "name")}` : "")),
    sections);
}
