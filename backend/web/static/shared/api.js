// The one client for the JSON API: bearer token, one refresh-and-retry on 401, errors as
// ApiError. Every permission check is the API's; pages only show what it answers.
import { ApiError } from "./errors.js";
import { accessToken } from "./session.js";

export const API = "/api/v1";

function url(path, query) {
  const target = new URL(API + path, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined || value === "") continue;
    for (const one of Array.isArray(value) ? value : [value]) target.searchParams.append(name, one);
  }
  return target;
}

export async function api(path, { method = "GET", json, form, query, headers = {}, raw = false } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "same-origin" };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (form) {
    init.body = form;
  }
  for (let attempt = 0; ; attempt++) {
    init.headers.Authorization = `Bearer ${await accessToken({ force: attempt > 0 })}`;
    const response = await fetch(url(path, query), init);
    if (response.status === 401 && attempt === 0) continue;
    if (!response.ok) throw await ApiError.from(response);
    if (raw) return response;
    return response.status === 204 ? null : response.json();
  }
}

/** An Idempotency-Key: a retried write is done once. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
