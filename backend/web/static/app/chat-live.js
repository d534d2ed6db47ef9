// The conversation, kept for the whole visit: the transcript, the live socket
// (/api/v1/chat/ws, see docs/web.md) and, while the socket is down, POST /api/v1/chat.
// Proactive messages arrive on the socket at any time; off the chat page they raise the badge.
import { api } from "../shared/api.js";
import { ApiError } from "../shared/errors.js";
import { accessToken } from "../shared/session.js";

const CHANNEL = { "X-Houqin-Channel": "app" };
const PING_MS = 25_000;
const TYPING_MS = 15_000;
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

class Live {
  constructor() {
    this.messages = [];
    this.hasMore = false;
    this.loaded = false; // the transcript's latest page is in
    this.ready = false; // the socket is authenticated
    // connecting | online | reconnecting | offline | fallback
    this.state = "connecting";
    this.typing = false;
    this.problem = null; // BotUnavailable | RateLimited | null
    // What arrived while the chat was not in view: notices by id, other messages by id.
    this.unread = new Set();
    this.unreadElsewhere = 0; // unread notices beyond the first inbox page
    this.viewing = false;
    this.listeners = new Set();
    this.local = 0;
    this.failures = 0;
    this.socket = null;
    this.stopped = true;
  }

  on(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit() {
    for (const listener of this.listeners) listener(this);
  }

  async start(shell) {
    this.shell = shell;
    this.stopped = false;
    this.onlineHandler = () => (this.ready ? this.setState("online") : this.connect());
    this.offlineHandler = () => this.setState("offline");
    addEventListener("online", this.onlineHandler);
    addEventListener("offline", this.offlineHandler);
    document.addEventListener("visibilitychange", () => this.visible());
    this.loadUnread();
    await this.loadHistory();
    this.connect();
  }

  stop() {
    this.stopped = true;
    removeEventListener("online", this.onlineHandler);
    removeEventListener("offline", this.offlineHandler);
    clearTimeout(this.retryTimer);
    this.socket?.close(1000);
    this.socket = null;
    this.messages = [];
    this.loaded = false;
    this.ready = false;
  }

  setState(state) {
    this.state = state;
    this.emit();
  }

  lastId() {
    const ids = this.messages.map((m) => m.id).filter((id) => typeof id === "number");
    return ids.length ? Math.max(...ids) : null;
  }

  async loadHistory(before = null) {
    try {
      const page = await api("/chat/history", { query: { before, limit: 50 } });
      const loaded = new Set(page.data.map((m) => m.id));
      const rest = this.messages.filter((m) => !loaded.has(m.id));
      this.messages = before ? [...page.data, ...rest] : [...page.data, ...rest.filter((m) => typeof m.id !== "number" || m.id > page.data.at(-1)?.id)];
      this.hasMore = page.has_more;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) console.warn("history", error);
    }
    this.loaded = true;
    this.emit();
  }

  async loadUnread() {
    try {
      const inbox = await api("/notifications", { query: { unread: true, page_size: 50 } });
      for (const notice of inbox.data) this.unread.add(`n${notice.id}`);
      this.unreadElsewhere = Math.max(0, inbox.unread - inbox.data.length);
      this.badge();
    } catch {
      /* the inbox is optional for the chat */
    }
  }

  badge() {
    this.shell?.badge("/chat", this.viewing && !document.hidden ? 0 : this.unread.size + this.unreadElsewhere);
  }

  /** The chat page is in view (or not): reading it clears the badge. */
  view(on) {
    this.viewing = on;
    if (on) this.markRead();
    this.badge();
  }

  visible() {
    if (!document.hidden && this.viewing) this.markRead();
    this.badge();
  }

  /** The chat shows every notice (the app channel), so seeing it reads the inbox. */
  markRead() {
    if (document.hidden) return;
    const notices = [...this.unread].some((key) => key.startsWith("n")) || this.unreadElsewhere;
    if (notices) api("/notifications/read-all", { method: "POST" }).catch(() => {});
    this.unread.clear();
    this.unreadElsewhere = 0;
    this.badge();
  }

  // ---- the socket --------------------------------------------------------------------

  async connect() {
    if (this.stopped || (this.socket && this.socket.readyState <= WebSocket.OPEN)) return;
    if (!navigator.onLine) return this.setState("offline");
    clearTimeout(this.retryTimer);
    let token;
    try {
      token = await accessToken();
    } catch {
      return; // signed out: the shell asks to sign in again
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/chat/ws`);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token, after: this.lastId() }));
    socket.onmessage = (event) => this.frame(JSON.parse(event.data));
    socket.onclose = (event) => {
      clearInterval(this.pinger);
      const worked = this.ready; // the server said "ready" on this socket
      this.ready = false;
      if (this.socket === socket) this.socket = null;
      if (this.stopped) return;
      if (event.code === 4403) return this.setState("fallback");
      if (event.code === 4401) accessToken({ force: true }).then(() => this.connect(), () => {});
      else this.retry(worked);
    };
  }

  retry(worked) {
    this.failures += 1;
    if (!navigator.onLine) return this.setState("offline");
    // Never got as far as "ready" (no socket on the server, or a proxy that opens it and
    // drops it): say that live updates are paused; messages go over HTTP meanwhile.
    this.setState(!worked && this.failures >= 2 ? "fallback" : "reconnecting");
    const wait = RETRY_MS[Math.min(this.failures - 1, RETRY_MS.length - 1)];
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  frame(frame) {
    if (frame.type === "ready") {
      this.ready = true;
      this.failures = 0;
      this.problem = null;
      this.pinger = setInterval(() => this.socket?.send(JSON.stringify({ type: "ping" })), PING_MS);
      this.dropLocal();
      this.setState("online");
    } else if (frame.type === "message") {
      this.add(frame.message);
    } else if (frame.type === "typing") {
      this.setTyping(!frame.done);
    } else if (frame.type === "error") {
      this.setTyping(false);
      this.problem = frame.error === "InvalidFrame" ? null : frame.error;
      this.emit();
    }
  }

  /** Messages sent over HTTP carry no id; the socket replays them from the transcript. */
  dropLocal() {
    if (this.messages.some((m) => typeof m.id !== "number" && !m.pending)) {
      this.messages = this.messages.filter((m) => typeof m.id === "number" || m.pending);
    }
  }

  add(message) {
    if (this.messages.some((m) => m.id === message.id)) return;
    if (message.role === "student") {
      const mine = this.messages.findIndex((m) => m.pending && (m.text === message.text || m.title === message.text || m.text === message.title));
      if (mine >= 0) this.messages.splice(mine, 1);
    } else {
      this.setTyping(false, { quiet: true });
      this.problem = null;
      if (!this.viewing || document.hidden) {
        this.unread.add(message.notification_id ? `n${message.notification_id}` : `m${message.id}`);
      } else if (message.notification_id) {
        api(`/notifications/${message.notification_id}/read`, { method: "POST" }).catch(() => {});
      }
    }
    this.messages.push(message);
    this.badge();
    this.emit();
  }

  setTyping(on, { quiet = false } = {}) {
    this.typing = on;
    clearTimeout(this.typingTimer);
    if (on) this.typingTimer = setTimeout(() => this.setTyping(false), TYPING_MS);
    if (!quiet) this.emit();
  }

  // ---- sending -----------------------------------------------------------------------

  /** Send what the student typed, or a button's payload (shown as its title). */
  async send(text, title = null) {
    const shown = { id: `local-${++this.local}`, role: "student", text: title ?? text, title, pending: true, created_at: null, buttons: [] };
    this.messages.push(shown);
    this.problem = null;
    this.emit();
    if (this.state === "online" && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(title ? { type: "message", text, title } : { type: "message", text }));
      return;
    }
    this.setTyping(true);
    try {
      const reply = await api("/chat", { method: "POST", json: { message: text }, headers: CHANNEL });
      shown.pending = false;
      for (const message of reply.messages) {
        this.messages.push({ id: `local-${++this.local}`, role: "bot", text: message.text, buttons: message.buttons ?? [], language: reply.language });
      }
      this.setTyping(false, { quiet: true });
    } catch (error) {
      this.setTyping(false, { quiet: true });
      shown.pending = false;
      shown.failed = true;
      this.problem = error instanceof ApiError ? error.code : "Network";
    }
    this.emit();
  }
}

export const live = new Live();
