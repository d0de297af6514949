"""« Cette réponse vous a aidé ? »: the answers readers found unhelpful, ranked, with the messages that led to them.

The counts come from bot/feedback.py (answer id, yes/no, reason, day: nothing links a click to a
conversation). The messages come from the tracker store, already redacted, and are redacted once more
(``messages.one_line``) before being written.

Which message led to which answer: actions/answers.py sends each answer of the bank with its id in the same
bot message (``json_message={"answer_id": …}``), and the tracker store keeps it in that bot event
(``"data": {"custom": {"answer_id": …}}``). A turn (a user message and the events up to the next user
message) whose bot events carry answer X is a message that got answer X. This matches on the id the page
itself was given, not on the answer's text, which changes with the audience, the bank's wording and the
« Vérifié le » date, and is redacted in the store. Turns stored before answers carried their id are not
matched: nothing is guessed. The store redacts the id like any string: an id that looks like personal data
(``hotline_3422`` is stored as ``[code]``) is matched on its redacted form when no other id of the bank has
the same one, and not matched otherwise. A button's payload (``/faq{…}``) is counted, not listed: it is not
words a person typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.feedback import REASON_LABELS, AnswerFeedback
from bot.privacy import redact
from bot.text import normalize
from tools.review.events import Conversation, Event
from tools.review.messages import one_line, turns

MAX_MESSAGES = 10  # wordings listed per answer, the most frequent first
NO_REASON = "sans raison"


@dataclass(frozen=True)
class RankedAnswer:
    """One answer's feedback and the typed messages (redacted, with counts) that got it in the period."""

    answer_id: str
    helpful: int
    unhelpful: int
    unhelpful_rate: float
    reasons: dict[str, int]
    messages: tuple[tuple[str, int], ...]
    buttons: int  # times it was reached by a button rather than typed words


def answer_ids(event: Event) -> list[str]:
    """The bank answer id a bot event carries (``data.custom.answer_id``), if any."""
    data = event.data.get("data") if event.type == "bot" else None  # BotUttered: {"text", "data": {"custom"…}}
    custom = data.get("custom") if isinstance(data, dict) else None
    answer_id = custom.get("answer_id") if isinstance(custom, dict) else None
    return [answer_id] if isinstance(answer_id, str) and answer_id else []


def messages_by_answer(conversations: Iterable[Conversation]) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """For each answer id: the typed messages (redacted again, one line) it answered, and how many button
    payloads led to it."""
    typed: dict[str, Counter[str]] = {}
    buttons: Counter[str] = Counter()
    for conversation in conversations:
        for user, after in turns(conversation):
            ids = dict.fromkeys(answer_id for event in after for answer_id in answer_ids(event))
            text = user.data["text"]
            for answer_id in ids:
                if text.lstrip().startswith("/"):
                    buttons[answer_id] += 1
                    continue
                clean = one_line(text)
                if normalize(clean):
                    typed.setdefault(answer_id, Counter())[clean] += 1
    return typed, buttons


def bank_ids() -> list[str]:
    """Every answer id of the bank (data/answers), or [] when it cannot be read."""
    from bot.answers.bank import BANK_FOLDER, BankError, load_bank
    from tools.review.append import ROOT

    try:
        return [unit.id for unit in load_bank(ROOT / BANK_FOLDER)]
    except (BankError, OSError):
        return []


def stored_ids(answer_ids: Iterable[str]) -> dict[str, str]:
    """How the tracker store keeps each id (redacted like any string), for the ids whose form is unique."""
    forms = {answer_id: redact(answer_id) for answer_id in answer_ids}
    taken = Counter(forms.values())
    return {answer_id: form for answer_id, form in forms.items() if taken[form] == 1}


def rank(
    counts: Iterable[AnswerFeedback], conversations: Iterable[Conversation], known_ids: Iterable[str] | None = None
) -> list[RankedAnswer]:
    """Answers with feedback, the most unhelpful first (rate, then number of « Non », then id), each with the
    messages that led to it; ``known_ids``: every id of the bank (default: read it), to tell whether a redacted
    id is unambiguous."""
    counts = list(counts)
    if not counts:
        return []
    typed, buttons = messages_by_answer(conversations)
    ids = {*(known_ids if known_ids is not None else bank_ids()), *(c.answer_id for c in counts)}
    forms = stored_ids(ids)
    ranked = []
    for count in counts:
        form = forms.get(count.answer_id)
        wordings = typed.get(form, Counter()) if form else Counter()
        ranked.append(RankedAnswer(
            answer_id=count.answer_id,
            helpful=count.helpful,
            unhelpful=count.unhelpful,
            unhelpful_rate=count.unhelpful_rate,
            reasons=dict(count.reasons),
            messages=tuple(sorted(wordings.items(), key=lambda w: (-w[1], w[0]))[:MAX_MESSAGES]),
            buttons=buttons[form] if form else 0,
        ))  # fmt: skip
    return sorted(ranked, key=lambda r: (-r.unhelpful_rate, -r.unhelpful, r.answer_id))


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, NO_REASON)


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %".replace(".", ",")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def feedback_markdown(ranked: list[RankedAnswer], period: str) -> str:
    """feedback.md: the ranking, then, per answer, its reasons and the messages that led to it."""
    lines = [
        f"# Réponses jugées peu utiles (« Cette réponse vous a aidé ? »), {period}",
        "",
        "Les avis ne contiennent que l'identifiant de la réponse, oui ou non, la raison et le jour.",
        "Les messages cités viennent des conversations (déjà masqués) : ceux auxquels l'assistant a répondu par",
        "cette réponse sur la période.",
        "",
    ]
    if not ranked:
        return "\n".join([*lines, "Aucun avis sur la période.", ""])
    lines += ["| rang | réponse | avis | non | part de non | raisons |", "|---|---|---|---|---|---|"]
    for number, answer in enumerate(ranked, start=1):
        reasons = ", ".join(f"{reason_label(r)} : {n}" for r, n in answer.reasons.items()) or "—"
        total = answer.helpful + answer.unhelpful
        lines.append(f"| {number} | {answer.answer_id} | {total} | {answer.unhelpful} |"
                     f" {_percent(answer.unhelpful_rate)} | {reasons} |")  # fmt: skip
    lines.append("")
    for answer in ranked:
        if not answer.unhelpful:
            continue
        lines += [f"## {answer.answer_id}", ""]
        if answer.messages:
            lines += ["| message qui a reçu cette réponse | fois |", "|---|---|"]
            lines += [f"| {_cell(text)} | {n} |" for text, n in answer.messages]
            lines.append("")
        else:
            lines += ["Aucun message écrit ne l'a reçue sur la période.", ""]
        if answer.buttons:
            lines += [f"Atteinte {answer.buttons} fois par un bouton.", ""]
    return "\n".join(lines)
