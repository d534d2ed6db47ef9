#!/usr/bin/env bash
# Print the path of a working Python interpreter of the given minor versions.
#   scripts/find-python.sh 3.10          → Rasa's interpreter (3.10 only)
#   scripts/find-python.sh 3.11 3.12 3.13 → the backend's (≥ 3.11)
# Looks at $PYTHON<major><minor> (e.g. PYTHON310), pythonX.Y on PATH, pyenv's versions and
# uv-managed Pythons. pyenv shims are only accepted if they actually run.
set -euo pipefail

works() { "$1" -c 'import sys, venv' >/dev/null 2>&1; }
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }

for want in "$@"; do
  var="PYTHON${want/./}"
  candidates=("${!var:-}" "python$want")
  if [[ $want == 3.1[1-9] ]]; then candidates+=(python3); fi
  if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(pyenv root)"/versions/"$want".*/bin/python"$want")
  fi
  candidates+=("$HOME"/.pyenv/versions/"$want".*/bin/python"$want")
  if command -v uv >/dev/null 2>&1; then
    candidates+=("$(uv python find "$want" 2>/dev/null || true)")
  fi
  for candidate in "${candidates[@]}"; do
    [[ -n $candidate ]] || continue
    path=$(command -v "$candidate" 2>/dev/null || true)
    [[ -n $path ]] || continue
    if works "$path" && [[ $(version_of "$path") == "$want" ]]; then
      "$path" -c "import sys; print(sys.executable)"
      exit 0
    fi
  done
done

cat >&2 <<MSG
No working Python $* found.
  Install one, e.g.  uv python install $1   or   pyenv install $1
  or point to it:    export PYTHON${1/./}=/path/to/python$1
MSG
exit 1
