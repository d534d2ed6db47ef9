// The layout both apps share: sign-in, top bar, navigation, the page outlet, toasts, and the
// sign-in overlay when a session expires (the page and its drafts stay where they are).
import { api } from "./api.js";
import { h, replace, uid } from "./dom.js";
import { errorText } from "./errors.js";
import { initialLanguage, language, loadStrings, onLanguage, setLanguage, t } from "./i18n.js";
import { current, listen, navigate, route } from "./router.js";
import { onSession, resume, signIn, signOut } from "./session.js";

const LAST_USER = "houqin.user";

export async function startShell(options) {
  const { strings, routes, home } = options;
  setLanguage(initialLanguage(), { silent: true });
  const root = document.getElementById("app");
  await loadStrings("/static/shared/strings.json", ...strings);
  for (const [pattern, load] of Object.entries(routes)) route(pattern, load);
  const shell = new Shell(root, options);
  listen(() => shell.renderPage());
  onLanguage(() => shell.renderAll());
  onSession((event) => {
    if (event === "expired") shell.expired();
    if (event === "signed-out") {
      options.onSignOut?.();
      history.replaceState(null, "", `#${home}`);
      shell.signInScreen();
    }
  });
  if (await resume()) await shell.enter();
  else shell.signInScreen();
  return shell;
}

class Shell {
  constructor(root, options) {
    this.root = root;
    this.options = options;
    this.me = null;
    this.cleanup = null;
    this.badges = {};
  }

  /** Signed in: who we are, in their language, then the app. */
  async enter() {
    this.me = await api("/me");
    localStorage.setItem(LAST_USER, this.me.username);
    if (this.me.locale !== language()) setLanguage(this.me.locale, { silent: true });
    const refused = this.options.allow && !this.options.allow(this.me);
    if (refused) return this.refuse();
    await this.options.onEnter?.(this);
    this.renderAll();
  }

  refuse() {
    this.layout([]);
    const [text, href] = this.options.refused;
    replace(this.main, h("p", { class: "notice warn" }, t(text)), h("p", {}, h("a", { class: "button primary", href }, t(`${text}Link`))));
  }

  layout(navItems) {
    this.title = h("h1", { id: "page-title" });
    this.toastRegion = h("div", { class: "toast", role: "status", "aria-live": "polite" });
    this.main = h("main", { id: "main", tabindex: "-1" });
    const nav = h("nav", { class: "nav", "aria-label": t("nav.label") });
    this.navLinks = {};
    for (const item of navItems) {
      const badge = h("span", { class: "badge", hidden: true });
      const link = h("a", { href: `#${item.path}` }, h("span", { class: "mark", "aria-hidden": "true" }), h("span", {}, t(item.key)), badge);
      this.navLinks[item.path] = { link, badge, item };
      nav.append(link);
    }
    const top = h(
      "header",
      { class: "top" },
      h("span", { class: "brand", "aria-hidden": "true" }, t("app.brand")),
      this.title,
      this.signOutButton(),
    );
    replace(this.root, h("a", { class: "skip", href: "#main", onclick: (e) => { e.preventDefault(); this.main.focus(); } }, t("nav.skip")), top, navItems.length ? nav : null, this.main, this.toastRegion);
    this.root.setAttribute("aria-busy", "false");
    for (const [path, count] of Object.entries(this.badges)) this.badge(path, count);
  }

  signOutButton() {
    return h("button", { type: "button", class: "small", onclick: () => signOut() }, t("signin.out"));
  }

  renderAll() {
    document.title = t(this.options.titleKey);
    if (!this.me) return this.signInScreen();
    // A nav item with `roles` is shown to those roles only; the API still decides every call.
    this.layout(this.options.nav.filter((item) => !item.roles || item.roles.includes(this.me.role)));
    this.renderPage();
  }

  async renderPage() {
    if (!this.me || !this.main) return;
    const page = current();
    if (!page) return navigate(this.options.home);
    this.cleanup?.();
    this.cleanup = null;
    const section = page.path.split("/")[1];
    for (const [path, { link }] of Object.entries(this.navLinks)) {
      if (path.split("/")[1] !== section) link.removeAttribute("aria-current");
      else {
        link.setAttribute("aria-current", "page");
        link.scrollIntoView({ block: "nearest", inline: "nearest" }); // a nav that scrolls
      }
    }
    // Each render gets its own outlet: a page still loading its data when the student moves
    // on then fills a detached element, not the next page (and its cleanup runs at once).
    const outlet = h("div", { class: "outlet" }, h("div", { class: "placeholder", "aria-busy": "true" }));
    replace(this.main, outlet);
    try {
      const module = await page.load();
      if (!outlet.isConnected) return; // navigated away meanwhile
      const cleanup = (await module.default(outlet, page.params, this)) || null;
      if (outlet.isConnected) this.cleanup = cleanup;
      else cleanup?.();
    } catch (error) {
      replace(outlet, h("div", { class: "notice bad", role: "alert" }, errorText(error)));
    }
  }

  setTitle(text) {
    this.title.textContent = text;
    document.title = `${text} · ${t(this.options.titleKey)}`;
  }

  toast(text) {
    if (!this.toastRegion) return;
    this.toastRegion.textContent = text;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { this.toastRegion.textContent = ""; }, 4000);
  }

  badge(path, count) {
    this.badges[path] = count;
    const entry = this.navLinks?.[path];
    if (!entry) return;
    entry.badge.hidden = !count;
    entry.badge.textContent = count > 99 ? "99+" : String(count);
    entry.badge.setAttribute("aria-label", t("nav.unread", { count }));
  }

  async refreshMe() {
    this.me = await api("/me");
    return this.me;
  }

  signInScreen() {
    this.me = null;
    this.cleanup?.();
    this.cleanup = null;
    this.main = null;
    document.title = t(this.options.titleKey);
    replace(this.root, h("main", { id: "main" }, this.signInForm({})));
    this.root.setAttribute("aria-busy", "false");
    this.root.querySelector("input")?.focus();
  }

  /** The session ran out while the page was open: sign in over it, keep everything. */
  expired() {
    if (!this.me || document.querySelector(".overlay")) return;
    const overlay = h("div", { class: "overlay", role: "dialog", "aria-modal": "true", "aria-labelledby": "expired-title" });
    overlay.append(this.signInForm({ expired: true, username: this.me.username, overlay }));
    document.body.append(overlay);
    overlay.querySelector("input[type=password]").focus();
  }

  signInForm({ expired = false, username = "", overlay = null }) {
    const userInput = h("input", { id: uid("user"), name: "username", autocomplete: "username", required: true, value: username || localStorage.getItem(LAST_USER) || "" });
    const passInput = h("input", { id: uid("pass"), name: "password", type: "password", autocomplete: "current-password", required: true });
    const error = h("div", { class: "field-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "primary" }, t("signin.submit"));
    const other = h("button", { type: "button", onclick: () => setLanguage(language() === "zh" ? "en" : "zh") }, t("signin.otherLanguage"));
    const form = h(
      "form",
      {
        class: "signin card",
        onsubmit: async (event) => {
          event.preventDefault();
          submit.disabled = true;
          error.textContent = "";
          try {
            const before = this.me?.username;
            await signIn(userInput.value.trim(), passInput.value);
            if (overlay) {
              overlay.remove();
              if (before !== userInput.value.trim()) return location.reload();
              return this.renderPage();
            }
            await this.enter();
          } catch (failure) {
            error.textContent = errorText(failure);
            submit.disabled = false;
            passInput.focus();
          }
        },
      },
      h("div", { class: "logo", "aria-hidden": "true" }, t("app.brand")),
      h("h1", { id: expired ? "expired-title" : null }, t(expired ? "signin.expiredTitle" : this.options.signInTitleKey)),
      expired ? h("p", { class: "notice warn" }, t("signin.expired")) : h("p", { class: "muted" }, t("signin.intro")),
      h("label", { for: userInput.id }, t("signin.username")),
      userInput,
      h("label", { for: passInput.id }, t("signin.password")),
      passInput,
      error,
      h("div", { class: "actions" }, submit, expired ? null : other),
    );
    return form;
  }
}
