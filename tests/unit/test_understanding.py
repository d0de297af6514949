"""Calibrated decisions: answer, decline or « not sure »."""

from dataclasses import replace

import pytest

from bot.understanding import (
    EMERGENCY,
    FALLBACK,
    OUT_OF_SCOPE,
    Thresholds,
    about_another_services_account,
    asks_for_a_desk,
    decide,
    follow_up_move,
    is_help_request,
    load_thresholds,
    might_be_an_emergency,
    names_no_place_of_ones_own,
    names_only_someone_elses_town,
    names_where_someone_else_lives,
)

T = Thresholds(answer=0.4, intent=0.5, decline=0.6)


@pytest.mark.parametrize(("intent", "confidence", "off_topic", "move"), [
    ("faq", 0.9, 0.1, "faq"), ("faq", 0.39, 0.1, FALLBACK), ("greet", 0.45, None, FALLBACK),
    ("greet", 0.5, 0.0, "greet"), ("faq", 0.99, 0.6, OUT_OF_SCOPE), (OUT_OF_SCOPE, 0.9, 0.2, FALLBACK),
    (OUT_OF_SCOPE, 0.9, None, OUT_OF_SCOPE), (OUT_OF_SCOPE, 0.5, None, FALLBACK), (None, 0.0, None, FALLBACK),
])  # fmt: skip
def test_decide(intent, confidence, off_topic, move):
    assert decide(intent, confidence, T, off_topic) == move


@pytest.mark.parametrize(("intent", "confidence", "move"), [
    ("faq", 0.95, "faq"), ("faq", 0.9, "faq"), ("faq", 0.89, OUT_OF_SCOPE), ("greet", 0.99, OUT_OF_SCOPE),
    ("activation_start", 0.95, "activation_start"), ("child_activation_start", 0.89, OUT_OF_SCOPE),
])  # fmt: skip
def test_a_sure_answer_overrules_the_detector_above_keep(intent, confidence, move):
    keep = Thresholds(answer=0.4, intent=0.5, decline=0.6, keep=0.9)
    assert decide(intent, confidence, keep, 0.8) == move


FOLLOW = Thresholds(answer=0.05, intent=0.2, decline=0.4, decline_in_conversation=0.6)


def _ranked(name, confidence):
    return [{"name": name, "confidence": confidence}, {"name": "greet", "confidence": 0.0}]


@pytest.mark.parametrize(("ranking", "off_topic", "in_conversation", "move"), [
    (_ranked("faq", 0.98), 0.45, True, "answer"),  # « c'est obligatoire de l'avoir ? » after an answer
    (_ranked("faq", 0.98), 0.45, False, "decline"),  # the same as a first message: nothing says it is about us
    (_ranked("faq", 0.98), 0.6, True, "decline"),  # the detector is sure enough, even in a conversation
    (_ranked(OUT_OF_SCOPE, 0.5), 0.45, True, "decline"),  # the classifier says off-topic too
    (_ranked(OUT_OF_SCOPE, 0.3), 0.45, True, "clarify"),
    (_ranked("activation_start", 0.9), 0.45, True, "clarify"),  # not an answer: offer the likeliest ones
    (_ranked("faq", 0.04), 0.45, True, "clarify"),
    ([], 0.45, True, "decline"), (_ranked("faq", 0.9), None, True, "decline"),
])  # fmt: skip
def test_a_follow_up_in_a_conversation_about_us_is_declined_only_when_the_detector_is_sure(
    ranking, off_topic, in_conversation, move
):
    assert follow_up_move(ranking, off_topic, in_conversation, FOLLOW) == move


def test_a_follow_up_continuing_the_previous_answer_overrules_the_detector_only_when_likely_enough():
    limits = Thresholds(answer=0.05, intent=0.2, decline=0.4, decline_in_conversation=0.6, continue_answer=0.6)
    assert follow_up_move(_ranked("faq", 0.7), 0.9, True, limits, continues=True) == "answer"
    assert follow_up_move(_ranked("faq", 0.59), 0.9, True, limits, continues=True) == "decline"
    assert follow_up_move(_ranked("faq", 0.7), 0.9, True, limits, continues=False) == "decline"
    assert follow_up_move(_ranked("faq", 0.7), 0.9, False, limits, continues=True) == "decline"  # no conversation
    assert follow_up_move(_ranked("activation_start", 0.9), 0.9, True, limits, continues=True) == "decline"
    assert follow_up_move(_ranked("faq", 0.99), 0.9, True, FOLLOW, continues=True) == "decline"  # default: never


def test_a_follow_up_continuing_the_previous_answer_but_not_likely_enough_gets_suggestions_not_a_refusal():
    limits = Thresholds(answer=0.05, intent=0.2, decline=0.4, decline_in_conversation=0.6, continue_answer=0.6,
                        continue_suggest=0.3)  # fmt: skip
    assert follow_up_move(_ranked("faq", 0.54), 0.65, True, limits, continues=True) == "clarify"
    assert follow_up_move(_ranked("faq", 0.29), 0.65, True, limits, continues=True) == "decline"
    assert follow_up_move(_ranked("faq", 0.54), 0.65, True, limits, continues=False) == "decline"
    assert follow_up_move(_ranked("faq", 0.54), 0.65, False, limits, continues=True) == "decline"


def test_thresholds_are_read_from_the_file(tmp_path):
    path = tmp_path / "thresholds.yml"
    path.write_text("understanding:\n  answer_min_confidence: 0.25\n  decline_min_confidence: 0.7\n")
    assert load_thresholds(path) == Thresholds(answer=0.25, intent=Thresholds().intent, decline=0.7)


def test_the_shipped_thresholds_are_probabilities(root):
    shipped = load_thresholds(root / "config" / "thresholds.yml")
    assert all(0 < value < 1 for value in (shipped.answer, shipped.intent, shipped.decline))
    assert shipped.keep > shipped.answer
    assert shipped.decline <= shipped.decline_in_conversation < 1


SAFE = Thresholds(answer=0.05, intent=0.2, decline=0.4, emergency=0.7)


@pytest.mark.parametrize(("confidence", "off_topic", "move"), [
    (0.95, 0.1, EMERGENCY), (0.7, 0.1, EMERGENCY),
    (0.95, 0.9, EMERGENCY),  # never declined as off-topic, however sure the detector is
    (0.64, 0.02, FALLBACK),  # « il a 3 ans et il apparaît pas »: not sure, and the 15 / 112 line comes first
    (0.43, 0.9, FALLBACK),
])  # fmt: skip
def test_the_classifier_alone_must_be_sure_of_an_emergency_and_never_declines_one(confidence, off_topic, move):
    assert decide(EMERGENCY, confidence, SAFE, off_topic) == move


def test_an_emergency_class_too_unsure_is_decided_like_any_other_label():
    """« et il fait quel temps demain a Mulhouse ? » scored 0.17 for the emergency class and got the 15 / 112 line
    (a persona, 6 December 2026): below ``emergency_possible`` the detector may decline it."""
    floor = replace(SAFE, emergency_possible=0.3)
    assert decide(EMERGENCY, 0.17, floor, 0.81) == OUT_OF_SCOPE
    assert decide(EMERGENCY, 0.17, floor, 0.1) == FALLBACK
    assert decide(EMERGENCY, 0.43, floor, 0.9) == FALLBACK  # a possible emergency is never declined
    assert load_thresholds().emergency_possible <= 0.43  # the vague follow-ups of emergency_min_confidence's note
    ranking = [{"name": EMERGENCY, "confidence": 0.17}, {"name": "faq", "confidence": 0.1}]
    assert might_be_an_emergency(ranking) and not might_be_an_emergency(ranking, 0.3)


def test_a_possible_emergency_is_the_classifier_best_label():
    assert might_be_an_emergency([{"name": EMERGENCY, "confidence": 0.6}, {"name": "faq", "confidence": 0.1}])
    assert not might_be_an_emergency([{"name": "faq", "confidence": 0.6}, {"name": EMERGENCY, "confidence": 0.3}])
    assert not might_be_an_emergency([])


def test_the_shipped_emergency_threshold_is_read_and_stays_below_the_held_out_emergencies():
    shipped = load_thresholds()
    assert 0.5 <= shipped.emergency <= 0.75


def test_forgetting_the_conversation_needs_a_sure_classifier():
    """« Et si mes données ont déjà été effacées, je repars de zéro, avec un espace vide ? » scored 0.25 for « Nouvel
    usager » and wiped a persona's conversation (7 December 2026)."""
    from bot.understanding import FORGET_INTENT

    careful = replace(T, intent=0.2, forget=0.45)
    assert decide(FORGET_INTENT, 0.25, careful, 0.0) == FALLBACK
    assert decide(FORGET_INTENT, 0.5, careful, 0.0) == FORGET_INTENT
    assert decide("greet", 0.25, careful, 0.0) == "greet"
    assert 0.3 <= load_thresholds().forget <= 0.47  # the held-out sentences of tests/nlu score 0.47 and more


@pytest.mark.parametrize(("text", "asks"), [
    ("je suis à Remiremont, qui peut m'aider ?", True),
    ("je cherche un conseiller france services", True),
    ("mon code provisoire a expiré", False),
    # an advisor's introduction is no request for help (newcomers' session, 5 December 2026)
    ("Bonjour, conseillère France Services. J'ai devant moi un monsieur dont le compte rendu n'apparaît pas", False),
    ("Bonjour, conseillère France Services. La dame cherche une permanence près de chez elle", True),
    # the caisse's own desk (cpam_help), not France Services (persona session, 6 December 2026)
    ("et la cpam a epinal on peut aller la bas aussi ? elle peut m'aider ?", False),
    ("la France Services ou la caisse, qui peut m'aider à Épinal ?", True),
    ("j'ai pas mon numéro de sécu, qui peut m'aider à Metz ?", True),
    # who the person is, not a request (an aide à domicile got the desks of Lyon, 6 December 2026)
    ("c pas ma mere, c une dame que j aide. sa fille habite a lyon et elle veut pas qu on active, qui decide", False),
    ("je suis aide à domicile", False), ("je l'aide pour ses papiers", False),
    ("je suis aide à domicile, qui peut m'aider à Lyon ?", True), ("une aide à Remiremont ?", True),
    # who has access, not who can help (a persona of 71 got the desks of Nancy, 7 December 2026)
    ("jai eu une operation du coeur a nancy l an dernier qui c est qui peut voir les compte rendu de ca", False),
    ("qui peut les consulter à Metz ?", False), ("à Nancy, qui peut me renseigner ?", True),
    # a France Services refused (a persona of 63 got the desks of Reims after saying so, 7 December 2026)
    ("non je cherche pas un france services. je demande si mon cardiologue peut voir le document de reims", False),
    ("arretez avec les france services. le cardiologue il peut voir mes documents oui ou non", False),
    ("pas besoin de france services, juste les étapes", False),
    ("y a pas une france services près de chez moi, à Reims ?", True),
    ("j'ai pas de france services près de chez moi, où aller ?", True),
    ("", False),
])
def test_a_help_request_is_read_without_the_advisors_introduction(text, asks):
    assert is_help_request(text) is asks


@pytest.mark.parametrize("text", ["ya un endroi pour maider a roubais?", "un lieu pour m aider à Nancy"])
def test_a_help_request_typed_without_apostrophe_or_naming_a_place_to_go(text):
    """« ya un endroi pour maider a roubais? » got the 3422 (a persona who writes as he speaks, 6 December 2026)."""
    assert is_help_request(text)


@pytest.mark.parametrize(("text", "elsewhere"), [
    ("Mon fils habite a Metz il pourrait le faire pour moi ?", True),
    ("ma fille vit à Nancy, elle peut m'aider ?", True),
    ("elle travaille à Épinal", True),
    ("ma fille qui habite à Lyon est contre", True),
    ("j'habite à Remiremont, qui peut m'aider ?", False),
    ("je suis à Metz", False),
    ("ok. sa fille est à Lyon, elle peut l'aider à distance comment ?", True),  # an advisor got the desks near Lyon
    ("ma mère est à l'hôpital", False),
    ("", False),
])  # fmt: skip
def test_a_town_where_someone_else_lives(text, elsewhere):
    assert names_where_someone_else_lives(text) is elsewhere


@pytest.mark.parametrize(("text", "desk"), [
    ("où aller pour me faire aider ?", True), ("une France Services près de chez moi", True),
    ("ma fille habite Nancy, elle pourrait consulter mes papiers pour m'aider ?", False), ("qui peut m'aider ?", False),
    ("ma voisine habite Bruyères, qui peut l'aider ?", True),  # a team place question (tests/places)
    # the help the relative gives (an advisor got the desks near Nancy, 7 December 2026)
    ("derniere q pour elle : elle voudrait donner acces a SON espace a sa fille qui habite Nancy pour l'aider. "
     "possible ?", False),
    ("ma mère habite à Toul, il y a quelque chose pour elle ?", True),
])  # fmt: skip
def test_a_request_for_a_desk_itself(text, desk):
    assert asks_for_a_desk(text) is desk


@pytest.mark.parametrize(("text", "only"), [
    ("ok. sa fille est à Lyon, elle peut l'aider à distance comment ?", True),  # she helps from afar: no desk there
    ("mon fils habite Metz, il peut m'aider par téléphone ?", True),
    ("ma voisine habite Bruyères, qui peut l'aider ?", False),  # help for her, where she lives
    ("ma fille habite Nancy, une France Services pour elle ?", False),
    # the grandson's name redacted on the site (a persona of 88, 7 December 2026)
    ("concernant mon petit-fils [nom], qui est à Paris : peut-il voir mon dossier depuis chez lui, m'aider à "
     "distance ?", True),
])  # fmt: skip
def test_a_relative_who_helps_from_afar_names_no_town_to_search(text, only):
    assert names_only_someone_elses_town(text) is only


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("merci. et pendant que j'y suis comment on supprime son compte doctolib ?", True),
        ("et facebook vous savez comment on supprime le compte definitivement ? pas juste desactiver", True),
        ("j'ai oublié le mot de passe de mon compte CAF", True),
        ("je veux fermer mon espace santé et mon compte doctolib", False),  # names the service: its closing is asked
        ("je n'ai pas de compte gmail, comment j'active ?", False),  # no closing nor password: no e-mail address
        ("mes données sont stockées chez amazon ?", False),
        ("comment on supprime son compte ?", False),
        # the space to close is Mon espace santé, Facebook is where a rumour was read (an advisor, 7 December 2026)
        ("usager veut fermer son espace, il a lu sur facebook que les donnees sont vendues. comment on ferme", False),
        ("supprimer mon profil facebook", True),
    ],
)
def test_the_account_of_another_service(text, other):
    assert about_another_services_account(text) is other


@pytest.mark.parametrize(("text", "none"), [
    # where care happens is no place to find a desk near (a persona of 63 got the desks of Charleville, 7 December 2026)
    ("le cardiologue de charleville il peut le voir tout seul ou faut que je limprime", True),
    ("le compte rendu de l'hôpital de Reims, il est dedans ?", True),
    ("mon fils habite Metz, il peut m'aider par téléphone ?", True),  # someone else's town, as before
    ("je suis à l'hôpital de Nancy, où trouver une France Services ?", False),  # a desk asked for
    ("je suis à Remiremont, qui peut m'aider ?", False),
    # where a helper would act from (a daughter got the desks of Lyon, 7 December 2026)
    ("je veux savoir si MOI je peux activer l'espace de ma mère depuis Lyon, elle est a l'hopital", True),
    ("depuis hier j'essaie, je suis à Épinal, où trouver une France Services ?", False),
])  # fmt: skip
def test_a_place_of_care_or_someone_elses_town_is_no_place_to_search(text, none):
    assert names_no_place_of_ones_own(text) is none
