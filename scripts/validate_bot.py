"""``rasa data validate``, failing on every warning except Rasa's known false positives.

Rasa only looks at stories and rules, so it warns about things other parts use:
- a response "not used in any story or rule" that a custom action sends (by its literal
  name, or an f-string prefix like ``utter_repairs_which_{move}``) or a form asks with
  (``utter_ask_<slot>``);
- an intent "not found in the NLU training data" that only buttons send (``/name{…}``) or
  that the backend triggers (``EXTERNAL_…``, a proactive notice: never typed);
- an intent "not used in any story or rule" that an action or a slot mapping reads, or
  that only buttons send (the form waiting for the answer takes it).
Any other warning fails the check.
"""

import re
import subprocess
import sys

from bot_model import BOT, ROOT, rasa_env

UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")
NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found")
UNUSED_INTENT = re.compile(r"The intent '(\w+)' is not used in any story or rule")
WARNING = re.compile(r"UserWarning: (.*)")
EXTERNAL = "EXTERNAL_"  # intents the backend triggers through Rasa's API


def _source(folder: str, pattern: str) -> str:
    return "\n".join(p.read_text() for p in (BOT / folder).rglob(pattern))


def response_used_elsewhere(name: str, actions: str) -> bool:
    literal = re.search(rf"[\"']{name}[\"']", actions)
    prefixes = re.findall(r"[\"'](utter_\w+)\{", actions)
    return bool(literal) or name.startswith("utter_ask_") or name.startswith(tuple(prefixes))


def intent_sent_by_buttons(name: str, domain: str, actions: str) -> bool:
    return bool(re.search(rf"/{name}\b", domain + actions))


def intent_read_elsewhere(name: str, domain: str, actions: str) -> bool:
    return bool(
        re.search(rf"[\"']{name}[\"']", actions) or re.search(rf"intent: {name}$", domain, re.M)
    )


def false_positive(message: str, domain: str, actions: str) -> bool:
    if match := UNUSED.search(message):
        return response_used_elsewhere(match.group(1), actions)
    if match := NO_EXAMPLES.search(message):
        name = match.group(1)
        return name.startswith(EXTERNAL) or intent_sent_by_buttons(name, domain, actions)
    if match := UNUSED_INTENT.search(message):
        name = match.group(1)
        return intent_read_elsewhere(name, domain, actions) or intent_sent_by_buttons(
            name, domain, actions
        )
    return False


def main() -> int:
    result = subprocess.run(
        [
            str(BOT / ".venv" / "bin" / "rasa"),
            "data",
            "validate",
            "--config",
            "config.yml",
            "--domain",
            "domain",
            "--data",
            "data",
            str(ROOT / "intents"),
        ],
        cwd=BOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    domain, actions = _source("domain", "*.yml"), _source("actions", "*.py")
    problems = [m for m in WARNING.findall(output) if not false_positive(m, domain, actions)]
    if result.returncode != 0:
        print(output)
        print(f"rasa data validate failed (exit {result.returncode})")
        return 1
    for problem in problems:
        print(f"warning: {problem}")
    print(f"bot data valid; {len(problems)} warnings")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
