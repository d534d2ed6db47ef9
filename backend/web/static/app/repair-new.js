// A new repair report by form (the chat can do the same). A matching open ticket answers
// 409 PossibleDuplicate: follow it ("me too") or report anyway.
import { api, newKey } from "../shared/api.js";
import { field, h, replace } from "../shared/dom.js";
import { bindDraft, clearDraft } from "../shared/drafts.js";
import { ApiError, errorText } from "../shared/errors.js";
import { t } from "../shared/i18n.js";
import { CATEGORIES, label, PRIORITIES } from "./labels.js";
import { MAX_PHOTOS, photoPicker, tooBig, upload } from "./photos.js";
import { ticketCard } from "./repairs.js";

export default function render(main, _params, shell) {
  shell.setTitle(t("report.title"));
  const room = shell.me.room;
  const category = bindDraft(h("select", { required: true }, h("option", { value: "" }, t("report.pick")), CATEGORIES.map((c) => h("option", { value: c }, label("category", c)))), "repair.category");
  const description = bindDraft(h("textarea", { required: true, minlength: 5, maxlength: 2000 }), "repair.description");
  const priority = h("select", {}, PRIORITIES.map((p) => h("option", { value: p, selected: p === "normal" }, label("priority", p))));
  const elsewhere = h("input", { type: "checkbox", id: "elsewhere" });
  const building = h("input", { maxlength: 16, autocomplete: "off" });
  const roomInput = h("input", { maxlength: 16, autocomplete: "off" });
  const note = bindDraft(h("input", { maxlength: 200 }), "repair.note");
  const place = h("div", { hidden: true }, field(t("report.building"), building, t("report.buildingHint")), field(t("report.room"), roomInput));
  elsewhere.addEventListener("change", () => { place.hidden = !elsewhere.checked; });
  const files = [];
  const chosen = h("ul", { class: "small list" });
  const fileError = h("p", { class: "field-error", role: "alert" });
  const picker = photoPicker((added) => {
    fileError.textContent = "";
    for (const file of added) {
      const problem = tooBig(file);
      if (problem) fileError.textContent = problem;
      else if (files.length >= MAX_PHOTOS) fileError.textContent = t("photos.tooMany", { count: MAX_PHOTOS });
      else files.push(file);
    }
    drawFiles();
  });
  function drawFiles() {
    replace(chosen, files.map((file, i) => h("li", { class: "row" }, file.name, h("button", { type: "button", class: "small", "aria-label": t("photos.removeNamed", { name: file.name }), onclick: () => { files.splice(i, 1); drawFiles(); } }, t("photos.remove")))));
  }
  const error = h("div", { role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, t("report.submit"));
  const key = newKey();

  async function send(evenIfDuplicate = false) {
    submit.disabled = true;
    replace(error);
    const body = { category: category.value, description: description.value.trim(), priority: priority.value, location_note: note.value.trim() || undefined, report_even_if_duplicate: evenIfDuplicate || undefined };
    if (elsewhere.checked) Object.assign(body, { building_code: building.value.trim() || undefined, room: roomInput.value.trim() || undefined });
    try {
      const ticket = await api("/repairs", { method: "POST", json: body, headers: { "Idempotency-Key": evenIfDuplicate ? newKey() : key } });
      for (const draft of ["repair.category", "repair.description", "repair.note"]) clearDraft(draft);
      const failed = [];
      for (const file of files) await upload(ticket.id, file).catch((e) => failed.push(`${file.name}: ${errorText(e)}`));
      shell.toast(failed.length ? `${t("report.done", { id: ticket.id })} ${failed.join("; ")}` : t("report.done", { id: ticket.id }));
      location.hash = `/repairs/${ticket.id}`;
    } catch (failure) {
      submit.disabled = false;
      if (failure instanceof ApiError && failure.code === "PossibleDuplicate") return duplicates(failure.body.duplicates);
      replace(error, h("p", { class: "notice bad" }, errorText(failure)));
    }
  }

  function duplicates(tickets) {
    replace(error,
      h("div", { class: "notice warn" },
        h("h2", {}, t("report.duplicateTitle")),
        h("p", {}, t("report.duplicateText")),
        h("ul", { class: "list" }, tickets.map((ticket) => {
          const card = ticketCard(ticket);
          card.append(h("button", { type: "button", class: "primary", onclick: () => meToo(ticket.id) }, t("report.meToo")));
          return card;
        })),
        h("button", { type: "button", onclick: () => send(true) }, t("report.anyway"))));
    error.querySelector("h2").setAttribute("tabindex", "-1");
    error.querySelector("h2").focus();
  }

  async function meToo(id) {
    try {
      await api(`/repairs/${id}/followers`, { method: "POST" });
      for (const draft of ["repair.category", "repair.description", "repair.note"]) clearDraft(draft);
      shell.toast(t("report.followed", { id }));
      location.hash = `/repairs/${id}`;
    } catch (failure) {
      replace(error, h("p", { class: "notice bad" }, errorText(failure)));
    }
  }

  const form = h("form", { class: "card", onsubmit: (event) => { event.preventDefault(); send(); } },
    field(t("report.category"), category),
    field(t("report.description"), description, t("report.descriptionHint")),
    field(t("report.priority"), priority, t("report.priorityHint")),
    h("p", { class: "muted" }, room ? t("report.place", { building: room.building_code, room: room.room }) : t("report.noRoom")),
    h("label", { class: "check" }, elsewhere, t("report.elsewhere")),
    place,
    field(t("report.note"), note, t("report.noteHint")),
    h("fieldset", {}, h("legend", {}, t("photos.title")), picker, chosen, fileError),
    error,
    h("div", { class: "actions" }, submit, h("a", { class: "button", href: "#/repairs" }, t("common.cancel"))));
  replace(main, form);
  if (!room) { elsewhere.checked = true; place.hidden = false; }
}
