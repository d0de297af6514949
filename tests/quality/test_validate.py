"""`rasa data validate`, run in-process so that one known kind of warning can be checked precisely.

Rasa warns about responses "not used in any story or rule". Responses sent by
custom actions (guide steps, suggestions) are legitimately absent from rules;
this test accepts exactly those and fails on every other warning.
"""

from __future__ import annotations

import re
import warnings

import pytest
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

from actions.actions import responses_sent

UNUSED = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU training data")
# Rasa 3.6 prints this on every load of a domain with slots, whatever the slots are.
ALWAYS_PRINTED = "Slot auto-fill has been removed in 3.0"
# Rasa 3.6 adds the retrieval intent of the NLU data (faq/<id>) to the domain it also reads from domain/,
# and lists its `utter_faq` action; the answers are sent by action_answer from the bank, not by utter_faq.
RETRIEVAL_INTENT_NOTES = (
    "The following duplicated intents have been found across multiple domain files: faq",
    "Action 'utter_faq' is listed as a response action in the domain file, but there is no matching response",
)


@pytest.fixture(scope="module")
def validation(root):
    importer = TrainingDataImporter.load_from_config(
        config_path=str(root / "config.yml"),
        domain_path=str(root / "domain"),
        training_data_paths=[str(root / "data")],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator = Validator.from_importer(importer)
        results = {
            "domain": validator.verify_domain_validity(),
            "actions in rules": validator.verify_actions_in_stories_rules(),
            "forms": validator.verify_forms_in_stories_rules() and validator.verify_form_slots(),
            "slot mappings": validator.verify_slot_mappings(),
            "intents used": validator.verify_intents_in_stories(ignore_warnings=False),
            "no repeated examples": validator.verify_example_repetition_in_intents(ignore_warnings=False),
            "story structure": validator.verify_story_structure(ignore_warnings=False),
            "utterances": validator.verify_utterances_in_stories(ignore_warnings=True),
        }
    messages = [str(w.message) for w in caught if "rasa" in (w.filename or "") or "utterance" in str(w.message)]
    return results, messages


def test_every_check_passes(validation):
    results, _ = validation
    assert {name: ok for name, ok in results.items() if not ok} == {}


def test_no_warning_except_responses_sent_by_actions(validation, thresholds):
    _, messages = validation
    allowed = responses_sent() | {"utter_default"}  # utter_default: Rasa's own action_default_fallback
    payload_only = set(thresholds["nlu"]["payload_only_intents"])  # sent by buttons, never typed
    unexpected = [
        m
        for m in messages
        if not m.startswith(ALWAYS_PRINTED)
        and not m.startswith(RETRIEVAL_INTENT_NOTES)
        and not ((found := UNUSED.search(m)) and found.group(1) in allowed)
        and not ((found := NO_EXAMPLES.search(m)) and found.group(1) in payload_only)
    ]
    assert unexpected == []
