// The crew's open tickets, soonest due first, with the SLA clock; filters by status and
// building. The clock ticks on the page; the list is the API's (`order=due`).
import { api } from "../shared/api.js";
import { h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";
import { label, statusTone } from "../app/labels.js";
import { sla, slaBadge } from "./sla.js";

// The crew's work: everything not yet completed (completed waits for the student).
const PENDING = ["submitted", "assigned", "in_progress", "on_hold", "reopened"];
const STATUSES = [...PENDING, "completed"];
const PAGE = 100;
const filters = { status: "", building: "", overdue: false };

function place(ticket) {
  return [ticket.location.building_code, ticket.location.room, ticket.location.note].filter(Boolean).join(" · ") || "—";
}

function row(ticket) {
  const overdue = sla(ticket).tone === "bad";
  return h("tr", { class: overdue ? "overdue" : null, dataset: { ticket: ticket.id } },
    h("td", { class: "num" }, h("a", { href: `#/tickets/${ticket.id}` }, `#${ticket.id}`)),
    h("td", {}, label("category", ticket.category), h("div", { class: "small muted" }, ticket.team ? pick(ticket.team, "name") : "")),
    h("td", { "data-label": t("repair.where") }, place(ticket)),
    h("td", { "data-label": t("repair.priority") }, label("priority", ticket.priority)),
    h("td", {}, h("span", { class: `pill ${statusTone(ticket.status)}` }, label("status", ticket.status))),
    h("td", {}, slaBadge(ticket)));
}

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.tech.queue"));
  const buildings = await api("/dorms/buildings");
  const statusSelect = h("select", { id: "queue-status", onchange: () => { filters.status = statusSelect.value; draw(); } },
    h("option", { value: "" }, t("console.tech.allOpen")), STATUSES.map((s) => h("option", { value: s }, label("status", s))));
  statusSelect.value = filters.status;
  const buildingSelect = h("select", { id: "queue-building", onchange: () => { filters.building = buildingSelect.value; draw(); } },
    h("option", { value: "" }, t("console.tech.allBuildings")), buildings.data.map((b) => h("option", { value: b.code }, `${b.code} · ${pick(b, "name")}`)));
  buildingSelect.value = filters.building;
  const overdueBox = h("input", { type: "checkbox", id: "queue-overdue", checked: filters.overdue, onchange: () => { filters.overdue = overdueBox.checked; draw(); } });
  const body = h("div", { "aria-live": "polite" });
  let shown = [];

  async function draw() {
    try {
      const query = { order: "due", size: PAGE, building: filters.building, overdue: filters.overdue || undefined };
      query.status = filters.status || PENDING;
      const result = await api("/repairs", { query });
      shown = result.data;
      replace(body, shown.length ? [
        h("div", { class: "table-wrap" }, h("table", { class: "data", id: "queue" },
          h("caption", { class: "visually-hidden" }, t("console.tech.queue")),
          h("thead", {}, h("tr", {}, ["#", "console.tech.category", "repair.where", "repair.priority", "console.tech.status", "console.tech.sla"].map((key) => h("th", { scope: "col" }, key === "#" ? "#" : t(key))))),
          h("tbody", {}, shown.map(row)))),
        result.total > shown.length ? h("p", { class: "small muted" }, t("console.tech.more", { shown: shown.length, total: result.total })) : null,
      ] : h("p", { class: "empty card" }, t("console.tech.empty")));
    } catch (error) {
      replace(body, h("p", { class: "notice bad", role: "alert" }, errorText(error)));
    }
  }

  await draw();
  replace(main,
    h("div", { class: "toolbar" },
      h("div", {}, h("label", { for: statusSelect.id }, t("console.tech.status")), statusSelect),
      h("div", {}, h("label", { for: buildingSelect.id }, t("console.tech.building")), buildingSelect),
      h("label", { class: "check" }, overdueBox, t("console.tech.overdueOnly"))),
    body);
  // The clock moves on its own; the list is fetched again every few minutes.
  const tick = setInterval(() => {
    for (const ticket of shown) {
      const cell = main.querySelector(`tr[data-ticket="${ticket.id}"] td:last-child`);
      if (cell) replace(cell, slaBadge(ticket));
    }
  }, 30_000);
  const refresh = setInterval(draw, 180_000);
  return () => { clearInterval(tick); clearInterval(refresh); };
}
