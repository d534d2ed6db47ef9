// My repairs: my own and followed tickets, newest first.
import { api } from "../shared/api.js";
import { campusTime, h, replace } from "../shared/dom.js";
import { pick, t } from "../shared/i18n.js";
import { label, statusTone } from "./labels.js";

const PAGE = 20;

export function ticketCard(ticket) {
  return h(
    "li",
    { class: "card" },
    h("div", { class: "ticket-head" },
      h("h2", {}, h("a", { href: `#/repairs/${ticket.id}` }, `#${ticket.id} ${label("category", ticket.category)}`)),
      h("span", { class: `pill ${statusTone(ticket.status)}` }, label("status", ticket.status))),
    h("p", { class: "pre" }, ticket.description),
    h("p", { class: "small muted" },
      [
        t("repairs.reported", { time: campusTime(ticket.created_at) }),
        ticket.team ? pick(ticket.team, "name") : null,
        ticket.reporter === "other" ? t("repairs.following") : null,
      ].filter(Boolean).join(" · ")),
    ticket.is_overdue ? h("p", { class: "pill bad" }, t("repairs.overdue")) : null,
  );
}

export default async function render(main, _params, shell) {
  shell.setTitle(t("repairs.title"));
  let page = 1;
  const list = h("ul", { class: "list" });
  const more = h("button", { type: "button", hidden: true, onclick: () => load(page + 1) }, t("repairs.more"));
  const head = h("div", { class: "row spread" },
    h("p", { class: "muted" }, t("repairs.intro")),
    h("a", { class: "button primary", href: "#/repairs/new" }, t("repairs.new")));

  async function load(next) {
    const result = await api("/repairs", { query: { page: next, size: PAGE } });
    page = next;
    if (next === 1 && !result.data.length) list.append(h("li", { class: "empty" }, t("repairs.none")));
    list.append(...result.data.map(ticketCard));
    more.hidden = page * PAGE >= result.total;
  }
  await load(1); // before the page replaces its placeholder: nothing jumps
  replace(main, head, list, more);
}
