"""``rasa data validate``, failing on every warning except one false positive.

Rasa warns that a response "is not used in any story or rule" when only a custom action
sends it; those are fine when an action really names them. Any other warning — or an
unused response that no action names either — fails the check.
"""

import re
import subprocess
import sys

from bot_model import BOT, ROOT, rasa_env

UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")
WARNING = re.compile(r"UserWarning: (.*)")


def responses_sent_by_actions() -> set[str]:
    source = "\n".join(p.read_text() for p in (BOT / "actions").rglob("*.py"))
    return set(re.findall(r"[\"'](utter_\w+)[\"']", source))


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
    sent = responses_sent_by_actions()
    problems = []
    for message in WARNING.findall(output):
        unused = UNUSED.search(message)
        if unused and unused.group(1) in sent:
            continue
        problems.append(message)
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
