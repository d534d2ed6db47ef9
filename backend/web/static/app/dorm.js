// My dorm: building and room, house rules, the manager, guidance search, checklists.
import { api } from "../shared/api.js";
import { h, replace } from "../shared/dom.js";
import { bindDraft } from "../shared/drafts.js";
import { ApiError, errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";

function facts(rows) {
  return h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", {}, term), h("dd", { class: "pre" }, value)]));
}

export default async function render(main, _params, shell) {
  shell.setTitle(t("dorm.title"));
  const [dorm, checklists] = await Promise.all([
    api("/dorms/me").catch((e) => e),
    api("/dorms/me/checklists").catch((e) => e),
  ]);
  const query = bindDraft(h("input", { id: "guidance-q", type: "search", maxlength: 200, placeholder: t("dorm.searchPlaceholder") }), "guidance");
  const results = h("div", { "aria-live": "polite" });

  async function search(event) {
    event.preventDefault();
    const q = query.value.trim();
    if (!q) return;
    try {
      const hits = await api("/guidance", { query: { q, limit: 5 } });
      replace(results, hits.data.length ? h("ul", { class: "list" }, hits.data.map((hit) => {
        const body = h("div", { class: "pre small", hidden: true });
        const toggle = h("button", { type: "button", class: "small", "aria-expanded": "false", onclick: async () => {
          if (!body.textContent) body.textContent = pick(await api(`/guidance/${hit.id}`), "body");
          body.hidden = !body.hidden;
          toggle.setAttribute("aria-expanded", String(!body.hidden));
        } }, t("dorm.read"));
        return h("li", { class: "card" }, h("h3", {}, pick(hit, "title")), h("p", { class: "small" }, pick(hit, "summary")), toggle, body);
      })) : h("p", { class: "notice" }, t("dorm.noAnswer"), dorm.building ? ` ${dorm.building.manager.name} · ${dorm.building.manager.phone}` : ""));
    } catch (error) {
      replace(results, h("p", { class: "notice bad" }, errorText(error)));
    }
  }

  const home = dorm instanceof ApiError || dorm instanceof Error
    ? h("p", { class: "notice warn" }, errorText(dorm))
    : h("section", { class: "card" },
      h("h2", {}, `${pick(dorm.building, "name")} · ${t("dorm.room", { room: dorm.room.number })}`),
      facts([
        [t("dorm.floor"), String(dorm.room.floor)],
        [t("dorm.quiet"), dorm.building.quiet_hours],
        [t("dorm.doorLock"), dorm.building.door_lock],
        [t("dorm.visitors"), pick(dorm.building, "visitor_rules")],
        [t("dorm.laundry"), pick(dorm.building, "laundry")],
        [t("dorm.topUp"), pick(dorm.building, "top_up")],
      ]),
      h("h3", {}, t("dorm.manager")),
      facts([
        [t("dorm.name"), dorm.building.manager.name],
        [t("dorm.phone"), h("a", { href: `tel:${dorm.building.manager.phone}` }, dorm.building.manager.phone)],
        [t("dorm.email"), h("a", { href: `mailto:${dorm.building.manager.email}` }, dorm.building.manager.email)],
        [t("dorm.office"), pick(dorm.building.manager, "office")],
      ]));

  const lists = checklists instanceof Error
    ? h("p", { class: "notice warn" }, errorText(checklists))
    : checklists.data.map((list) => h("section", { class: "card" },
      h("h2", {}, pick(list, "title")),
      h("p", { class: "small muted" }, t("dorm.window", { from: list.opens_on, to: list.closes_on, term: pick(checklists.term, "name") })),
      pick(list, "note") ? h("p", { class: "small" }, pick(list, "note")) : null,
      h("ul", {}, list.items.map((item) => h("li", {}, pick(item, "text"), item.due_on ? h("span", { class: "small muted" }, ` — ${t("dorm.due", { date: item.due_on })}`) : null)))));

  replace(main,
    home,
    h("section", { class: "card" },
      h("h2", {}, t("dorm.search")),
      h("form", { role: "search", class: "row", onsubmit: search },
        h("label", { for: query.id, class: "visually-hidden" }, t("dorm.search")),
        h("div", { style: null, class: "grow" }, query),
        h("button", { type: "submit", class: "primary" }, t("dorm.searchButton"))),
      results),
    lists);
}
