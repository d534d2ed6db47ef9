// Errors from the API's bodies ({"error": "Name", "detail": "…"}) shown in the UI language.
import { has, localText, t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, detail, body = {}) {
    super(`${status} ${code}`);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.body = body;
  }

  static async from(response) {
    let body = {};
    try {
      body = await response.json();
    } catch {
      body = {};
    }
    return new ApiError(response.status, body.error ?? `HTTP${response.status}`, body.detail ?? "", body);
  }
}

/** One sentence for the student: our own wording for known codes, else the API's. */
export function errorText(error) {
  if (error instanceof ApiError) {
    if (has(`error.${error.code}`)) return t(`error.${error.code}`);
    if (Array.isArray(error.detail)) {
      const problems = error.detail.map((p) => `${p.field.replace(/^body\./, "")}: ${p.problem}`);
      return `${t("error.validation")} ${problems.join("; ")}`;
    }
    if (typeof error.detail === "string" && error.detail) return localText(error.detail);
    return t("error.status", { status: error.status });
  }
  if (error instanceof TypeError) return t("error.network");
  return t("error.unknown");
}
