// Settings: language, diet and allergens, meal plan, notifications and quiet hours, linked
// accounts, deleting the chat history.
import { api } from "../shared/api.js";
import { campusDate, campusTime, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { language, pick, setLanguage, t } from "../shared/i18n.js";
import { live } from "./chat-live.js";
import { ALLERGENS, DIETS, label } from "./labels.js";

const CATEGORIES = ["repairs", "surveys", "handoff", "news"];
const CHANNELS = ["app", "wecom", "telegram"];

function section(titleKey, ...children) {
  const id = `set-${titleKey.replace(/\W/g, "-")}`;
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, t(titleKey)), ...children);
}

function status() {
  return h("p", { class: "small", role: "status", "aria-live": "polite" });
}

function showError(line, error) {
  line.className = "small field-error";
  line.textContent = errorText(error);
}

async function saving(line, work) {
  line.className = "small";
  line.textContent = t("common.loading");
  try {
    await work();
    line.textContent = t("common.saved");
  } catch (error) {
    showError(line, error);
  }
}

function languageSection(shell) {
  const line = status();
  const choices = [["zh", "中文"], ["en", "English"]].map(([code, name]) =>
    h("label", { class: "check", lang: code === "zh" ? "zh-CN" : "en" }, h("input", { type: "radio", name: "lang", value: code, checked: language() === code }), name));
  const fieldset = h("fieldset", { onchange: (event) => saving(line, async () => {
    const locale = event.target.value;
    shell.me = await api("/me", { method: "PATCH", json: { locale } });
    setLanguage(locale);
  }) }, h("legend", {}, t("settings.languageLegend")), choices);
  return section("settings.language", h("p", { class: "small muted" }, t("settings.languageHint")), fieldset, line);
}

function dietSection(shell) {
  const line = status();
  const box = (kind, value, on) => h("label", { class: "check" }, h("input", { type: "checkbox", name: kind, value, checked: on }), label(kind === "diets" ? "diet" : "allergen", value));
  const form = h("form", { onsubmit: (event) => {
    event.preventDefault();
    const values = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
    saving(line, async () => { shell.me = await api("/me", { method: "PATCH", json: { diets: values("diets"), allergens: values("allergens") } }); });
  } },
    h("fieldset", {}, h("legend", {}, t("settings.diets")), h("div", { class: "checks" }, DIETS.map((d) => box("diets", d, shell.me.diets.includes(d))))),
    h("fieldset", {}, h("legend", {}, t("settings.allergens")), h("div", { class: "checks" }, ALLERGENS.map((a) => box("allergens", a, shell.me.allergens.includes(a))))),
    h("button", { type: "submit", class: "primary" }, t("common.save")), line);
  return section("settings.diet", h("p", { class: "small muted" }, t("settings.dietHint")), form);
}

async function planSection() {
  const line = status();
  const plans = await api("/meal-plans");
  const followed = plans.data.find((p) => p.subscribed)?.slug ?? "";
  const select = h("select", { id: "meal-plan", value: followed }, h("option", { value: "" }, t("settings.noPlan")), plans.data.map((p) => h("option", { value: p.slug }, pick(p, "name"))));
  const describe = h("p", { class: "small muted" });
  const explain = () => { describe.textContent = pick(plans.data.find((p) => p.slug === select.value), "description"); };
  select.addEventListener("change", () => { explain(); saving(line, () => select.value ? api("/meal-plans/subscription", { method: "PUT", json: { plan: select.value } }) : api("/meal-plans/subscription", { method: "DELETE" })); });
  explain();
  return section("settings.plan", h("label", { for: select.id }, t("settings.planLabel")), select, describe, line);
}

async function notificationSection() {
  let prefs;
  try {
    prefs = await api("/notifications/preferences");
  } catch (error) {
    return section("settings.notifications", h("p", { class: "notice warn" }, errorText(error)));
  }
  const line = status();
  const table = h("table", { class: "prefs" },
    h("caption", { class: "visually-hidden" }, t("settings.notifications")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("settings.topic")), CHANNELS.map((c) => h("th", { scope: "col" }, t(`channel.${c}`))))),
    h("tbody", {}, CATEGORIES.map((category) => h("tr", {},
      h("th", { scope: "row" }, t(`topic.${category}`)),
      CHANNELS.map((channel) => h("td", {}, h("input", { type: "checkbox", dataset: { category, channel }, checked: prefs.categories?.[category]?.[channel] ?? true, "aria-label": `${t(`topic.${category}`)} · ${t(`channel.${channel}`)}` })))))));
  const quiet = h("input", { type: "checkbox", id: "quiet-on", checked: prefs.quiet_hours !== null });
  const start = h("input", { type: "time", id: "quiet-start", value: prefs.quiet_hours?.start ?? "23:00" });
  const end = h("input", { type: "time", id: "quiet-end", value: prefs.quiet_hours?.end ?? "07:00" });
  const cap = h("input", { type: "number", id: "daily-cap", min: 1, max: 100, value: String(prefs.daily_cap) });
  const reminders = h("input", { type: "number", id: "survey-reminders", min: 0, max: 5, value: String(prefs.survey_reminders) });
  const times = h("div", { class: "filters" }, h("div", {}, h("label", { for: start.id }, t("settings.quietFrom")), start), h("div", {}, h("label", { for: end.id }, t("settings.quietTo")), end));
  const toggle = () => { times.hidden = !quiet.checked; };
  quiet.addEventListener("change", toggle);
  toggle();
  const form = h("form", { onsubmit: (event) => {
    event.preventDefault();
    const categories = {};
    for (const box of table.querySelectorAll("input")) (categories[box.dataset.category] ??= {})[box.dataset.channel] = box.checked;
    const body = { categories, quiet_hours: quiet.checked ? { start: start.value, end: end.value } : null, daily_cap: Number(cap.value), survey_reminders: Number(reminders.value) };
    saving(line, () => api("/notifications/preferences", { method: "PUT", json: body }));
  } },
    h("p", { class: "small muted" }, t("settings.notificationsHint")), table,
    h("label", { class: "check" }, quiet, t("settings.quiet")), times,
    h("div", { class: "filters" },
      h("div", {}, h("label", { for: cap.id }, t("settings.cap")), cap),
      h("div", {}, h("label", { for: reminders.id }, t("settings.reminders")), reminders)),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("common.save"))), line);
  return section("settings.notifications", form);
}

const PLATFORMS = ["wecom", "telegram"];
const LINK_POLL_MS = 4000;

// The code is sent from the platform, so the page cannot know when it is used: while a code
// is shown, the links are read again every few seconds (and stop when the page is left).
async function linkedSection() {
  const line = status();
  const rows = h("ul", { class: "list" });
  const codeBox = h("div", { role: "status", "aria-live": "polite" });
  let timer = null;
  const stopPolling = () => { clearTimeout(timer); timer = null; };

  const draw = (links) => replace(rows, PLATFORMS.map((platform) => {
    const link = links.find((l) => l.platform === platform);
    const name = t(`channel.${platform}`);
    const unlink = link && h("button", { type: "button", class: "danger small", onclick: () => {
      if (!confirm(t("settings.unlinkSure", { platform: name }))) return;
      saving(line, async () => { await api(`/channels/links/${platform}`, { method: "DELETE" }); await refresh(); });
    } }, t("settings.unlink"));
    return h("li", { class: "row spread linked-row", dataset: { platform } },
      h("div", {}, h("strong", {}, name),
        link ? h("div", { class: "small muted" }, t("settings.linkedAs", { id: link.external_id, date: campusDate(link.linked_at) })) : null),
      unlink || h("span", { class: "pill plain" }, t("settings.notLinked")));
  }));

  let shown = null; // the links last drawn: a change while a code waits means it was used
  const refresh = async () => {
    const links = (await api("/channels/links")).data;
    const changed = shown !== null && JSON.stringify(links) !== JSON.stringify(shown);
    shown = links;
    draw(links);
    return changed;
  };

  const poll = (until) => {
    timer = setTimeout(async () => {
      if (!rows.isConnected) return stopPolling();
      if (Date.now() > until) { stopPolling(); replace(codeBox, h("p", { class: "notice warn" }, t("settings.codeExpired"))); return; }
      let used = false;
      try { used = await refresh(); } catch { /* a missed poll is tried again */ }
      if (used) { stopPolling(); replace(codeBox, h("p", { class: "notice" }, t("settings.linkDone"))); } else if (timer) poll(until);
    }, LINK_POLL_MS);
  };

  const getCode = h("button", { type: "button", class: "primary", onclick: async () => {
    stopPolling();
    line.textContent = "";
    let issued;
    try {
      issued = await api("/channels/link-codes", { method: "POST" });
    } catch (error) {
      return showError(line, error);
    }
    replace(codeBox,
      h("p", {}, t("settings.codeIntro")),
      h("p", { class: "link-code", "aria-label": t("settings.codeLabel") }, issued.code),
      h("p", { class: "small muted" }, t("settings.codeHow", { code: issued.code, time: campusTime(issued.expires_at) })));
    poll(Date.parse(issued.expires_at));
  } }, t("settings.getCode"));

  await refresh().catch((error) => { draw([]); showError(line, error); });
  return section("settings.linked", h("p", { class: "small muted" }, t("settings.linkedText")), rows, codeBox, h("div", { class: "actions" }, getCode), line);
}

function historySection() {
  const line = status();
  const button = h("button", { type: "button", class: "danger", onclick: () => {
    if (!confirm(t("settings.historySure"))) return;
    saving(line, async () => {
      await api("/chat/history", { method: "DELETE" });
      live.messages = [];
      live.emit();
    });
  } }, t("settings.historyDelete"));
  return section("settings.history", h("p", { class: "small muted" }, t("settings.historyHint")), button, line);
}

export default async function render(main, _params, shell) {
  shell.setTitle(t("settings.title"));
  const [plan, notifications, linked] = await Promise.all([planSection(), notificationSection(), linkedSection()]);
  replace(main,
    h("p", { class: "muted" }, t("settings.signedInAs", { name: shell.me.name, username: shell.me.username })),
    languageSection(shell), dietSection(shell), plan, notifications, linked, historySection());
}
