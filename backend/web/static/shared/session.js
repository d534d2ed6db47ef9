// The browser session (see docs/web.md): the access token only in this page's memory, the
// refresh token in an httpOnly SameSite=Strict cookie that only /api/v1/auth/session sees.
// A reload or an expired access token refreshes through the cookie; refreshes are
// serialised across tabs (Web Locks) because each refresh token works once.
import { ApiError } from "./errors.js";

const BASE = "/api/v1/auth/session";
const CSRF = { "X-Houqin-CSRF": "1" };
const EARLY_MS = 30_000;

let access = null;
let expiresAt = 0;
let pending = null;
const listeners = new Set();

/** "signed-in" | "signed-out" | "expired" */
export function onSession(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(event) {
  for (const listener of listeners) listener(event);
}

function keep(body) {
  access = body.access_token;
  expiresAt = Date.now() + body.expires_in * 1000;
}

function forget() {
  access = null;
  expiresAt = 0;
}

export class SessionExpired extends Error {}

export async function signIn(username, password) {
  const response = await fetch(BASE, {
    method: "POST",
    headers: CSRF,
    body: new URLSearchParams({ username, password }),
    credentials: "same-origin",
  });
  if (!response.ok) throw await ApiError.from(response);
  keep(await response.json());
  emit("signed-in");
}

async function refreshNow() {
  const response = await fetch(`${BASE}/refresh`, {
    method: "POST",
    headers: CSRF,
    credentials: "same-origin",
  });
  if (!response.ok) {
    forget();
    throw new SessionExpired();
  }
  keep(await response.json());
}

function refreshOnce() {
  pending ??= (navigator.locks ? navigator.locks.request("houqin-refresh", refreshNow) : refreshNow()).finally(
    () => {
      pending = null;
    },
  );
  return pending;
}

/** A valid access token, refreshed when needed; SessionExpired when the cookie is gone. */
export async function accessToken({ force = false } = {}) {
  if (!force && access && Date.now() < expiresAt - EARLY_MS) return access;
  const hadSession = access !== null;
  try {
    await refreshOnce();
  } catch (error) {
    if (hadSession || force) emit("expired");
    throw error;
  }
  return access;
}

/** On start: is there a session to resume (a cookie from an earlier visit)? */
export async function resume() {
  try {
    await refreshOnce();
    return true;
  } catch {
    return false;
  }
}

export async function signOut() {
  forget();
  await fetch(BASE, { method: "DELETE", headers: CSRF, credentials: "same-origin" }).catch(() => {});
  emit("signed-out");
}

export const signedIn = () => access !== null;
