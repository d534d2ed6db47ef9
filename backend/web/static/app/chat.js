// The chat page: the transcript, chips for buttons, the typing indicator, connection states.
import { h, replace } from "../shared/dom.js";
import { bindDraft, clearDraft } from "../shared/drafts.js";
import { t } from "../shared/i18n.js";
import { live } from "./chat-live.js";

const DRAFT = "chat";
const SUGGESTIONS = ["chat.try.lunch", "chat.try.repair", "chat.try.myRepairs", "chat.try.curfew"];

export default function render(main, _params, shell) {
  shell.setTitle(t("chat.title"));
  shell.main.classList.add("chat-main");
  const status = h("div", { class: "chat-status", role: "status", "aria-live": "polite" });
  const log = h("ol", { class: "chat-log list", role: "log", "aria-label": t("chat.log"), "aria-live": "polite" });
  const older = h("button", { type: "button", class: "small older", hidden: true, onclick: () => live.loadHistory(live.messages.find((m) => typeof m.id === "number")?.id) }, t("chat.older"));
  const input = bindDraft(h("textarea", { id: "chat-input", rows: 1, maxlength: 1000, placeholder: t("chat.placeholder"), "aria-label": t("chat.inputLabel"), enterkeyhint: "send" }), DRAFT);
  const sendButton = h("button", { type: "submit", class: "primary" }, t("chat.send"));
  const composer = h("form", { class: "composer", onsubmit: (event) => { event.preventDefault(); send(); } }, input, sendButton);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });

  function send(text = input.value.trim(), title = null) {
    if (!text) return;
    live.send(text, title);
    if (!title) {
      input.value = "";
      clearDraft(DRAFT);
    }
    input.focus();
  }

  function bubble(message, last) {
    const mine = message.role === "student";
    const item = h(
      "li",
      { class: `bubble ${mine ? "me" : "bot"}${message.notification_id ? " proactive" : ""}${message.failed ? " failed" : ""}` },
      h("span", { class: "visually-hidden" }, mine ? t("chat.you") : t("chat.bot")),
      message.notification_id ? h("span", { class: "pill" }, t("chat.update")) : null,
      h("div", { class: "pre text" }, message.text ?? ""),
      message.pending ? h("span", { class: "small muted" }, t("chat.sending")) : null,
      message.failed ? h("span", { class: "small" }, t("chat.failed")) : null,
    );
    if (!mine && last && message.buttons?.length) {
      item.append(
        h("div", { class: "chips", role: "group", "aria-label": t("chat.choices") },
          message.buttons.map((button) => h("button", { type: "button", class: "chip", onclick: () => send(button.payload, button.title) }, button.title))),
      );
    }
    return item;
  }

  function welcome() {
    return h("li", { class: "bubble bot welcome" },
      h("div", { class: "text" }, t("chat.welcome")),
      h("div", { class: "chips", role: "group", "aria-label": t("chat.choices") },
        SUGGESTIONS.map((key) => h("button", { type: "button", class: "chip", onclick: () => send(t(key)) }, t(key)))));
  }

  function statusLine() {
    const problems = {
      offline: ["warn", "chat.state.offline"],
      reconnecting: ["warn", "chat.state.reconnecting"],
      fallback: ["plain", "chat.state.fallback"],
      connecting: ["plain", "chat.state.connecting"],
    };
    const notes = [];
    if (problems[live.state]) notes.push(problems[live.state]);
    if (live.problem) notes.push(["bad", `chat.problem.${live.problem}`]);
    replace(status, notes.map(([tone, key]) => h("p", { class: `notice ${tone} small` }, t(key))));
  }

  function draw() {
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    const lastBot = live.messages.findLastIndex((m) => m.role !== "student");
    const lastAny = live.messages.length - 1;
    replace(
      log,
      live.messages.length ? null : welcome(),
      live.messages.map((message, i) => bubble(message, i === lastBot && lastBot === lastAny)),
      live.typing ? h("li", { class: "bubble bot typing", "aria-label": t("chat.typing") }, h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")), h("span", { class: "visually-hidden" }, t("chat.typing"))) : null,
    );
    older.hidden = !live.hasMore;
    log.dataset.loaded = String(live.loaded);
    statusLine();
    sendButton.disabled = live.state === "offline";
    if (nearBottom || live.messages.at(-1)?.role === "student") log.scrollTop = log.scrollHeight;
  }

  replace(main, h("section", { class: "chat" }, older, log, status, composer));
  const off = live.on(draw);
  live.view(true);
  draw();
  log.scrollTop = log.scrollHeight;
  return () => {
    off();
    live.view(false);
    shell.main.classList.remove("chat-main");
  };
}
