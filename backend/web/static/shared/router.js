// Hash routes ("#/repairs/12"): the server serves one document per app.
const routes = [];
let onChange = () => {};

/** route("/repairs/:id", () => import("./repair.js")) — the module's default export renders. */
export function route(pattern, load) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  routes.push({ pattern, regex: new RegExp(`^${source}$`), names, load });
}

export function current() {
  const path = location.hash.replace(/^#/, "") || "/";
  for (const entry of routes) {
    const match = entry.regex.exec(path);
    if (match) {
      const params = Object.fromEntries(entry.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
      return { ...entry, path, params };
    }
  }
  return null;
}

export function navigate(path) {
  if (location.hash === `#${path}`) onChange();
  else location.hash = path;
}

export function listen(callback) {
  onChange = callback;
  window.addEventListener("hashchange", () => onChange());
}
