// What a student types survives a reload and an expired session: every bound field is kept
// in sessionStorage (this tab only) until the form is sent.
const PREFIX = "houqin.draft.";

export function bindDraft(control, key) {
  const saved = sessionStorage.getItem(PREFIX + key);
  if (saved !== null && !control.value) control.value = saved;
  control.addEventListener("input", () => {
    if (control.value) sessionStorage.setItem(PREFIX + key, control.value);
    else sessionStorage.removeItem(PREFIX + key);
  });
  return control;
}

export function clearDraft(key) {
  sessionStorage.removeItem(PREFIX + key);
}
