"""Score a bare NLU model on the external questions, without action server: what the reply would read.

Used to compare classifiers side by side (``python -m bench selector``): the chosen label is turned into
the text the assistant would send (the bank's answer for ``faq/<id>``, the domain response otherwise).
Place questions need the action server and are left out here (``make eval`` asks them live).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.answers.bank import Bank
from bot.answers.render import render
from bot.answers.respond import selector_ranking
from bot.guides import load_domain

FALLBACK_RESPONSE = "utter_did_you_mean"
GUIDE_FIRST_STEP = {"activation_start": "utter_activation_step_prepare",
                    "child_activation_start": "utter_child_activation_step_login"}  # fmt: skip


def label_of(parsed: dict[str, Any]) -> str:
    """The parsed message's intent, or ``faq/<id>`` for an answer of the bank."""
    name = (parsed.get("intent") or {}).get("name") or "nlu_fallback"
    ranking = selector_ranking(parsed.get("response_selector"))
    return f"faq/{ranking[0][0]}" if name == "faq" and ranking else name


class ReplyTexts:
    """The citizen text the assistant would send for each label."""

    def __init__(self, bank: Bank, domain: Path) -> None:
        """``domain``: the domain directory (or one domain file)."""
        self.bank = bank
        self.responses = load_domain(domain).get("responses") or {}
        self._texts: dict[str, str] = {}

    def _response(self, name: str) -> str:
        variations = [v for v in self.responses.get(name) or [] if not v.get("condition")]
        return (variations[0].get("text") or "") if variations else ""

    def text(self, label: str) -> str:
        if label not in self._texts:
            self._texts[label] = self._text(label)
        return self._texts[label]

    def _text(self, label: str) -> str:
        if label.startswith("faq/"):
            unit = self.bank.get(label[4:])
            return render(unit, self.bank).text if unit else self._response("utter_rephrase")
        if label == "nlu_fallback":
            return self._response(FALLBACK_RESPONSE)
        return self._response(GUIDE_FIRST_STEP.get(label, f"utter_{label}"))
