// A tiny element builder and formatters. No framework: pages are small.

/** h("button", {class: "primary", onclick: f, "aria-label": "…"}, "text", child, …) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name === "value") continue; // set after the children (a select's options)
    else if (name in el && typeof value !== "string") el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  if (props?.value !== undefined && props.value !== null) el.value = props.value;
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// The API sends campus time with its offset ("2026-11-24T09:30:00+08:00"): show the wall
// time as sent, so every phone shows campus time whatever its own time zone.
export function campusDate(iso) {
  return iso.slice(0, 10);
}

export function campusTime(iso) {
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

export function yuan(fen) {
  return `¥${(fen / 100).toFixed(2)}`;
}

let idCounter = 0;
export const uid = (prefix = "f") => `${prefix}-${++idCounter}`;

/** A labelled form control: label, optional hint, the control, a place for its error. */
export function field(labelText, control, hintText) {
  control.id ||= uid();
  const hint = hintText ? h("span", { class: "hint", id: `${control.id}-hint` }, hintText) : null;
  if (hint) control.setAttribute("aria-describedby", hint.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, labelText), hint, control);
}
