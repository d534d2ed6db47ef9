// Both languages for every string. Dictionaries are JSON files ({"en": {...}, "zh": {...}})
// loaded once; the whole UI re-renders when the language changes.
const dictionaries = { en: {}, zh: {} };
const listeners = new Set();
const STORAGE_KEY = "houqin.lang";
let current = "en";

export async function loadStrings(...urls) {
  const files = await Promise.all(urls.map((url) => fetch(url).then((r) => r.json())));
  for (const file of files) for (const lang of ["en", "zh"]) Object.assign(dictionaries[lang], file[lang]);
}

export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

export function has(key) {
  return key in dictionaries[current];
}

export const language = () => current;

export function initialLanguage() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "en" || stored === "zh") return stored;
  return (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function setLanguage(lang, { silent = false } = {}) {
  current = lang === "zh" ? "zh" : "en";
  localStorage.setItem(STORAGE_KEY, current);
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  if (!silent) for (const listener of listeners) listener(current);
}

export function onLanguage(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** obj.name_en or obj.name_zh, whichever the UI speaks. */
export function pick(obj, field) {
  return obj?.[`${field}_${current}`] ?? obj?.[`${field}_en`] ?? "";
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/** API messages come as "English text. 中文说明。": show the half in the UI language. */
export function localText(text) {
  const at = text.search(HAN);
  if (at <= 0) return text;
  const english = text.slice(0, at).trim();
  const chinese = text.slice(at).trim();
  return current === "zh" ? chinese : english || text;
}
