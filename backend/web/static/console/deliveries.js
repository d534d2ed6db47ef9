// Notifications that could not be delivered after every retry: what, where, why; retry one.
import { api } from "../shared/api.js";
import { campusTime, h, replace } from "../shared/dom.js";
import { errorText } from "../shared/errors.js";
import { t } from "../shared/i18n.js";

export default async function render(main, _params, shell) {
  shell.setTitle(t("console.office.deliveries"));
  const page = await api("/admin/notifications", { query: { state: "failed", page_size: 100 } });
  replace(main,
    h("p", { class: "muted" }, t("console.office.deliveriesIntro")),
    page.count
      ? h("div", { class: "scroll" }, h("table", { class: "grid" },
          h("thead", {}, h("tr", {}, ["id", "kind", "channel", "attempts", "error", "created", ""].map((k) => h("th", { scope: "col" }, k ? t(`console.office.col.${k}`) : "")))),
          h("tbody", {}, page.data.map((d) => h("tr", {},
            h("td", {}, `#${d.id}`),
            h("td", {}, t(`console.office.kind.${d.kind}`)),
            h("td", {}, d.channel),
            h("td", {}, d.attempts),
            h("td", { class: "small pre" }, d.last_error ?? "—"),
            h("td", { class: "small" }, campusTime(d.created_at)),
            h("td", {}, h("button", { type: "button", onclick: async (event) => {
              event.target.disabled = true;
              try {
                await api(`/admin/notifications/deliveries/${d.id}/retry`, { method: "POST" });
                shell.toast(t("console.office.retrying", { id: d.id }));
                await render(main, {}, shell);
              } catch (error) {
                event.target.disabled = false;
                shell.toast(errorText(error));
              }
            } }, t("console.office.retry"))))))))
      : h("p", { class: "empty" }, t("console.office.noFailures")));
}
