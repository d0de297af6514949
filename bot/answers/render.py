"""Turn an answer unit into the message a person reads: text for their audience, source, date, buttons."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bot import situation
from bot.answers.bank import BUTTON_INTENTS, RETRIEVAL_INTENT, Answer, Bank, answer_payload, unit_button
from bot.text import NUMBERED_STEP, french_date

ADVISOR = "advisor"
HUMAN_UNIT = "ask_human"
HUMAN_BUTTON = {"title": "Parler à un conseiller", "payload": f'/{RETRIEVAL_INTENT}{{"answer": "{HUMAN_UNIT}"}}'}
FRANCE_SERVICES_BUTTON = {"title": BUTTON_INTENTS["find_france_services"], "payload": "/find_france_services"}
MAX_BUTTONS = 4
SIMPLE_TITLE = "Plus simple"
SIMPLE_VALUE = "oui"  # the value of the entity « simple » a « Plus simple » button sends
HELP_LINE_START = "Besoin d'aide ? Appelez le 3422"  # the answers' usual last line (the summary sheet gives it once)


@dataclass(frozen=True)
class Reply:
    """One message: text and buttons (``{"title", "payload"}``)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def simple_payload(unit_id: str) -> str:
    """What the « Plus simple » button sends: ``/faq{"answer": "<id>", "simple": "oui"}``."""
    return f"/{RETRIEVAL_INTENT}{json.dumps({'answer': unit_id, 'simple': SIMPLE_VALUE})}"


def button_for(target: str, bank: Bank) -> dict[str, str] | None:
    """The button that leads to ``target``: an answer unit or a guide / search intent."""
    if target in BUTTON_INTENTS:
        return {"title": BUTTON_INTENTS[target], "payload": f"/{target}"}
    unit = bank.get(target)
    return unit_button(unit) if unit is not None else None


def buttons_for(unit: Answer, bank: Bank, audience: str | None = None) -> list[dict[str, str]]:
    """The unit's next steps (never itself), always with a way to a person. An advisor works in a France
    Services: no « find a France Services » button for them, the 3422 (``ask_human``) instead."""
    own = answer_payload(unit.id)
    buttons = [b for b in (button_for(t, bank) for t in unit.next) if b is not None and b["payload"] != own]
    if audience == ADVISOR:
        buttons = [b for b in buttons if b["payload"] != FRANCE_SERVICES_BUTTON["payload"]]
    payloads = {b["payload"] for b in buttons}
    if HUMAN_BUTTON["payload"] not in payloads and FRANCE_SERVICES_BUTTON["payload"] not in payloads:
        buttons = buttons[: MAX_BUTTONS - 1]
        if unit.id != HUMAN_UNIT:
            buttons.append(HUMAN_BUTTON)
        elif audience != ADVISOR:
            buttons.append(FRANCE_SERVICES_BUTTON)
    return buttons[:MAX_BUTTONS]


def with_simple_button(unit: Answer, buttons: list[dict[str, str]]) -> list[dict[str, str]]:
    """``buttons`` led by « Plus simple »; past ``MAX_BUTTONS``, the last next step that is not a person goes."""
    return _within_limit([{"title": SIMPLE_TITLE, "payload": simple_payload(unit.id)}, *buttons], keep_first=1)


def with_france_services_button(buttons: list[dict[str, str]]) -> list[dict[str, str]]:
    """``buttons`` with « Trouver une France Services » before the person; past ``MAX_BUTTONS``, the last next
    step that is not a person goes."""
    if FRANCE_SERVICES_BUTTON in buttons:
        return buttons
    human = [b for b in buttons if b["payload"] == HUMAN_BUTTON["payload"]]
    others = [b for b in buttons if b["payload"] != HUMAN_BUTTON["payload"]]
    return _within_limit([*others, FRANCE_SERVICES_BUTTON, *human])


_PEOPLE = frozenset({HUMAN_BUTTON["payload"], FRANCE_SERVICES_BUTTON["payload"]})


def _within_limit(buttons: list[dict[str, str]], keep_first: int = 0) -> list[dict[str, str]]:
    """``buttons`` cut to ``MAX_BUTTONS``: the last next steps that are not a person go first (the first
    ``keep_first`` stay), then the last buttons."""
    while len(buttons) > MAX_BUTTONS:
        others = [i for i, b in enumerate(buttons) if i >= keep_first and b["payload"] not in _PEOPLE]
        del buttons[others[-1] if others else -1]
    return buttons


def render(
    unit: Answer, bank: Bank, audience: str | None = None, simple: bool = False, situations: object = None
) -> Reply:
    """The reply for ``unit``: advisor wording on the advisors' page, the easy-to-read text when ``simple`` is
    asked and the unit has one, then source and checked date. A person reading the usual citizen text is
    offered « Plus simple » when the unit has an easy-to-read text. A citizen's ``situations`` (bot/situation.py:
    no internet, the MSA, a death, a minor, a protected adult) put their lines first, and « no internet » the France
    Services button; an advisor gets only the lines about the person (the others are what an advisor sees for
    herself). Hard of hearing: the lines that only send to the 3422 give way to the video interpreter, last."""
    shows_simple = simple and bool(unit.simple)
    body = unit.advisor if audience == ADVISOR and unit.advisor else unit.citizen
    body = unit.simple if shows_simple else body
    first = situation.lines_for(situations, unit.task, body, for_advisor=audience == ADVISOR)
    if hearing := situation.hearing_line(situations, body, for_advisor=audience == ADVISOR):
        body = f"{situation.without_phone_help(body)}\n{hearing}"
    lines = [*first, body, f"Plus d'infos : {unit.source}", f"Vérifié le {french_date(unit.checked)}."]
    buttons = buttons_for(unit, bank, audience)
    if situation.LINES[situation.NO_INTERNET] in first:
        buttons = with_france_services_button(buttons)
    if unit.simple and not shows_simple and audience != ADVISOR:
        buttons = with_simple_button(unit, buttons)
    return Reply("\n".join(lines), buttons)


MAX_LIST_ITEMS = 8


def first_point(lines: list[str]) -> list[str]:
    """An answer's first line, with the list it announces when it ends with « : » (« Les écrans se suivent dans cet
    ordre : » was printed alone on an advisor's sheet, persona session of 7 December 2026)."""
    if not lines or not lines[0].rstrip().endswith(":"):
        return lines[:1]
    items = []
    for line in lines[1:]:
        if not NUMBERED_STEP.match(line) or len(items) == MAX_LIST_ITEMS:
            break
        items.append(line)
    return [lines[0], *items]


def sheet_sections(unit_ids: object, bank: Bank, in_full: int = 3) -> list[tuple[str, list[str]]]:
    """Title and lines of each answer given (the ``recent_answers`` slot, oldest first), worded for the citizen
    with its official link and checked date: what the summary sheet prints (bot/summary.py). The last ``in_full``
    answers are printed whole, the earlier ones by their first line (a sheet of six whole answers runs to pages).
    The answers' own « Besoin d'aide ? Appelez le 3422… » line is left out: the sheet's contacts give it once (an
    advisor counted the 3422 four times on one sheet); the link and the checked date share one line. An answer
    kept off paper (``on_sheet: false``, a minor's confidential care) is not printed."""
    ids = [u for u in unit_ids if isinstance(u, str)] if isinstance(unit_ids, list) else []
    units = [unit for unit in map(bank.get, ids) if unit is not None and unit.on_sheet]
    sections = []
    for index, unit in enumerate(units):
        lines = [line for line in unit.citizen.splitlines() if line.strip() and not line.startswith(HELP_LINE_START)]
        if index < len(units) - in_full:
            lines = first_point(lines)
        link = f"Plus d'infos : {unit.source} (vérifié le {french_date(unit.checked)})."
        sections.append((unit.title, [*lines, link]))
    return sections


# The articles of the code de la santé publique an answer cites (« art. L1111-18 CSP », « R1111-46 et L1111-17 »: every
# article of the bank is one of that code), and the law of 2019
_ARTICLE = re.compile(r"\b[LRD] ?\d{4}(?:-\d+)+\b")
_LAW = re.compile(r"\bloi du \d{1,2}(?:er)? \w+ \d{4}|\bloi du \d{2}/\d{2}/\d{4}")
SOURCE_INTRO = "Ma source pour « {title} » : la page officielle ci-dessous."
LAW_CITED, LAWS_CITED = "Texte de loi cité", "Textes de loi cités"


def source_reply(unit: Answer, bank: Bank) -> Reply:
    """« source ? » after an answer: where its facts come from (the official page and the date they were checked)
    and the legal texts it cites, with « Ce que dit la loi » and a person as next steps (a persona who asked three
    times got the same answer again, or the 2019 law in general, 6 December 2026)."""
    texts = f"{unit.citizen}\n{unit.advisor}"
    articles = list(dict.fromkeys(match.group(0).replace(" ", "") for match in _ARTICLE.finditer(texts)))
    code = f"article{'s' if len(articles) > 1 else ''} {', '.join(articles)} du code de la santé publique"
    laws = [code] * bool(articles) + list(dict.fromkeys(match.group(0) for match in _LAW.finditer(texts)))
    lines = [SOURCE_INTRO.format(title=unit.title)]
    if laws:
        several = len(laws) > 1 or len(articles) > 1
        lines.append(f"{LAWS_CITED if several else LAW_CITED} : {' ; '.join(laws)}.")
    lines += [f"Plus d'infos : {unit.source}", f"Vérifié le {french_date(unit.checked)}."]
    targets = [t for t in ("legal_basis" if laws else "", HUMAN_UNIT) if t and t != unit.id]
    buttons = [button for target in targets if (button := button_for(target, bank)) is not None]
    return Reply("\n".join(lines), buttons)
