// One ticket: status, crew, due time, the timeline, photos, the reporter's moves, the rating.
import { api } from "../shared/api.js";
import { campusTime, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";
import { label, statusTone } from "./labels.js";
import { MAX_PHOTOS, photoPicker, thumbnail, tooBig, upload } from "./photos.js";

// The reporter's buttons: the moves the API says are theirs now (`allowed_actions`).
const REPORTER_MOVES = ["cancel", "confirm", "reopen"];
const CLOSED = ["closed", "cancelled"];

export default async function render(main, params, shell) {
  const id = Number(params.id);
  shell.setTitle(t("repair.title", { id }));
  const [ticket, pending] = await Promise.all([api(`/repairs/${id}`), api("/surveys/pending").catch(() => ({ data: [] }))]);
  const rating = pending.data.find((inv) => inv.source === "repair" && inv.source_id === id);
  const message = h("div", { role: "status", "aria-live": "polite" });

  async function move(action, note) {
    try {
      await api(`/repairs/${id}/transitions`, { method: "POST", json: { action, note: note || undefined }});
      shell.toast(t(`repair.moved.${action}`));
      await render(main, params, shell);
    } catch (error) {
      replace(message, h("p", { class: "notice bad" }, errorText(error)));
    }
  }

  function moves() {
    if (ticket.reporter !== "me") return null;
    const note = h("input", { maxlength: 1000, id: "move-note" });
    const buttons = REPORTER_MOVES
      .filter((action) => ticket.allowed_actions.includes(action))
      .map((action) => h("button", { type: "button", class: action === "cancel" ? "danger" : action === "confirm" ? "primary" : "", onclick: () => {
        if (action === "cancel" && !confirm(t("repair.cancelSure"))) return;
        move(action, note.value.trim());
      } }, t(`repair.do.${action}`)));
    if (!buttons.length) return null;
    const done = ticket.status === "completed"; // a word for the crew with confirm or reopen
    return h("section", { class: "card" },
      h("h2", {}, t("repair.yourMove")),
      done ? [h("label", { for: note.id }, t("repair.note")), note] : null,
      h("div", { class: "actions" }, buttons));
  }

  function photos() {
    const grid = h("div", { class: "thumbs" }, ticket.photos.map(thumbnail));
    const problem = h("p", { class: "field-error", role: "alert" });
    const open = !CLOSED.includes(ticket.status) && ticket.photos.length < MAX_PHOTOS;
    const picker = open ? photoPicker(async (files) => {
      const problems = [];
      let added = 0;
      for (const file of files) {
        const tooLarge = tooBig(file);
        if (tooLarge) { problems.push(tooLarge); continue; }
        try {
          await upload(id, file);
          added += 1;
        } catch (error) {
          problems.push(`${file.name}: ${errorText(error)}`);
        }
      }
      if (added) {
        shell.toast(t("photos.added"));
        await render(main, params, shell);
      }
      main.querySelector(".photos .field-error").textContent = problems.join(" ");
    }) : null;
    return h("section", { class: "card photos" },
      h("h2", {}, t("photos.title"), " ", h("span", { class: "small muted" }, `${ticket.photos.length}/${MAX_PHOTOS}`)),
      ticket.photos.length ? null : h("p", { class: "muted" }, t("photos.none")),
      grid, picker, problem);
  }

  const where = [ticket.location.building_code, ticket.location.room, ticket.location.note].filter(Boolean).join(" · ");
  replace(main,
    h("p", {}, h("a", { href: "#/repairs" }, `← ${t("repairs.title")}`)),
    h("section", { class: "card" },
      h("div", { class: "ticket-head" },
        h("h2", {}, label("category", ticket.category)),
        h("span", { class: `pill ${statusTone(ticket.status)}`, id: "ticket-status" }, label("status", ticket.status))),
      h("p", { class: "pre" }, ticket.description),
      h("dl", { class: "facts" },
        h("dt", {}, t("repair.where")), h("dd", {}, where || "—"),
        h("dt", {}, t("repair.priority")), h("dd", {}, label("priority", ticket.priority)),
        h("dt", {}, t("repair.crew")), h("dd", {}, ticket.team ? pick(ticket.team, "name") : t("repair.noCrew")),
        h("dt", {}, t("repair.technician")), h("dd", {}, ticket.assignee?.name ?? t("repair.notAssigned")),
        h("dt", {}, t("repair.due")), h("dd", {}, campusTime(ticket.due_at), ticket.is_overdue ? h("span", { class: "pill bad" }, " ", t("repairs.overdue")) : null),
        h("dt", {}, t("repair.reporter")), h("dd", {}, ticket.reporter === "me" ? t("repair.byMe") : t("repair.byOther")))),
    rating ? h("p", { class: "notice" }, t("repair.rateNow"), " ", h("a", { class: "button primary", href: `#/surveys/${rating.id}` }, t("repair.rate"))) : null,
    message,
    moves(),
    photos(),
    h("section", { class: "card" },
      h("h2", {}, t("repair.timeline")),
      h("ol", { class: "timeline", "aria-label": t("repair.timeline") },
        ticket.history.map((entry) => h("li", {},
          h("div", {}, h("strong", {}, label("action", entry.action)), " → ", label("status", entry.to_status)),
          h("div", { class: "small muted" }, `${campusTime(entry.at)} · ${label("role", entry.actor_role)}`),
          entry.reason ? h("div", { class: "small" }, t("repair.reason"), ": ", entry.reason) : null,
          entry.note ? h("div", { class: "small pre" }, entry.note) : null)))));
}
