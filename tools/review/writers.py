"""The files a maintainer reads: to_label.yml, stories.yml, usage.md (+ PNG), feedback.md, summary.json."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tools.review import journeys, messages, plots, ratings
from tools.review.analysis import Review, summary
from tools.review.events import Conversation

EMPTY = "Aucune conversation sur la période."
MAX_STORIES = 20
SKIPPED_ACTIONS = frozenset({"action_listen", "action_session_start", "action_unlikely_intent"})
FS_LABELS = {
    "found": "France services trouvée",
    "gave_up": "abandon après trois lieux non trouvés",
    "cancelled": "recherche arrêtée par l'usager",
    "not_understood": "message non compris",
    "interrupted": "recherche interrompue (autre question, fin de conversation)",
    "other": "autre (aucun point trouvé)",
}


def _q(value: object) -> str:
    """A YAML scalar (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def period_label(review: Review) -> str:
    if review.since is None or review.until is None:
        return "période vide"
    return f"du {review.since:%d/%m/%Y} au {review.until:%d/%m/%Y}"


def to_label_yaml(review: Review, path: Path) -> str:
    """Groups to label, with a header telling the maintainer what to do."""
    lines = [
        f"# Messages que l'assistant n'a pas compris ou dont il n'était pas sûr, {period_label(review)}.",
        "# Les données personnelles sont déjà masquées ([adresse e-mail], [numéro de téléphone]…).",
        "#",
        "# Pour chaque groupe :",
        "#   - écrivez dans intent le nom d'une intention de domain/core.yml, par exemple  intent: code_missing",
        "#     (guessed_intent est ce que l'assistant a cru comprendre) ;",
        "#   - effacez les lignes d'examples qui ne veulent pas dire la même chose ;",
        '#   - laissez  intent: ""  pour ignorer le groupe.',
        f"# Puis lancez :  python -m tools review append {path}",
        "# Les exemples déjà connus, ceux de tests/nlu/ et ceux qui contiennent un [masque] sont ignorés.",
    ]
    if not review.groups:
        return "\n".join([*lines, "[]", ""])
    for group in review.groups:
        lines += [
            f"- count: {group.count}",
            f"  first_seen: {_q(group.first_seen.isoformat())}",
            f"  last_seen: {_q(group.last_seen.isoformat())}",
            f"  guessed_intent: {_q(group.guessed_intent)}",
            '  intent: ""',
            "  examples: |",
            *(f"    - {text}" for text in group.examples),
        ]
    return "\n".join([*lines, ""])


def _story_reasons(conversation: Conversation, min_confidence: float) -> list[str]:
    reasons = []
    flagged = messages.flagged_messages(conversation, min_confidence)
    if flagged or any(messages.intent_of(e)[0] == messages.FALLBACK for e in conversation.user_events):
        reasons.append("message incompris ou incertain")
    if messages.refused_suggestions(conversation):
        reasons.append("suggestions refusées")
    for name, (status, step) in sorted(journeys.procedure_outcomes(conversation).items()):
        if status == "abandoned":
            reasons.append(f"guide {name} abandonné à l'étape {step}")
    return reasons


def _story_steps(conversation: Conversation) -> list[str]:
    steps: list[str] = []
    for event in conversation.events:
        if event.type == "user":
            intent = messages.intent_of(event)[0] or messages.FALLBACK
            text = messages.one_line(event.data["text"])
            steps += ["  - user: |", f"      {text}", f"    intent: {intent}"] if text else [f"  - intent: {intent}"]
        elif event.type == "action" and event.name not in SKIPPED_ACTIONS:
            steps.append(f"  - action: {event.name}")
        elif event.type == "active_loop" and steps and steps[-1] != f"  - active_loop: {_q(event.name)}":
            steps.append(f"  - active_loop: {_q(event.name)}")
    return steps


def stories_yaml(review: Review) -> str:
    """Candidate Rasa test stories: the latest conversations with a miss or an abandoned guide."""
    chosen = [(c, r) for c in review.conversations if (r := _story_reasons(c, review.min_confidence))]
    lines = [
        "# Histoires candidates, tirées de vraies conversations (masquées) où l'assistant a eu du mal.",
        "# Corrigez les intentions et les actions attendues, puis copiez-les dans tests/conversations/.",
        'version: "3.1"',
        "stories:" if chosen else "stories: []",
    ]
    for number, (conversation, reasons) in enumerate(chosen[-MAX_STORIES:], start=1):
        name = f"revue {number} : {', '.join(reasons)} ({conversation.day.isoformat()})"
        lines += [f"- story: {_q(name)}", "  steps:", *_story_steps(conversation)]
    return "\n".join([*lines, ""])


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    header = list(header)
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(str(c) for c in row) + " |" for row in rows),
        "",
    ]


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def usage_markdown(review: Review) -> str:
    """Usage figures and charts: counts only, never an identifier or a message."""
    lines = [f"# Utilisation de l'assistant, {period_label(review)}", ""]
    if not review.conversations:
        lines += [EMPTY, ""]
    lines += ["Chiffres seulement : ni identifiant, ni texte de message (heure de Paris).", ""]
    lines += _table(["mesure", "valeur"], [
        ["conversations", len(review.conversations)],
        ["messages des usagers", review.user_messages],
        ["messages sans réponse (« pas sûr » ou hors sujet décliné)", _percent(review.fallback_rate)],
        ["groupes de messages à étiqueter (to_label.yml)", len(review.groups)],
        ["lignes illisibles ignorées", review.skipped_rows],
    ])  # fmt: skip
    lines += ["## Conversations par jour", "", "![Conversations par jour](conversations_per_day.png)", ""]
    lines += _table(["jour", "conversations"], [[f"{d:%d/%m/%Y}", n] for d, n in review.per_day.items()])
    lines += ["## Intentions les plus fréquentes", ""]
    total = review.user_messages or 1
    top = messages.top_intents(review.intents)
    lines += _table(["intention", "messages", "part"], [[t["intent"], t["count"], _percent(t["count"] / total)]
                                                        for t in top])  # fmt: skip
    lines += ["## Guides pas à pas", "", "Conversations qui ont commencé chaque guide, et où elles l'ont quitté.", ""]
    for name, funnel in review.funnels.items():
        if not funnel.started:
            continue
        lines += [f"### {funnel.title} ({name})", "", f"![Entonnoir {name}](funnel_{name}.png)", ""]
        lines += [f"{funnel.started} conversation(s) l'ont commencé, {funnel.finished} l'ont terminé.", ""]
        rows = [[k, funnel.reached(k), funnel.abandoned_at_step[k], funnel.referred_at_step[k]]
                for k in range(1, funnel.steps + 1)]  # fmt: skip
        rows.append(["terminé", funnel.finished, "", ""])
        lines += _table(["étape", "atteinte", "abandonné ici", "orienté ailleurs ici"], rows)
    unused = [name for name, funnel in review.funnels.items() if not funnel.started]
    if unused:
        lines += [f"Guides jamais commencés sur la période : {', '.join(unused)}.", ""]
    lines += ["## Recherches de France services", ""]
    lines += _table(["résultat", "recherches"], [[FS_LABELS[k], n] for k, n in review.france_services.items()])
    return "\n".join(lines)


def write_all(review: Review, out: Path) -> list[Path]:
    """Write every output file into ``out`` (created); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    texts = {
        "to_label.yml": to_label_yaml(review, out / "to_label.yml"),
        "stories.yml": stories_yaml(review),
        "usage.md": usage_markdown(review),
        "feedback.md": ratings.feedback_markdown(review.rated_answers, period_label(review)),
        "summary.json": json.dumps(summary(review), ensure_ascii=False, indent=2) + "\n",
    }
    for stale in out.glob("funnel_*.png"):
        stale.unlink()
    paths = [plots.conversations_per_day(review.per_day, out / "conversations_per_day.png")]
    paths += [plots.funnel(f, out / f"funnel_{name}.png") for name, f in review.funnels.items() if f.started]
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")
        paths.append(out / name)
    return paths
