"""Summaries of an evaluation run: ``results.json`` (figures) and ``results.md`` (table and every miss)."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from pathlib import Path

IN_SCOPE_TASKS = ("activation", "children", "sharing", "closing", "account", "help")
TASK_NAMES = {
    "activation": "activation", "children": "enfants", "sharing": "partage et accès", "closing": "fermeture",
    "account": "compte et profil", "help": "aide et lieux", "off_topic": "hors sujet",
}  # fmt: skip


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _counts(rows: list[dict]) -> dict:
    correct = sum(r["verdict"].correct for r in rows)
    return {"total": len(rows), "correct": correct, "accuracy": _share(correct, len(rows))}


def summarize(rows: list[dict]) -> dict:
    """Figures over the external questions, by task, by source kind and by split (dev / test); the team's
    place questions (split « team ») are counted apart, under ``places_team``."""
    team = [r for r in rows if r["question"].split == "team"]
    rows = [r for r in rows if r["question"].split != "team"]
    in_scope = [r for r in rows if r["question"].task != "off_topic"]
    off_topic = [r for r in rows if r["question"].task == "off_topic"]
    refused = sum(r["verdict"].declined for r in in_scope)
    by_task = {t: _counts([r for r in in_scope if r["question"].task == t]) for t in IN_SCOPE_TASKS}
    by_source: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_source[r["question"].source_kind].append(r)
    places = [r for r in rows if r["question"].expect == "places"]
    splits = {}
    parts = {"dev": lambda q: q.split == "dev", "test": lambda q: q.split == "test",
             "test A": lambda q: q.half == "A", "test B": lambda q: q.half == "B"}  # fmt: skip
    for split, belongs in parts.items():
        part = [r for r in rows if belongs(r["question"])]
        part_in = [r for r in part if r["question"].task != "off_topic"]
        part_off = [r for r in part if r["question"].task == "off_topic"]
        splits[split] = {
            **_counts(part),
            "in_scope_accuracy": _counts(part_in)["accuracy"],
            "out_of_scope_declined": _share(sum(r["verdict"].declined for r in part_off), len(part_off)),
        }
    seconds = [r["seconds"] for r in rows]
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        **_counts(rows),
        "in_scope": {**_counts(in_scope), "refused": refused},
        "by_task": by_task,
        "places": _counts(places),
        "places_team": _counts(team),
        "out_of_scope": {"total": len(off_topic), "declined": sum(r["verdict"].declined for r in off_topic),
                         "rate": _share(sum(r["verdict"].declined for r in off_topic), len(off_topic))},
        "in_scope_refused": _share(refused, len(in_scope)),
        "by_source_kind": {k: _counts(v) for k, v in sorted(by_source.items())},
        "splits": splits,
        "median_reply_ms": round(1000 * statistics.median(seconds), 1) if seconds else None,
    }  # fmt: skip


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %".replace(".", ",")


def markdown(rows: list[dict], summary: dict) -> str:
    s = summary
    lines = [
        "# Évaluation sur des questions venues de l'extérieur",
        "",
        f"Exécutée le {s['date']} par `make eval` : {s['total']} questions de `tests/external/questions/`, "
        "jamais utilisées pour l'entraînement, posées une par une au canal REST (une conversation neuve "
        "chacune). On note la première réponse, telle qu'une personne la lit.",
        "",
        "| mesure | résultat |",
        "|---|---|",
        f"| réponses justes (toutes questions) | {s['correct']} / {s['total']} ({_pct(s['accuracy'])}) |",
        f"| réponses justes (questions du domaine) | {s['in_scope']['correct']} / {s['in_scope']['total']} "
        f"({_pct(s['in_scope']['accuracy'])}) |",
        f"| hors sujet déclinées | {s['out_of_scope']['declined']} / {s['out_of_scope']['total']} "
        f"({_pct(s['out_of_scope']['rate'])}) |",
        f"| questions du domaine refusées | {s['in_scope']['refused']} ({_pct(s['in_scope_refused'])}) |",
        f"| questions avec un lieu (extérieures) | {s['places']['correct']} / {s['places']['total']} |",
        f"| demandes d'aide avec un lieu (écrites par l'équipe, à part) | {s['places_team']['correct']} / "
        f"{s['places_team']['total']} |",
        f"| temps de réponse médian | {s['median_reply_ms']} ms |",
        "",
        "## Par tâche",
        "",
        "| tâche | justes | total | exactitude |",
        "|---|---|---|---|",
    ]
    for task, c in s["by_task"].items():
        lines.append(f"| {TASK_NAMES[task]} | {c['correct']} | {c['total']} | {_pct(c['accuracy'])} |")
    lines += ["", "## Par origine des questions", "", "| origine | justes | total | exactitude |", "|---|---|---|---|"]
    for kind, c in s["by_source_kind"].items():
        lines.append(f"| {kind} | {c['correct']} | {c['total']} | {_pct(c['accuracy'])} |")
    lines += [
        "",
        "## Développement et test",
        "",
        "Les questions sont réparties une fois pour toutes par leur identifiant : l'équipe a regardé les erreurs "
        "du lot « dev » pendant la mise au point ; le lot « test » n'a été que mesuré. Du 5 au 7 décembre 2026, "
        "les essais ont aussi été comparés sur les totaux de la moitié « A » du lot test (sans en lire les "
        "questions) ; depuis, sur les questions écrites à l'aveugle (`make blind`). La moitié « B » n'est que "
        "mesurée.",
        "",
        "| lot | justes | total | exactitude | domaine | hors sujet déclinées |",
        "|---|---|---|---|---|---|",
    ]
    for split, c in s["splits"].items():
        lines.append(f"| {split} | {c['correct']} | {c['total']} | {_pct(c['accuracy'])} | "
                     f"{_pct(c['in_scope_accuracy'])} | {_pct(c['out_of_scope_declined'])} |")  # fmt: skip
    misses = [r for r in rows if not r["verdict"].correct]
    lines += ["", f"## Les {len(misses)} erreurs", ""]
    for r in sorted(misses, key=lambda r: (r["question"].task, r["question"].id)):
        q, reply = r["question"], " ".join(r["reply"].split())
        lines += [
            f"### {q.id} ({TASK_NAMES[q.task]}, lot {q.split})",
            f"- Question : « {q.text} » — [{q.source_kind}]({q.source})",
            f"- Verdict : {r['verdict'].reason}",
            f"- Réponse : {reply[:400]}{'…' if len(reply) > 400 else ''}",
            "",
        ]
    return "\n".join(lines) + "\n"


def write_reports(rows: list[dict], summary: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "results.md").write_text(markdown(rows, summary), encoding="utf-8")
