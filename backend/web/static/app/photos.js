// Repair photos: take or choose, upload, and show as thumbnails. Photo URLs need the bearer
// token, so thumbnails are fetched and shown from blob: URLs.
import { api } from "../shared/api.js";
import { h } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { t } from "../shared/i18n.js";

export const MAX_PHOTOS = 6;
export const MAX_BYTES = 5 * 1024 * 1024;
const ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif";

/** Two buttons — camera and gallery — calling onFiles with the chosen files. */
export function photoPicker(onFiles) {
  const take = h("input", { type: "file", accept: "image/*", capture: "environment", onchange: (e) => pass(e.target) });
  const choose = h("input", { type: "file", accept: ACCEPT, multiple: true, onchange: (e) => pass(e.target) });
  function pass(input) {
    const files = [...input.files];
    input.value = "";
    if (files.length) onFiles(files);
  }
  return h("div", { class: "stack" },
    h("div", { class: "file-buttons" },
      h("label", { class: "button" }, take, t("photos.take")),
      h("label", { class: "button" }, choose, t("photos.choose"))),
    h("p", { class: "hint" }, t("photos.limits", { count: MAX_PHOTOS })));
}

/** A local check first, so a student learns at once what the API would refuse anyway. */
export function tooBig(file) {
  return file.size > MAX_BYTES ? t("photos.tooBig", { name: file.name }) : null;
}

export async function upload(ticketId, file) {
  const form = new FormData();
  form.append("file", file);
  return api(`/repairs/${ticketId}/photos`, { method: "POST", form });
}

export function thumbnail(photo, index) {
  const img = h("img", { alt: t("photos.alt", { n: index + 1 }), width: 96, height: 96, loading: "lazy" });
  const link = h("a", { href: "#", class: "thumb", onclick: (e) => { e.preventDefault(); if (img.src) window.open(img.src, "_blank", "noopener"); } }, img);
  api(photo.url.replace(/^\/api\/v1/, ""), { raw: true })
    .then((response) => response.blob())
    .then((blob) => { img.src = URL.createObjectURL(blob); })
    .catch((error) => { link.replaceChildren(h("span", { class: "small muted" }, errorText(error))); });
  return link;
}
