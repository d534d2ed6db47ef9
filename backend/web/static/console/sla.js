// The SLA clock of a ticket: time left, overdue, or stopped while on hold (the API moves
// the due time by the hold's length on resume, and sends `sla_paused_since` meanwhile).
import { h } from "../shared/dom.js";
import { t } from "../shared/i18n.js";

const SOON_MS = 2 * 3600 * 1000;
const PENDING = ["submitted", "assigned", "in_progress", "on_hold", "reopened"];

export function duration(ms) {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60000));
  const d = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return t("console.tech.daysHours", { d, h: hours });
  if (hours) return t("console.tech.hoursMinutes", { h: hours, m });
  return t("console.tech.minutes", { m });
}

/** {text, tone} for a ticket at `now` (ms): tone "" | "warn" | "bad" | "paused". */
export function sla(ticket, now = Date.now()) {
  if (!PENDING.includes(ticket.status)) return { text: "—", tone: "" };
  const due = Date.parse(ticket.due_at);
  if (ticket.sla_paused_since) {
    const left = due - Date.parse(ticket.sla_paused_since);
    return { text: t(left < 0 ? "console.tech.pausedOverdue" : "console.tech.paused", { time: duration(left) }), tone: left < 0 ? "bad" : "paused" };
  }
  const left = due - now;
  if (left < 0) return { text: t("console.tech.overdueBy", { time: duration(left) }), tone: "bad" };
  return { text: t("console.tech.left", { time: duration(left) }), tone: left < SOON_MS ? "warn" : "" };
}

export function slaBadge(ticket) {
  const { text, tone } = sla(ticket);
  return h("span", { class: `sla ${tone}`, dataset: { sla: tone || "ok" } }, text);
}
