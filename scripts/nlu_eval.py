"""Score the NLU model on the held-out sets, or cross-validate a pipeline on the training data.

Runs under bot/.venv: ``bot/.venv/bin/python scripts/nlu_eval.py [--model PATH]``. Without
``--model`` it uses the model ``scripts/bot_model.py`` prints (training one if the inputs
changed). It parses every message of tests/nlu/en.yml and tests/nlu/zh.yml (never training
data: they live outside intents/) and prints, per language, intent accuracy and macro-F1, the
out-of-scope routing rate (out-of-scope messages predicted as ``out_of_scope`` or
``nlu_fallback``) and the misses; then the broad out-of-scope set tests/nlu/oos.yml (English,
Chinese and mixed messages a general assistant hears, by domain): the share kept away from
every campus intent, per language and domain. An out-of-scope message routed to
``nlu_fallback`` counts as correct: both end in "I can't help with that". Exits 1 if held-out
accuracy < 0.97 in either language, its out-of-scope rate < 0.90, less than 95% of the broad
set is kept out of campus intents in any language, or a message of the broad set is also
training data.

``--cross-validate CONFIG [--folds 3]`` instead trains CONFIG's NLU pipeline on k-1 folds of
intents/ (stratified by language and intent; entities.yml in every fold) and scores the
k-th, the same way, and reports the mean training time (docs/bot-nlu.md).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTENTS = ROOT / "intents"
TESTS = ROOT / "tests" / "nlu"
LANGUAGES = ("en", "zh")
MIN_ACCURACY = 0.97
MIN_OUT_OF_SCOPE = 0.90
MIN_BROAD_OUT_OF_SCOPE = 0.95
BROAD = TESTS / "oos.yml"
# Intents that answer from campus data or start a campus flow: a broad out-of-scope message
# routed to one of them gets a confident wrong answer or a form.
CAMPUS_PREFIXES = ("meals_", "dorms_", "repairs_", "surveys_")
HAN = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
FALLBACK = "nlu_fallback"
# Messages with no word in them: the model must answer (nlu_fallback), not crash.
WORDLESS = ("?", "？", "...", "👍", "!!!")
OUT_OF_SCOPE = "out_of_scope"
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)

Example = tuple[str, str]  # (text, intent)


def default_model() -> Path:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bot_model.py")],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(result.stdout.strip().splitlines()[-1])


def load_messages(*paths: Path) -> list:
    from rasa.shared.nlu.training_data.loading import load_data

    messages = []
    for path in paths:
        messages.extend(load_data(str(path)).intent_examples)
    return messages


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    scores = []
    for label in sorted({gold for gold, _ in pairs}):
        tp = sum(gold == guess == label for gold, guess in pairs)
        fp = sum(guess == label != gold for gold, guess in pairs)
        fn = sum(gold == label != guess for gold, guess in pairs)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


async def score(
    agent, examples: list[Example], tops: list[tuple[str, str, float]] | None = None
) -> tuple[dict[str, float], list[str]]:
    """Accuracy, macro-F1 and out-of-scope routing of one language's examples, and misses.
    ``tops`` collects (gold, top intent before the fallback, its confidence)."""
    pairs, misses, fallbacks, classified = [], [], 0, 0
    tops = [] if tops is None else tops
    start = len(tops)
    for text, intent in examples:
        parsed = await agent.parse_message(text)
        guess = parsed["intent"]["name"]
        ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK]
        fallbacks += guess == FALLBACK
        classified += bool(ranking) and ranking[0]["name"] == intent
        top = ranking[0] if ranking else {"name": FALLBACK, "confidence": 0.0}
        tops.append((intent, top["name"], top["confidence"]))
        confidence = parsed["intent"].get("confidence") or 0.0
        scored = OUT_OF_SCOPE if intent == OUT_OF_SCOPE and guess == FALLBACK else guess
        pairs.append((intent, scored))
        if scored != intent:
            misses.append(f"    {intent:>22} → {guess} ({confidence:.2f}): {text}")
    out_of_scope = [guess for gold, guess in pairs if gold == OUT_OF_SCOPE]
    metrics = {
        "n": len(pairs),
        "accuracy": sum(gold == guess for gold, guess in pairs) / len(pairs),
        "macro_f1": macro_f1(pairs),
        "out_of_scope": sum(g == OUT_OF_SCOPE for g in out_of_scope) / max(len(out_of_scope), 1),
        "n_out_of_scope": len(out_of_scope),
        # Before the FallbackClassifier: how often the top intent is right, how often it fell.
        "classifier_accuracy": classified / len(pairs),
        "fallback_rate": fallbacks / len(pairs),
    }
    # What other FallbackClassifier thresholds would give (ambiguity_threshold aside).
    for threshold in THRESHOLDS:
        routed = []
        for gold, guess, confidence in tops[start:]:
            if confidence < threshold:
                guess = OUT_OF_SCOPE if gold == OUT_OF_SCOPE else FALLBACK
            routed.append((gold, guess))
        oos = [guess for gold, guess in routed if gold == OUT_OF_SCOPE]
        metrics[f"accuracy@{threshold}"] = sum(g == p for g, p in routed) / len(routed)
        metrics[f"out_of_scope@{threshold}"] = oos.count(OUT_OF_SCOPE) / max(len(oos), 1)
    return metrics, misses


def report(language: str, metrics: dict[str, float]) -> str:
    return (
        f"{language}: {metrics['n']:.0f} messages, intent accuracy {metrics['accuracy']:.3f}, "
        f"macro-F1 {metrics['macro_f1']:.3f}, out-of-scope routed "
        f"{metrics['out_of_scope']:.3f} ({metrics['n_out_of_scope']:.0f} messages); "
        f"top intent before fallback right {metrics['classifier_accuracy']:.3f}, "
        f"fallback {metrics['fallback_rate']:.3f}"
    )


def load_agent(model: Path):
    from rasa.core.agent import Agent

    return Agent.load(str(model))


def is_mixed(text: str) -> bool:
    """A code-switched message: Han characters and a Latin word ("明天lunch有什么")."""
    return bool(HAN.search(text)) and bool(LATIN_WORD.search(text))


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def load_broad() -> dict[str, dict[str, list[str]]]:
    """tests/nlu/oos.yml: language → domain → messages."""
    import yaml

    return yaml.safe_load(BROAD.read_text())


def broad_in_training(broad: dict[str, dict[str, list[str]]]) -> list[str]:
    """Messages of the broad set that are also training examples (must be none)."""
    trained = {
        normalised(m.get("text"))
        for language in LANGUAGES
        for m in load_messages(*sorted((INTENTS / language).glob("*.yml")))
    }
    return [
        text
        for domains in broad.values()
        for texts in domains.values()
        for text in texts
        if normalised(text) in trained
    ]


async def score_broad(agent, domains: dict[str, list[str]]) -> tuple[dict[str, float], list[str]]:
    """Share of out-of-scope messages kept away from campus intents (out_of_scope or
    nlu_fallback: "routed"; anything but a campus intent: "not campus"), and the misses."""
    routed = not_campus = total = 0
    by_domain, misses = [], []
    for domain, texts in domains.items():
        kept = 0
        for text in texts:
            parsed = await agent.parse_message(text)
            guess = parsed["intent"]["name"]
            confidence = parsed["intent"].get("confidence") or 0.0
            campus = guess.startswith(CAMPUS_PREFIXES)
            routed += guess in (OUT_OF_SCOPE, FALLBACK)
            not_campus += not campus
            kept += not campus
            if campus:
                misses.append(f"    {domain:>14} → {guess} ({confidence:.2f}): {text}")
        total += len(texts)
        by_domain.append(f"{domain} {kept}/{len(texts)}")
    metrics = {"n": total, "routed": routed / total, "not_campus": not_campus / total}
    return metrics, [f"    by domain: {', '.join(by_domain)}", *misses]


async def evaluate(model: Path) -> bool:
    agent = load_agent(model)
    passed = True
    for text in WORDLESS:
        try:
            parsed = await agent.parse_message(text)
        except Exception as error:  # any crash is the finding
            print(f"wordless message {text!r} crashes the model: {type(error).__name__}")
            passed = False
        else:
            print(f"wordless message {text!r} → {parsed['intent']['name']}")
    mixed: list[Example] = []
    for language in LANGUAGES:
        messages = load_messages(TESTS / f"{language}.yml")
        examples = [(m.get("text"), m.get("intent")) for m in messages]
        mixed.extend(example for example in examples if is_mixed(example[0]))
        metrics, misses = await score(agent, examples)
        print(report(language, metrics))
        print("\n".join(misses) if misses else "    no misses")
        passed = (
            passed
            and metrics["accuracy"] >= MIN_ACCURACY
            and metrics["out_of_scope"] >= MIN_OUT_OF_SCOPE
        )
    metrics, _ = await score(agent, mixed)
    print(f"held-out mixed-language messages: {len(mixed)}, accuracy {metrics['accuracy']:.3f}")
    broad = load_broad()
    overlap = broad_in_training(broad)
    if overlap:
        print(f"{BROAD.name}: {len(overlap)} messages are also training data: {overlap}")
        passed = False
    for language, domains in broad.items():
        metrics, lines = await score_broad(agent, domains)
        print(
            f"{BROAD.name} {language}: {metrics['n']:.0f} messages, kept out of campus intents "
            f"{metrics['not_campus']:.3f}, routed to out_of_scope/fallback {metrics['routed']:.3f}"
        )
        print("\n".join(lines))
        passed = passed and metrics["not_campus"] >= MIN_BROAD_OUT_OF_SCOPE
    return passed


def calibrate(tops: list[tuple[str, str, float]]) -> dict[str, tuple[float, int, int]]:
    """Per predicted intent, the fallback threshold that makes the most right decisions
    (kept and right, or sent to the fallback when out of scope), lowest on a tie; with the
    right decisions at that threshold and at the global 0.4."""
    grid = [round(0.2 + 0.05 * i, 2) for i in range(13)]  # 0.2 … 0.8
    result = {}
    for intent in sorted({top for _, top, _ in tops} - {OUT_OF_SCOPE, FALLBACK}):
        mine = [(gold, confidence) for gold, top, confidence in tops if top == intent]
        right = {
            threshold: sum(
                gold == intent if confidence >= threshold else gold == OUT_OF_SCOPE
                for gold, confidence in mine
            )
            for threshold in grid
        }
        best = max(grid, key=lambda t: (right[t], -t))
        result[intent] = (best, right[best], right[0.4])
    return result


def folds_of(messages: list, folds: int, seed: int = 42) -> list[list]:
    """Stratified folds: each (language, intent) group dealt round-robin after a shuffle."""
    groups = defaultdict(list)
    for message in messages:
        groups[(message.get("language"), message.get("intent"))].append(message)
    result: list[list] = [[] for _ in range(folds)]
    rng = random.Random(seed)  # noqa: S311 (a reproducible shuffle, not a secret)
    offset = 0
    for key in sorted(groups):
        group = groups[key]
        rng.shuffle(group)
        for i, message in enumerate(group):
            result[(i + offset) % folds].append(message)
        offset += len(group)
    return result


async def cross_validate(config: Path, folds: int) -> None:
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = []
    for language in LANGUAGES:
        for message in load_messages(*sorted((INTENTS / language).glob("*.yml"))):
            message.set("language", language)
            messages.append(message)
    parts = folds_of(messages, folds)
    totals: dict[str, list[dict[str, float]]] = defaultdict(list)
    tops: list[tuple[str, str, float]] = []
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, test_part in enumerate(parts):
            data_dir = Path(tmp) / f"fold{k}"
            data_dir.mkdir()
            train = [m for i, part in enumerate(parts) if i != k for m in part]
            (data_dir / "nlu.yml").write_text(TrainingData(train).nlu_as_yaml())
            (data_dir / "entities.yml").write_text((INTENTS / "entities.yml").read_text())
            started = time.monotonic()
            model = train_nlu(str(config), str(data_dir), str(Path(tmp) / "models"))
            seconds.append(time.monotonic() - started)
            agent = load_agent(Path(model))
            for language in LANGUAGES:
                examples = [
                    (m.get("text"), m.get("intent"))
                    for m in test_part
                    if m.get("language") == language
                ]
                metrics, misses = await score(agent, examples, tops)
                if os.environ.get("NLU_EVAL_MISSES"):
                    print("\n".join(misses))
                totals[language].append(metrics)
                print(f"fold {k + 1}/{folds} {report(language, metrics)}", flush=True)
    for language in LANGUAGES:
        runs = totals[language]
        mean = {key: sum(r[key] for r in runs) / len(runs) for key in runs[0]}
        print(f"mean {report(language, mean)}")
        print(
            "    accuracy / out-of-scope by fallback threshold: "
            + ", ".join(
                f"{t}: {mean[f'accuracy@{t}']:.3f}/{mean[f'out_of_scope@{t}']:.3f}"
                for t in THRESHOLDS
            )
        )
    print("calibrated fallback threshold per predicted intent (right decisions: at it / at 0.4):")
    for intent, (threshold, right, at_default) in calibrate(tops).items():
        print(f"    {intent}: {threshold} ({right} / {at_default})")
    print(f"mean NLU training time per fold: {sum(seconds) / len(seconds):.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained model (.tar.gz)")
    parser.add_argument("--cross-validate", type=Path, metavar="CONFIG", help="a config.yml")
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    config = args.cross_validate.resolve() if args.cross_validate else None
    model = args.model.resolve() if args.model else None
    sys.path.insert(0, str(ROOT / "bot"))  # the custom tokenizer (components.*)
    os.chdir(ROOT / "bot")  # the pipeline's paths (campus.dict) are relative to bot/
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no per-message debug lines
    if config:
        asyncio.run(cross_validate(config, args.folds))
        return 0
    model = model or default_model()
    print(f"model: {model}")
    passed = asyncio.run(evaluate(model))
    print(
        "PASS"
        if passed
        else f"FAIL: needs held-out accuracy ≥ {MIN_ACCURACY} per language, out-of-scope "
        f"≥ {MIN_OUT_OF_SCOPE}, {BROAD.name} kept out of campus intents ≥ "
        f"{MIN_BROAD_OUT_OF_SCOPE} per language and never trained on, and no crash on a "
        "wordless message"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
