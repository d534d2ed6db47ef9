#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; they never
# download a browser. Installs it with apt-get when it is missing; fails, with the reason,
# when it cannot — the browser tests are never skipped.
set -euo pipefail
CHROMIUM=/usr/bin/chromium

if [[ -x $CHROMIUM ]]; then
  echo "chromium: $($CHROMIUM --version 2>/dev/null || echo present)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "ensure-chromium: $CHROMIUM is missing and installing it needs root:" >&2
  echo "  sudo apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: $CHROMIUM is missing and this is not a Debian system (no apt-get);" >&2
  echo "  install Chromium so that $CHROMIUM exists, then run the tests again" >&2
  exit 1
fi
echo "chromium: installing Debian's chromium package"
if ! { apt-get install -y --no-install-recommends chromium ||
  { apt-get update && apt-get install -y --no-install-recommends chromium; }; } >/tmp/ensure-chromium.log 2>&1; then
  tail -20 /tmp/ensure-chromium.log >&2
  echo "ensure-chromium: apt-get could not install chromium (log above)" >&2
  exit 1
fi
if [[ ! -x $CHROMIUM ]]; then
  echo "ensure-chromium: the chromium package installed, but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "chromium: $($CHROMIUM --version 2>/dev/null || echo installed)"
