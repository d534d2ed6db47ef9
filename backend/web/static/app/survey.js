// One survey, rendered from its template: 1–5 scales (overall and the SERVQUAL dimensions),
// NPS 0–10, an optional comment. One submission; then thanks. Expired ones say so.
import { api, newKey } from "../shared/api.js";
import { campusTime, h, replace } from "../shared/dom.js";
import { bindDraft, clearDraft } from "../shared/drafts.js";
import { ApiError, errorText } from "../shared/errors.js";
import { pick, t } from "../shared/i18n.js";

const DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"];

function scale(question) {
  const name = `q-${question.key}`;
  const nps = question.min === 0 && question.max === 10;
  const options = [];
  for (let value = question.min; value <= question.max; value++) {
    options.push(h("label", {}, h("input", { type: "radio", name, value: String(value), required: question.required }), h("span", {}, String(value))));
  }
  return h("fieldset", { class: "question", dataset: { key: question.key } },
    h("legend", {}, pick(question, "text"), question.required ? h("span", { class: "muted" }, ` (${t("survey.required")})`) : null),
    h("div", { class: `scale${nps ? " nps" : ""}` }, options),
    h("div", { class: "scale-ends", "aria-hidden": "true" },
      h("span", {}, t(nps ? "survey.npsLow" : "survey.low")), h("span", {}, t(nps ? "survey.npsHigh" : "survey.high"))));
}

function thanks(main) {
  replace(main, h("section", { class: "card", role: "status" },
    h("h2", { tabindex: "-1", id: "thanks" }, t("survey.thanks")),
    h("p", {}, t("survey.thanksText")),
    h("a", { class: "button", href: "#/surveys" }, t("surveys.title"))));
  main.querySelector("#thanks").focus();
}

export default async function render(main, params, shell) {
  const id = Number(params.id);
  shell.setTitle(t("survey.title"));
  let invitation;
  try {
    invitation = await api(`/surveys/invitations/${id}`);
  } catch (error) {
    const gone = error instanceof ApiError && ["InvitationExpired", "AlreadyAnswered"].includes(error.code);
    replace(main, h("p", { class: `notice ${gone ? "warn" : "bad"}` }, errorText(error)), h("a", { class: "button", href: "#/surveys" }, t("surveys.title")));
    return;
  }
  shell.setTitle(pick(invitation, "subject"));
  const draft = `survey.${id}.comment`;
  const key = newKey();
  const opened = new Date().toISOString();
  const error = h("div", { role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, t("survey.submit"));
  const form = h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    const value = (k) => form.querySelector(`input[name="q-${k}"]:checked`)?.value;
    const body = { overall: Number(value("overall")), opened_at: opened };
    const dimensions = Object.fromEntries(DIMENSIONS.filter(value).map((k) => [k, Number(value(k))]));
    if (Object.keys(dimensions).length) body.dimensions = dimensions;
    if (value("recommend") !== undefined) body.recommend = Number(value("recommend"));
    const comment = form.querySelector("textarea")?.value.trim();
    if (comment) body.comment = comment;
    submit.disabled = true;
    try {
      await api(`/surveys/invitations/${id}/response`, { method: "POST", json: body, headers: { "Idempotency-Key": key } });
      clearDraft(draft);
      thanks(main);
    } catch (failure) {
      submit.disabled = false;
      replace(error, h("p", { class: "notice bad" }, errorText(failure)));
    }
  } },
    h("p", { class: "small muted" }, `${pick(invitation.team, "name")} · ${t("surveys.until", { time: campusTime(invitation.expires_at) })}`),
    invitation.questions.map((question) => {
      if (question.kind === "scale") return scale(question);
      const area = bindDraft(h("textarea", { id: "q-comment", maxlength: 1000 }), draft);
      return h("div", {}, h("label", { for: area.id }, pick(question, "text")), area);
    }),
    error,
    h("div", { class: "actions" }, submit));
  replace(main, form);
}
