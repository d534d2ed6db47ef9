// Campus days. The API speaks campus time (Asia/Shanghai by default); the pages need today's
// campus date, week and month whatever the browser's own time zone (at 07:00 on a Monday in
// Shanghai it is still Sunday in UTC). Dates are ISO strings ("2026-12-07").
import { language } from "./i18n.js";

const CAMPUS_TZ = "Asia/Shanghai";
const WEEKDAYS = { en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], zh: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"] };
const DAY_MS = 86400000;

export function campusToday() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: CAMPUS_TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

export function addDays(iso, days) {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday, as the API counts weekdays. */
export const weekdayIndex = (iso) => (new Date(`${iso}T12:00:00Z`).getUTCDay() + 6) % 7;
export const weekdayName = (index) => WEEKDAYS[language()][index];
export const mondayOf = (iso) => addDays(iso, -weekdayIndex(iso));

/** The ISO week ("2026-W50") of a date: the week's Thursday decides its year. */
export function isoWeek(iso) {
  const thursday = addDays(iso, 3 - weekdayIndex(iso));
  const year = Number(thursday.slice(0, 4));
  const days = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / DAY_MS);
  return `${year}-W${String(Math.floor(days / 7) + 1).padStart(2, "0")}`;
}

/** The month ("2026-12") of a date; a month some months before or after another. */
export const monthOf = (iso) => iso.slice(0, 7);
export function addMonths(month, months) {
  const [year, number] = month.split("-").map(Number);
  return new Date(Date.UTC(year, number - 1 + months, 1)).toISOString().slice(0, 7);
}
