// The service desk's queue of students who asked for a person: the transcript they came
// with, a reply (it reaches the student through the notifications), close.
import { api } from "../shared/api.js";
import { campusTime, field, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { t } from "../shared/i18n.js";

const STATUSES = ["open", "answered", "closed"];

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.office.handoffs"));
  let status = "open";
  const out = h("div", { "aria-live": "polite" });
  const tabs = h("div", { class: "tabs", role: "group", "aria-label": t("console.office.status") });
  const load = async () => {
    replace(tabs, STATUSES.map((s) => h("button", { type: "button", "aria-pressed": String(s === status), onclick: () => { status = s; load(); } }, t(`console.office.handoff.${s}`))));
    const page = await api("/handoffs", { query: { status, size: 50 } });
    replace(out, page.count ? h("ul", { class: "list" }, page.data.map((item) => card(item, shell, load))) : h("p", { class: "empty" }, t("console.office.none")));
  };
  replace(main, tabs, out);
  await load();
}

function card(item, shell, reload) {
  const reply = h("textarea", { name: "reply", rows: 3, maxlength: 2000, value: item.reply ?? "" });
  const problem = h("div", { class: "field-error", role: "alert" });
  const act = (path, json) => async (event) => {
    event.preventDefault();
    problem.textContent = "";
    try {
      await api(`/handoffs/${item.id}/${path}`, { method: "POST", json });
      shell.toast(t(path === "reply" ? "console.office.replied" : "console.office.closed"));
      await reload();
    } catch (error) {
      problem.textContent = errorText(error);
    }
  };
  return h("li", { class: "card" },
    h("div", { class: "row spread" },
      h("h2", {}, `#${item.id} · ${item.student?.name ?? ""}`),
      h("span", { class: "small muted" }, t("console.office.replyBy", { time: campusTime(item.reply_by) }))),
    h("p", { class: "pre" }, item.message),
    item.transcript.length
      ? h("details", {}, h("summary", {}, t("console.office.transcript", { count: item.transcript.length })), h("ol", { class: "small" }, item.transcript.map((line) => h("li", { class: "pre" }, line))))
      : null,
    item.status === "closed"
      ? (item.reply ? h("p", { class: "notice" }, item.reply) : null)
      : h("form", { onsubmit: (event) => act("reply", { reply: reply.value.trim() })(event) },
          field(t("console.office.reply"), reply),
          problem,
          h("div", { class: "actions" },
            h("button", { type: "submit", class: "primary" }, t("console.office.sendReply")),
            h("button", { type: "button", onclick: act("close") }, t("console.office.close")))));
}
