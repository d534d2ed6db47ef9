// One ticket for the crew: description, place, SLA clock, followers, photos, the timeline,
// the chat it came from, and exactly the moves the API allows now (`allowed_actions`).
import { api } from "../shared/api.js";
import { campusTime, h, replace, uid } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";
import { label, statusTone } from "../app/labels.js";
import { thumbnail } from "../app/photos.js";
import { slaBadge } from "./sla.js";

const NEEDS = { hold: "reason" }; // the other moves take an optional note

export default async function render(main, params, shell) {
  const id = Number(params.id);
  shell.setTitle(t("repair.title", { id }));
  const [ticket, transcript] = await Promise.all([api(`/repairs/${id}`), api(`/repairs/${id}/transcript`)]);
  const crew = ticket.allowed_actions.includes("assign") ? (await api(`/repairs/${id}/assignees`)).data : [];
  const message = h("div", { role: "alert" });

  async function move(body) {
    replace(message);
    try {
      await api(`/repairs/${id}/transitions`, { method: "POST", json: body });
      shell.toast(t(`console.tech.moved.${body.action}`, { id }));
      await render(main, params, shell);
    } catch (error) {
      replace(message, h("p", { class: "notice bad" }, errorText(error)));
    }
  }

  function moveForm(action) {
    const text = h("input", { id: uid(action), name: NEEDS[action] ?? "note", maxlength: NEEDS[action] ? 500 : 1000, required: Boolean(NEEDS[action]) });
    const who = action === "assign" ? h("select", { id: uid("assignee"), name: "assignee" },
      crew.map((person) => h("option", { value: String(person.id) }, person.is_me ? t("console.tech.me", { name: person.name }) : `${person.name} · ${pick(person.team, "name")}`))) : null;
    return h("form", { dataset: { action }, onsubmit: (event) => {
      event.preventDefault();
      const body = { action };
      if (text.value.trim()) body[NEEDS[action] ?? "note"] = text.value.trim();
      if (who) body.assignee_id = Number(who.value);
      move(body);
    } },
      who ? [h("label", { for: who.id }, t("console.tech.assignTo")), who] : null,
      h("label", { for: text.id }, t(NEEDS[action] ? "console.tech.holdReason" : "repair.note")),
      text,
      h("div", { class: "actions" }, h("button", { type: "submit", class: action === "cancel" ? "danger" : "primary" }, t(`console.tech.do.${action}`))));
  }

  const where = [ticket.location.building_code, ticket.location.room, ticket.location.note].filter(Boolean).join(" · ");
  const lastHold = [...ticket.history].reverse().find((entry) => entry.action === "hold");
  replace(main,
    h("p", {}, h("a", { href: "#/tickets" }, `← ${t("console.tech.queue")}`)),
    h("div", { class: "detail" },
      h("div", {},
        h("section", { class: "card" },
          h("div", { class: "ticket-head row spread" },
            h("h2", {}, `#${ticket.id} ${label("category", ticket.category)}`),
            h("span", { class: `pill ${statusTone(ticket.status)}`, id: "ticket-status" }, label("status", ticket.status))),
          h("p", { class: "pre" }, ticket.description),
          h("dl", { class: "facts" },
            h("dt", {}, t("repair.where")), h("dd", {}, where || "—"),
            h("dt", {}, t("repair.priority")), h("dd", {}, label("priority", ticket.priority)),
            h("dt", {}, t("repair.crew")), h("dd", {}, ticket.team ? pick(ticket.team, "name") : t("repair.noCrew")),
            h("dt", {}, t("repair.technician")), h("dd", { id: "ticket-assignee" }, ticket.assignee?.name ?? t("repair.notAssigned")),
            h("dt", {}, t("repair.due")), h("dd", {}, campusTime(ticket.due_at), " ", slaBadge(ticket)),
            ticket.sla_paused_since ? [h("dt", {}, t("console.tech.heldSince")), h("dd", {}, campusTime(ticket.sla_paused_since), lastHold?.reason ? ` · ${lastHold.reason}` : "")] : null,
            h("dt", {}, t("console.tech.followers")), h("dd", {}, ticket.followers ? t("console.tech.followersCount", { count: ticket.followers }) : t("console.tech.noFollowers")),
            h("dt", {}, t("console.tech.reported")), h("dd", {}, campusTime(ticket.created_at), " · ", transcript.from_chat ? t("console.tech.viaChat") : t("console.tech.viaApp")))),
        h("section", { class: "card" },
          h("h2", {}, t("photos.title"), " ", h("span", { class: "small muted" }, String(ticket.photos.length))),
          ticket.photos.length ? h("div", { class: "thumbs" }, ticket.photos.map(thumbnail)) : h("p", { class: "muted" }, t("photos.none"))),
        h("section", { class: "card" },
          h("h2", {}, t("repair.timeline")),
          h("ol", { class: "timeline", id: "timeline" },
            ticket.history.map((entry) => h("li", {},
              h("div", {}, h("strong", {}, label("action", entry.action)), " → ", label("status", entry.to_status)),
              h("div", { class: "small muted" }, `${campusTime(entry.at)} · ${label("role", entry.actor_role)}`),
              entry.reason ? h("div", { class: "small" }, t("repair.reason"), ": ", entry.reason) : null,
              entry.note ? h("div", { class: "small pre" }, entry.note) : null))))),
      h("div", {},
        h("section", { class: "card moves", "aria-labelledby": "moves-title" },
          h("h2", { id: "moves-title" }, t("console.tech.moves")),
          message,
          ticket.allowed_actions.length ? ticket.allowed_actions.map(moveForm) : h("p", { class: "muted" }, t("console.tech.noMoves"))),
        transcript.from_chat ? h("section", { class: "card" },
          h("h2", {}, t("console.tech.transcript")),
          transcript.data.length ? h("ol", { class: "transcript" }, transcript.data.map((line) => h("li", { class: line.speaker },
            h("div", { class: "small muted" }, `${campusTime(line.at)} · ${t(`console.tech.speaker.${line.speaker}`)}`),
            h("div", { class: "pre" }, line.text)))) : h("p", { class: "muted" }, t("console.tech.transcriptGone"))) : null)));
}
