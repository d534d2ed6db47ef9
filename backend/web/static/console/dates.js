// Campus days. The API speaks campus time (Asia/Shanghai by default); the week grid and the
// home page need today's campus date whatever the browser's own time zone.
import { language } from "../shared/i18n.js";

const CAMPUS_TZ = "Asia/Shanghai";
const WEEKDAYS = { en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], zh: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"] };

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
