// Names for the API's enum values, in the UI language.
import { t } from "../shared/i18n.js";

export const CATEGORIES = ["electrical", "plumbing", "furniture", "network", "air_conditioning", "appliance", "door_lock", "other"];
export const PRIORITIES = ["emergency", "high", "normal", "low"];
export const DIETS = ["vegetarian", "vegan", "halal", "no_pork"];
export const ALLERGENS = ["peanut", "tree_nut", "milk", "egg", "fish", "shellfish", "soy", "wheat_gluten", "sesame"];
export const MEALS = ["breakfast", "lunch", "dinner"];

export const label = (kind, value) => t(`${kind}.${value}`);

const TONE = { submitted: "plain", assigned: "", in_progress: "", on_hold: "warn", completed: "", closed: "plain", cancelled: "plain", reopened: "warn" };
export const statusTone = (status) => TONE[status] ?? "";
