"""Guides as data: one file per guide (``data/guides/<name>.yml``) becomes Rasa responses.

A guide file holds everything of a guide: title, optional intro, steps (key, known problems, step
and help texts), problems (label, outcome, next action, texts), done texts and summary texts, each
text written for the citizen and for the advisor (France Services staff beside the citizen).
``build`` turns them into ``domain/guides.yml`` (``python -m tools guides build``): two variations
per response, the advisor one first (condition on the slot ``audience``), and the navigation buttons
of its kind (``BUTTONS``), unless the text gives ``buttons`` (instead) or ``extra_buttons`` (after).

``data/guides/_shared.yml`` holds the few other responses that quote the hotline's hours, in Rasa's
format. Texts write ``{hotline_hours}`` where the hours go (bot/contact.py, as in the answer bank): the
generated file has them expanded, since Rasa would read any other ``{name}`` as a slot.
``load_domain`` reads the ``domain/`` directory as one dict, as Rasa merges it. No Rasa import here.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from bot.contact import expand

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "data" / "guides"
DOMAIN = ROOT / "domain"
GENERATED_NAME = "guides.yml"
SHARED_NAME = "_shared.yml"
HEADER = (
    "# Generated from data/guides by `python -m tools guides build`: do not edit.\n"
    "# Edit data/guides/<guide>.yml (or data/guides/_shared.yml), then run the command again.\n"
)
AUDIENCES = ("citizen", "advisor")
ADVISOR_CONDITION = [{"type": "slot", "name": "audience", "value": "advisor"}]
ASK_HUMAN = '/faq{{"answer": "ask_human"}}'  # doubled braces: Rasa formats response payloads

Buttons = tuple[tuple[str, str], ...]
FRANCE_SERVICES = ("Trouver une France Services", "/find_france_services")
BACK = ("Étape précédente", "/step_back")
RESUME = "/resume_procedure"
# The navigation buttons of each kind of text, by audience: (title, payload).
BUTTONS: dict[str, dict[str, Buttons]] = {
    "step": {
        "citizen": (("C'est fait", "/step_done"), ("Ça ne marche pas", "/step_failed"), BACK),
        "advisor": (("Fait", "/step_done"), ("Problème", "/step_failed"), BACK),
    },
    "help": {
        "citizen": (("C'est réglé", "/step_done"), ("Toujours bloqué", "/step_failed"), FRANCE_SERVICES),
        "advisor": (("Fait", "/step_done"), ("Toujours bloqué", "/step_failed")),
    },
    "retry": {
        "citizen": (("C'est fait", "/step_done"), ("Ça ne marche pas", "/step_failed")),
        "advisor": (("Fait", "/step_done"), ("Toujours bloqué", "/step_failed")),
    },
    # « C'était une faute de frappe, c'est passé » (an advisor, 7 December 2026): the guide goes on where it stopped
    "refer": {
        "citizen": (FRANCE_SERVICES, ("Parler à un conseiller", ASK_HUMAN), ("C'est réglé : reprendre", RESUME)),
        # an advisor works in a France Services: the 3422, called with the person, not another desk (7 December 2026)
        "advisor": (("Fiche récapitulative", "/ask_summary"), ("Appeler le 3422", ASK_HUMAN),
                    ("Réglé : reprendre", RESUME)),
    },
    "done": {"citizen": (), "advisor": (("Fiche récapitulative", "/ask_summary"),)},
    "intro": {"citizen": (), "advisor": ()},
}


class SpecError(ValueError):
    """A guide file is malformed."""


def read(path: Path) -> dict[str, Any]:
    """The raw content of a guide file (a mapping)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SpecError(f"{path.name}: expected a mapping")
    return data


def guide_files(folder: Path = GUIDES) -> list[Path]:
    """The guide files of ``folder`` (not ``_shared.yml``)."""
    return [path for path in sorted(folder.glob("*.yml")) if not path.name.startswith("_")]


def _text(value: object) -> str:
    return str(value.get("text") or "") if isinstance(value, dict) else str(value or "")


def check_texts(path: Path, data: dict[str, Any]) -> None:
    """Every step has a step and a help text, every problem, intro and end its texts, for both audiences."""
    places: list[tuple[str, object]] = []
    for step in data.get("steps") or []:
        places += [(f"step {step.get('key')} ({part})", step.get(part)) for part in ("step", "help")]
    places += [(f"problem {key}", problem) for key, problem in (data.get("problems") or {}).items()]
    places.append(("done", data.get("done")))
    if data.get("intro"):
        places.append(("intro", data.get("intro")))
    for where, texts in places:
        texts = texts if isinstance(texts, dict) else {}
        missing = [audience for audience in AUDIENCES if not _text(texts.get(audience)).strip()]
        if missing:
            raise SpecError(f"{path.name}: {where} has no {' or '.join(missing)} text")


def _variation(value: object, kind: str, audience: str) -> dict[str, Any]:
    """One response variation: the text, then its buttons (the kind's, replaced or extended by the file)."""
    given = value if isinstance(value, dict) else {}
    buttons = [{"title": title, "payload": payload} for title, payload in BUTTONS[kind][audience]]
    if "buttons" in given:
        buttons = list(given["buttons"] or [])
    buttons += list(given.get("extra_buttons") or [])
    variation: dict[str, Any] = {"condition": ADVISOR_CONDITION} if audience == "advisor" else {}
    variation["text"] = expand(_text(value))
    return {**variation, "buttons": buttons} if buttons else variation


def _response(texts: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [_variation(texts[audience], kind, audience) for audience in ("advisor", "citizen")]


def guide_responses(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The Rasa responses of one guide file, checked by ``bot.procedures``, in the file's order."""
    from bot.procedures import load_spec  # bot.procedures reads these files too

    procedure = load_spec(path)
    data = read(path)
    responses: dict[str, list[dict[str, Any]]] = {}
    if procedure.intro:
        responses[procedure.intro_response] = _response(data["intro"], "intro")
    for index, step in enumerate(data["steps"]):
        responses[procedure.step_response(index)] = _response(step["step"], "step")
        responses[procedure.help_response(index)] = _response(step["help"], "help")
    for key, problem in procedure.problems.items():
        responses[procedure.problem_response(key)] = _response(data["problems"][key], problem.outcome)
    responses[procedure.done_response] = _response(data["done"], "done")
    return responses


@functools.lru_cache(maxsize=4)
def response_texts(folder: Path = GUIDES) -> dict[str, str]:
    """The texts of each guide response (the advisor's and the citizen's, one after the other), by response name."""
    return {name: "\n".join(variation["text"] for variation in variations)
            for path in guide_files(folder) for name, variations in guide_responses(path).items()}  # fmt: skip


def shared_responses(folder: Path = GUIDES) -> dict[str, Any]:
    """The responses of ``_shared.yml`` (Rasa's format), hours expanded."""
    path = folder / SHARED_NAME
    if not path.exists():
        return {}
    shared = read(path).get("shared_responses") or {}
    return {
        name: [{k: expand(v) if k == "text" else v for k, v in variation.items()} for variation in variations]
        for name, variations in shared.items()
    }


def _literal(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


class _Dumper(yaml.SafeDumper):
    """Readable YAML: multi-line texts as blocks, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


_Dumper.add_representer(str, _literal)


def build(folder: Path = GUIDES) -> str:
    """The text of ``domain/guides.yml`` for the guide files of ``folder``."""
    responses: dict[str, Any] = {}
    parts = [(path.name, guide_responses(path)) for path in guide_files(folder)]
    for source, part in [*parts, (SHARED_NAME, shared_responses(folder))]:
        for name, variations in part.items():
            if name in responses:
                raise SpecError(f"{source}: response {name} defined twice")
            responses[name] = variations
    body = yaml.dump({"responses": responses}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    return f'{HEADER}version: "3.1"\n{body}'


def write(folder: Path = GUIDES, domain: Path = DOMAIN) -> Path:
    """Write the generated domain file; its path."""
    target = domain / GENERATED_NAME
    target.write_text(build(folder), encoding="utf-8")
    return target


def is_current(folder: Path = GUIDES, domain: Path = DOMAIN) -> bool:
    """Whether ``domain/guides.yml`` is what ``build`` writes today."""
    target = domain / GENERATED_NAME
    return target.exists() and target.read_text(encoding="utf-8") == build(folder)


def _merge(into: dict[str, Any], part: dict[str, Any], source: str) -> None:
    for key, value in part.items():
        if key == "responses":
            twice = sorted(set(into.get(key) or {}) & set(value or {}))
            if twice:
                raise SpecError(f"{source}: responses defined twice: {', '.join(twice)}")
        if isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = [*into[key], *value]
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key] = {**into[key], **value}
        else:
            into[key] = value


def load_domain(path: Path = DOMAIN) -> dict[str, Any]:
    """The domain as one dict: a file, or every ``.yml`` of a directory merged (lists joined, dicts merged)."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    domain: dict[str, Any] = {}
    for file in files:
        _merge(domain, yaml.safe_load(file.read_text(encoding="utf-8")) or {}, file.name)
    return domain
