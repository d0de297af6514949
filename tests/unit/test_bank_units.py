"""The answer bank without Rasa: loading, rendering, generated NLU data, search and choice of answers."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot.answers import checks, respond
from bot.answers.bank import BankError, load_bank, read_file
from bot.answers.build import render_nlu
from bot.answers.render import FRANCE_SERVICES_BUTTON, HUMAN_BUTTON, answer_payload, french_date, render, source_reply
from bot.answers.search import AnswerSearch

UNIT = {
    "id": "code_lost", "task": "activation", "title": "Code perdu", "sections": ["2.5"],
    "phrasings": ["j'ai perdu mon code", "code provisoire perdu"], "citizen": "Demandez un nouveau code.",
    "advisor": "Faites demander un nouveau code à l'usager.", "next": ["code_late", "activation_start"],
    "source": "https://www.monespacesante.fr/questions-frequentes", "checked": "2026-12-03",
}  # fmt: skip
OTHER = {**UNIT, "id": "code_late", "title": "Code en retard", "phrasings": ["mon code n'arrive pas"], "next": []}


def write(folder: Path, *units: dict, name: str = "activation.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump({"answers": list(units)}, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_unit_is_read_with_its_dates_and_defaults(tmp_path):
    bank = load_bank(write(tmp_path, UNIT, OTHER))
    unit = bank.get("code_lost")
    assert unit.checked == dt.date(2026, 12, 3) and unit.recheck is None and unit.label == "faq/code_lost"
    assert not unit.nearby and not unit.declines
    assert load_bank(write(tmp_path / "h", {**UNIT, "task": "help"})).get("code_lost").nearby


@pytest.mark.parametrize(("change", "message"), [
    ({"id": "Bad Id"}, "identifiant"), ({"task": "unknown"}, "task"), ({"checked": None}, "checked"),
    ({"checked": "3 décembre"}, "date"),
    # « - une personne hésite : pourra-t-elle … » unquoted is a mapping in YAML, not a sentence
    ({"phrasings": ["code perdu", {"une personne hésite": "pourra-t-elle clôturer ?"}]}, "guillemets"),
])  # fmt: skip
def test_bad_units_are_refused_in_french_with_their_place(tmp_path, change, message):
    with pytest.raises(BankError, match=message) as error:
        read_file(write(tmp_path, {**UNIT, **change}) / "activation.yml")
    assert "activation.yml" in str(error.value)


def test_an_id_in_two_files_is_refused(tmp_path):
    write(tmp_path, UNIT)
    write(tmp_path, UNIT, name="help.yml")
    with pytest.raises(BankError, match="existe déjà"):
        load_bank(tmp_path)


def test_rendering_gives_audience_text_source_date_and_a_human(tmp_path):
    bank = load_bank(write(tmp_path, UNIT, OTHER))
    citizen = render(bank.get("code_lost"), bank)
    assert citizen.text.splitlines() == [UNIT["citizen"], f"Plus d'infos : {UNIT['source']}",
                                         "Vérifié le 3 décembre 2026."]  # fmt: skip
    assert [b["payload"] for b in citizen.buttons] == [answer_payload("code_late"), "/activation_start",
                                                       HUMAN_BUTTON["payload"]]  # fmt: skip
    assert render(bank.get("code_lost"), bank, "advisor").text.startswith(UNIT["advisor"])
    assert french_date(dt.date(2027, 1, 1)) == "1 janvier 2027"


def test_the_human_answer_offers_a_desk_and_no_unit_offers_itself(tmp_path):
    human = {**UNIT, "id": "ask_human", "next": ["ask_human"]}
    bank = load_bank(write(tmp_path, human))
    assert render(bank.get("ask_human"), bank).buttons == [FRANCE_SERVICES_BUTTON]


def test_generated_nlu_data_has_one_retrieval_intent_per_unit(tmp_path):
    bank = load_bank(
        write(tmp_path, UNIT, {**OTHER, "phrasings": ["un [lien](x) {bizarre}", "un [lien](x) {bizarre}"]})
    )
    nlu = yaml.safe_load(render_nlu(bank))["nlu"]
    assert [block["intent"] for block in nlu] == ["faq/code_lost", "faq/code_late"]
    # the title first (the question on the unit's button), no entity markup, no duplicate
    assert nlu[1]["examples"] == "- Code en retard\n- un (lien)(x) (bizarre)\n"
    # a title that nearly copies an outside question, or one of an answer that declines, is no example
    for change in ({"title_example": False}, {"declines": True}):
        bank = load_bank(write(tmp_path, UNIT, {**OTHER, **change}))
        assert yaml.safe_load(render_nlu(bank))["nlu"][1]["examples"] == "- mon code n'arrive pas\n"


def test_checks_name_each_problem(tmp_path):
    knowledge = "## 2. Activer\n### 2.5 Code provisoire\nhttps://www.monespacesante.fr/questions-frequentes\n"
    bad = {**UNIT, "source": "https://example.org", "advisor": "", "sections": ["9.9"], "next": ["nowhere"],
           "citizen": "Oui, un proche peut vous aider (famille : pas d'accès, 9.1)."}  # fmt: skip
    bank = load_bank(write(tmp_path, bad, OTHER))
    problems = "\n".join(checks.check_units(bank, knowledge))
    for fragment in ("ne vient pas de la base", "« advisor »", "« 9.9 »", "« nowhere »", "commence par « Oui »",
                     "numéro de section"):
        assert fragment in problems
    assert "Oui" not in "\n".join(checks.check_units(load_bank(write(tmp_path / "o", UNIT, OTHER)), knowledge))
    hedged = {**UNIT, "citizen": "Selon les informations disponibles, oui : un soignant peut déposer."}
    assert "commence par « Oui »" in "\n".join(checks.check_units(load_bank(write(tmp_path / "h", hedged)), knowledge))
    unverified = {**UNIT, "advisor": "Conseil de presse 2022, non vérifié : fermer d'abord les profils des enfants."}
    assert "Oui" not in "\n".join(checks.check_units(load_bank(write(tmp_path / "u", unverified, OTHER)), knowledge))
    future = load_bank(write(tmp_path / "f", {**UNIT, "checked": "2999-01-01", "recheck": "2000-01-01"}))
    problems, warnings = checks.check_dates(future, dt.date(2026, 12, 3))
    assert "date future" in problems[0] and "revérifier" in warnings[0]
    assert checks.check_coverage(load_bank(write(tmp_path / "c", {**UNIT, "sections": ["1.1"]})), knowledge) == [
        "la section « 2.5 » de la base de connaissances n'a aucune réponse"
    ]
    same = load_bank(write(tmp_path / "d", UNIT, {**OTHER, "phrasings": ["J'ai perdu mon code !"]}))
    assert any("aussi une formulation" in p for p in checks.check_phrasings(same))


def test_search_finds_units_by_their_words(tmp_path):
    bank = load_bank(write(tmp_path, UNIT, OTHER))
    search = AnswerSearch(bank)
    assert max(search.scores("perdu code").items(), key=lambda pair: pair[1])[0] == "code_lost"
    assert max(search.scores("arrive pas").items(), key=lambda pair: pair[1])[0] == "code_late"


def test_choice_of_answer_and_options(tmp_path):
    bank = load_bank(write(tmp_path, UNIT, OTHER))
    selector = {"all_retrieval_intents": ["faq"], "faq": {"ranking": [
        {"intent_response_key": "faq/code_late", "confidence": 0.6},
        {"intent_response_key": "faq/code_lost", "confidence": 0.3}]}}  # fmt: skip
    ranking = respond.ranking_in_context(selector, bank)
    assert ranking == [("code_late", 0.6), ("code_lost", 0.3)]  # no previous answer: the classifier's own
    assert respond.chosen_unit(None, ranking, bank).id == "code_late"
    assert respond.chosen_unit("code_lost", ranking, bank).id == "code_lost"  # a button wins
    assert respond.chosen_unit(None, respond.ranking_in_context(None, bank), bank) is None
    assert respond.selector_ranking("junk") == []
    options = respond.clarify_options(selector, "code", bank, AnswerSearch(bank))
    assert [u.id for u in options] == ["code_late", "code_lost"]
    assert respond.clarify_options(None, "zzzz", bank, AnswerSearch(bank)) == []
    # markup is no question, whatever words it holds: the person is asked to rephrase
    assert respond.clarify_options(selector, "<b>code</b>", bank, AnswerSearch(bank)) == []


def test_rasas_own_response_selector_output_is_read():
    """Rasa's ResponseSelector without ``retrieval_intent`` files its ranking under "default" (bench selector)."""
    selector = {"all_retrieval_intents": ["faq"], "default": {"ranking": [
        {"intent_response_key": "faq/code_lost", "confidence": 0.7},
        {"intent_response_key": "faq/code_late", "confidence": 0.2}]}}  # fmt: skip
    assert respond.selector_ranking(selector) == [("code_lost", 0.7), ("code_late", 0.2)]


def test_an_unsure_answer_comes_with_the_answers_nearly_as_likely(tmp_path):
    declining = {**UNIT, "id": "ask_medical_advice", "task": "off_topic", "declines": True}
    third = {**UNIT, "id": "code_third", "title": "Troisième"}
    bank = load_bank(write(tmp_path, UNIT, OTHER, third, declining))

    def ranked(*pairs):
        ranking = [{"intent_response_key": f"faq/{u}", "confidence": c} for u, c in pairs]
        return {"all_retrieval_intents": ["faq"], "faq": {"ranking": ranking}}

    unsure = respond.ranking_in_context(
        ranked(("code_late", 0.3), ("ask_medical_advice", 0.2), ("code_lost", 0.12), ("code_third", 0.09)), bank
    )
    assert [u.id for u in respond.see_also(unsure, "code_late", bank, below=0.4, share=0.33)] == ["code_lost"]
    assert [u.id for u in respond.see_also(unsure, "code_late", bank, below=0.4, share=0.3)] == [
        "code_lost", "code_third"]  # the off-topic answer is never offered; at most two
    assert respond.see_also(unsure, "code_late", bank, below=0.3, share=0.3) == []  # sure enough
    assert respond.see_also(unsure, "code_lost", bank, below=0.4, share=0.3) == []  # not the classifier's choice
    assert respond.see_also([], "code_late", bank, below=0.4, share=0.3) == []


def test_child_follow_up_by_unit_then_by_task(tmp_path):
    child = {**UNIT, "id": "child_close_profile", "task": "children"}
    bank = load_bank(
        write(tmp_path, UNIT, {**OTHER, "task": "closing"}, child, {**UNIT, "id": "own", "for_child": "code_late"})
    )
    assert respond.child_follow_up("code_lost", bank) == "child_activation_start"
    assert respond.child_follow_up("code_late", bank) == "child_close_profile"
    assert respond.child_follow_up("own", bank) == "code_late"
    assert respond.child_follow_up(None, bank) == respond.CHILD_DEFAULT


@pytest.mark.parametrize(("text", "follow_up"), [
    ("mon mari peut y avoir accès aussi ?", True), ("et pour le faire en ligne ?", True),
    ("Ok et je peux le fermer plus tard", True), ("c'est pareil sur l'appli ?", True),
    # « donc elle pourra les voir quand même les résultats ? » after the messaging answer (a persona session)
    ("donc elle pourra les voir quand meme les resultats quand je vais au rdv ?", True),
    ("du coup je fais comment", True),
    ("alors comment on fait", True), ("je donne donc mon code ?", False),
    ("c pour ma mere. je dois le fermer ? comment", True), ("ses documents je peux les recuperer ?", True),
    ("je prefere l'effacer carrement", True), ("comment le faire", False), ("je veux fermer mon espace", False),
    ("il y a un numéro pour appeler ?", False), ("je veux bloquer un médecin", False),
    ("comment activer mon espace", False), ("", False),
])  # fmt: skip
def test_a_follow_up_is_recognised_by_its_words(text, follow_up):
    assert respond.is_follow_up(text) is follow_up


def test_a_follow_up_prefers_the_answers_of_the_previous_task(tmp_path):
    child = {**UNIT, "id": "child_other_parent", "task": "children", "title": "Autre parent", "next": []}
    booklet = {**UNIT, "id": "child_booklet", "task": "children", "title": "Carnet", "next": []}
    adult = {**UNIT, "id": "who_cannot_see", "task": "account", "title": "Qui ne voit pas", "next": []}
    bank = load_bank(write(tmp_path, child, booklet, adult))
    ranking = [("who_cannot_see", 0.76), ("child_other_parent", 0.21), ("child_booklet", 0.03)]
    selector = {"all_retrieval_intents": ["faq"], "faq": {"ranking": [
        {"intent_response_key": f"faq/{u}", "confidence": c} for u, c in ranking]}}  # fmt: skip
    follow_up = "mon mari peut y avoir accès aussi ?"

    def chosen(last_topic, text):
        return respond.chosen_unit(None, respond.ranking_in_context(selector, bank, last_topic, text), bank).id

    assert chosen("child_booklet", follow_up) == "child_other_parent"
    reweighted = respond.in_context(ranking, "child_booklet", follow_up, bank)
    assert respond.ranking_in_context(selector, bank, "child_booklet", follow_up) == reweighted
    assert abs(sum(p for _, p in reweighted) - 1.0) < 1e-9
    # a new question, no previous answer, or a previous answer of the same task as the best: unchanged
    assert chosen("child_booklet", "qui peut lire mon dossier") == "who_cannot_see"
    assert chosen(None, follow_up) == "who_cannot_see"
    assert respond.in_context(ranking, "who_cannot_see", follow_up, bank)[0][0] == "who_cannot_see"
    # a much surer answer of another task still wins
    sure = [("who_cannot_see", 0.95), ("child_other_parent", 0.05)]
    assert respond.in_context(sure, "child_booklet", follow_up, bank)[0][0] == "who_cannot_see"


def test_adding_phrasings_keeps_every_text_of_the_bank_files_as_a_block(tmp_path):
    """``python -m tools review append`` rewrites a bank file: its other units, and their texts of several lines
    (citizen, simple, advisor), read back the same and stay literal blocks, one line per sentence."""
    from bot.answers.edit import add_phrasings

    root = Path(__file__).resolve().parents[2] / "data" / "answers"
    for path in root.glob("*.yml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    before = load_bank(tmp_path)
    changed = add_phrasings({"is_it_mandatory": ["est-ce une obligation légale d'activer ?"]}, tmp_path)
    assert [p.name for p in changed] == ["activation.yml"]
    after = load_bank(tmp_path)
    assert after.get("is_it_mandatory").phrasings[-1] == "est-ce une obligation légale d'activer ?"
    for unit in before:
        added = ("est-ce une obligation légale d'activer ?",) if unit.id == "is_it_mandatory" else ()
        assert after.get(unit.id) == replace(unit, phrasings=unit.phrasings + added), unit.id
    text = (tmp_path / "activation.yml").read_text(encoding="utf-8")
    assert "  simple: |-\n    Ce n'est pas obligatoire.\n" in text


@pytest.mark.parametrize(("text", "rejects"), [
    ("non c est pas ca que je demande. je veux savoir si ma mutuelle peut voir", True),
    ("Non, bloquer l'ancien médecin", True), ("vous m'avez pas répondu : c'est payant ?", True),
    ("C'est pas ma question, je parle du code", True), ("mais non je parlais pas de ça", True),
    ("j'ai pas demandé ça. le diabéto il peut les lire ?", True),  # it was offered as another question (6 December)
    ("et c'est gratuit ?", False), ("nonobstant la loi, qui voit mes documents", False), ("", False),
])  # fmt: skip
def test_a_question_saying_the_previous_answer_missed_drops_it_from_those_remembered(text, rejects):
    assert respond.rejects_previous(text) is rejects
    remembered = respond.remember(["is_it_free", "change_gp"], "block_professional", text)
    assert remembered == (["is_it_free", "block_professional"] if rejects else
                          ["is_it_free", "change_gp", "block_professional"])  # fmt: skip
    assert respond.remember(["change_gp"], "change_gp", text) == ["change_gp"]  # the same answer again stays


def test_six_answers_are_kept_for_the_sheet_and_the_last_three_count_as_just_answered():
    """Two advisors' sheets lost the first topics of a visit once three more answers had been given."""
    slot: list[str] = []
    for unit_id in ["a", "b", "c", "d", "e", "f", "g"]:
        slot = respond.remember(slot, unit_id)
    assert slot == ["b", "c", "d", "e", "f", "g"]
    assert respond.just_answered(slot) == ["e", "f", "g"]
    assert respond.just_answered(None) == [] and respond.just_answered(["x", 3]) == ["x"]


def test_the_first_line_of_an_answer_that_ends_with_a_colon_brings_the_next_line(root):
    """A persona read « Choisir son mot de passe : Votre mot de passe doit avoir : » and nothing after."""
    bank = load_bank(root / "data" / "answers")
    for unit in bank:
        first = respond.first_line(unit)
        assert not first.endswith(":"), unit.id
        assert unit.citizen.strip().startswith(first.split(" ", 1)[0])


def test_the_line_of_an_answer_on_what_a_follow_up_asks(root):
    """« png ça passe ? » after the file formats got « Ma réponse serait encore… » (an advisor's session)."""
    bank = load_bank(root / "data" / "answers")
    line = respond.matching_line(bank.get("file_formats"), "png ca passe ?")
    assert line is not None and "png" in line.lower()
    assert "site" in (respond.matching_line(bank.get("no_email"), "et sur le site ?") or "")
    assert respond.matching_line(bank.get("no_email"), "et pour lui ?") is None  # nothing but small words
    assert respond.matching_line(bank.get("is_it_free"), "est-ce payant ?") is None  # only the title's words
    # an item of a list cut by « ; » is no line to quote (a father, 7 December 2026)
    said = "et si je fais rattacher le bebe a ma carte vitale aussi (double rattachement) il apparaitra chez moi ?"
    assert not (respond.matching_line(bank.get("child_attached_other_parent"), said) or "").endswith(";")


@pytest.mark.parametrize(("text", "vague"), [
    ("elle doit faire quoi", True), ("et alors ?", True), ("je fais comment", True), ("Et pour ça ?", True),
    ("elle doit payer ses impôts", False), ("et le code ?", False), ("", False), ("<b>quoi</b>", False),
])  # fmt: skip
def test_a_message_says_nothing_of_its_own_only_with_small_and_everyday_words(text, vague):
    assert respond.says_nothing_of_its_own(text) is vague


def test_is_it_final_after_an_answer_gets_the_answer_that_undoes_it():
    """« c'est définitif ? » after blocking a doctor got the deletion of documents (« une suppression est définitive »),
    a persona session of 6 December 2026."""
    bank = load_bank()
    after_block = {"last_topic": "block_professional", "text": "c'est définitif ?"}
    ranking = [("delete_many_documents", 0.73), ("close_later", 0.08), ("unblock_professional", 0.001)]
    assert respond.in_context(ranking, bank=bank, **after_block)[:2] == [("unblock_professional", 1.0),
                                                                        ("delete_many_documents", 0.73)]
    assert respond.undoing_answer("delete_data_request", "je peux annuler ?", bank) == "reactivate_cancels_deletion"
    # another question, no previous answer, or a previous answer with nothing that undoes it: the ranking stays
    assert respond.in_context(ranking, "block_professional", "c'est payant ?", bank) == ranking
    assert respond.undoing_answer(None, "c'est définitif ?", bank) is None
    assert respond.undoing_answer("delete_document", "c'est définitif ?", bank) is None
    # a longer message says what it asks (a persona, 7 December 2026)
    long = "si je veux tout supprimer définitivement (compte + documents + historique), c'est vraiment effacé ?"
    assert respond.undoing_answer("block_professional", long, bank) is None


@pytest.mark.parametrize(("text", "chosen"), [
    ("il a reçu un SMS avec un lien. Il n'a pas cliqué heureusement, c'est vrai ?", "official_email_scam"),
    ("non il n'a rien cliqué, rien donné du tout", "official_email_scam"),
    ("j'ai cliqué sur le lien et j'ai tapé ma carte bancaire", "scam_already_clicked"),
    ("", "scam_already_clicked"),
])  # fmt: skip
def test_an_answer_whose_premise_the_message_denies_gives_way(text, chosen):
    """« Il n'a pas cliqué heureusement » got the steps after a click (two advisors' sessions, 6 December 2026)."""
    bank = load_bank()
    ranking = [("scam_already_clicked", 0.5), ("official_email_scam", 0.3)]
    assert respond.chosen_unit(None, ranking, bank, text).id == chosen


@pytest.mark.parametrize(("text", "chosen"), [
    ("Bonjour, j'ai reçu ma première carte Vitale. Comment j'active ? Je n'ai jamais reçu de lettre.", "code_missing"),
    ("Mais non, j'ai la carte Vitale maintenant ! C'est juste la lettre avec le code que je n'ai pas.", "code_missing"),
    ("je n'ai jamais eu de carte vitale", "no_carte_vitale"),
    ("j'ai perdu ma carte vitale, je peux quand même activer ?", "no_carte_vitale"),
    ("j'ai une carte vitale périmée", "no_carte_vitale"),
])  # fmt: skip
def test_a_person_who_has_the_card_is_not_told_how_to_do_without_it(text, chosen):
    """« j'ai reçu ma première carte Vitale… je n'ai jamais reçu une lettre » got the no-card answer (a student)."""
    bank = load_bank()
    assert respond.chosen_unit(None, [("no_carte_vitale", 0.6), ("code_missing", 0.2)], bank, text).id == chosen


@pytest.mark.parametrize(("text", "chosen"), [
    ("Je ne veux PAS fermer mon espace ! On ne peut pas juste arrêter les messages ?", "notification_settings"),
    ("comment arrêter les mails sans fermer mon compte", "notification_settings"),
    ("pas question de le supprimer, je veux juste moins de mails", "notification_settings"),
    ("je veux fermer mon espace, j'en ai marre des mails", "oppose_or_close"),
    ("je veux plus de mon espace, je veux le supprimer", "oppose_or_close"),
])  # fmt: skip
def test_a_person_who_says_not_to_close_never_gets_the_closing_steps(text, chosen):
    """« Je ne veux pas fermer… je reçois des courriels » got the closing steps twice (a persona of 79, 7 December
    2026): the likeliest answer that is not about closing."""
    bank = load_bank()
    ranking = [("oppose_or_close", 0.6), ("close_online_steps", 0.2), ("notification_settings", 0.1)]
    assert respond.chosen_unit(None, ranking, bank, text).id == chosen
    assert respond.chosen_unit(None, ranking[:2], bank, text).task == "closing"  # nothing else: the best stays


def test_a_parent_who_says_not_to_close_never_gets_a_childs_profile_closed():
    """« ?? je veux pas fermer quoi que ce soit. je parle de mon bebé de 3 semaines, comment je fais pour qu il
    apparaisse dans mon espace » got the closing of a child's profile (a father, 7 December 2026)."""
    text = ("?? je veux pas fermer quoi que ce soit. je parle de mon bebé de 3 semaines, comment je fais pour qu il "
            "apparaisse dans mon espace")
    ranking = [("child_close_profile", 0.21), ("oppose_or_close", 0.18), ("add_baby", 0.1)]
    assert respond.chosen_unit(None, ranking, load_bank(), text).id == "add_baby"


@pytest.mark.parametrize(("text", "chosen"), [
    ("j'ai pas d'enfant sur mon compte, pourquoi vous me parlez de ca ?? je veux juste les etapes pour fermer MON "
     "espace", "close_online_steps"),
    ("fermer espace sante moi + femme + enfants, les etapes svp", "close_online_steps"),
    ("les étapes pour activer mon espace", "activation_steps_overview"),  # activating
    ("je l'ai jamais activé, je veux le fermer", "activation_steps_overview"),  # never activated: its own answers
    ("je veux pas fermer, juste les étapes", "activation_steps_overview"),
    ("que faut-il savoir pour décider si on l'accepte ou si on le clôture ?", "activation_steps_overview"),
])  # fmt: skip
def test_a_closing_asked_for_never_gets_the_activation_steps(text, chosen):
    """« je veux juste les etapes pour fermer MON espace » got the activation steps, from two personas on 7 December
    2026 (« étapes » weighs for activation): the likeliest answer about closing."""
    ranking = [("activation_steps_overview", 0.54), ("automatic_creation", 0.2), ("close_online_steps", 0.15)]
    assert respond.chosen_unit(None, ranking, load_bank(), text).id == chosen
    assert respond.chosen_unit(None, ranking[:2], load_bank(), text).id == "activation_steps_overview"  # none to take


@pytest.mark.parametrize(("text", "chosen"), [
    ("c'est pareil quand on meurt, 10 ans ? et je peux écrire que je veux pas que mes enfants regardent après ?",
     "deceased_access"),
    ("non ! pas un profil d'enfant. c'est MOI quand je serais décédée, mes enfants sont grands", "deceased_access"),
    ("mais non ma fille elle a 58 ans !", "deceased_access"),
    ("mon fils de 40 ans peut-il voir mon dossier ?", "deceased_access"),
    ("je veux fermer le profil de ma fille de 8 ans", "child_close_profile"),
    ("mon fils de 19 ans, je peux fermer son profil ?", "child_close_profile"),
    ("je veux fermer le profil de mes enfants", "child_close_profile"),
])  # fmt: skip
def test_grown_children_never_get_the_answers_about_minors(text, chosen):
    """A widow of 83 asking what her grown children will see after her death got the minors' answers and the
    closing of a child's profile four times (a persona, 7 December 2026): the likeliest answer not about a minor."""
    ranking = [("child_close_profile", 0.6), ("teen_confidentiality", 0.2), ("deceased_access", 0.1)]
    assert respond.chosen_unit(None, ranking, load_bank(), text).id == chosen


@pytest.mark.parametrize(("best", "text", "leaves"), [
    ("teen_confidentiality", "jai 22 an et jsui encor sur la carte vital de ma mere. elle peu voir mon test ist", True),
    ("teen_confidentiality", "jsui pa mineur jai 22 an", True),
    ("teen_confidentiality", "Je ne comprends pas, ma mère n'est pas mineure elle a 88 ans !", True),
    ("teen_confidentiality", "Je suis sa fille unique donc son héritière. Comment je demande ses documents ?", True),
    ("teen_confidentiality", "ma fille de 15 ans peut cacher un soin à sa mère ?", False),
    ("teen_confidentiality", "mon ado n'est plus un enfant, il a 15 ans", False),
    ("child_other_parent", "et mon mari ? il pourra voir le profil du bébé aussi ?", False),
    ("child_other_parent", "et mon mari, il peut le voir aussi ?", False),  # the other parent, after a child's answer
    ("child_turning_18", "j'ai 19 ans, ma mère gère encore mon profil ?", False),
    ("child_turning_18", "ma mère a 88 ans, qu'est-ce que devient son espace quand elle va décéder ?", True),
    ("caregiver_access", "ma mère a 88 ans, je peux gérer son espace ?", False),
    ("child_has_profile", "un ayant droit sur ma carte vitale a-t-il un profil ?", False),  # a dependent, often a child
])  # fmt: skip
def test_answers_about_minors_give_way_when_only_adults_are_spoken_of(best, text, leaves):
    """A carer's mother of 88, a young man of 22 and a daughter who is her mother's heir got the teenagers' answers
    or « Enfant qui a 18 ans » (two personas, 7 December 2026); the other parent and the young adult still get
    the children's answers."""
    ranking = [(best, 0.6), ("who_can_see", 0.2)]
    assert (respond.chosen_unit(None, ranking, load_bank(), text).id != best) is leaves


@pytest.mark.parametrize(("text", "situations", "leaves"), [
    ("maman elle peut pas donner son accord. c'est moi qui doit dire oui a sa place ?", ["protected"], True),
    ("maman elle peut pas donner son accord. c'est moi qui doit dire oui a sa place ?", [], False),
    ("et pour mon fils, il faut son accord ?", ["protected"], False),
    ("c'est moi qui doit dire oui a sa place ?", ["protected", "minor"], False),
])  # fmt: skip
def test_answers_about_minors_give_way_in_a_conversation_about_an_adult_under_protection(text, situations, leaves):
    """A curatrice's « maman … c'est moi qui doit dire oui a sa place ? » got the answer for a child attached to the
    other parent (a persona, 7 December 2026): with an adult under protection and no minor in the conversation, a
    message that names no child is not about a minor."""
    ranking = [("child_attached_other_parent", 0.6), ("give_consent", 0.2)]
    chosen = respond.chosen_unit(None, ranking, load_bank(), text, situations)
    assert (chosen.id != "child_attached_other_parent") is leaves


@pytest.mark.parametrize(("text", "grown"), [
    ("ma fille elle a 58 ans", True), ("mes enfants sont grands", True), ("mes enfants adultes", True),
    ("quand je serai mort, qui verra mon dossier ?", True), ("après ma mort", True),
    ("ma fille a 16 ans", False), ("mon fils de 19 ans", False), ("mes enfants de 4 et 7 ans", False),
    ("mon fils a 2 ans et j'ai 30 ans", False), ("ma petite fille est grande maintenant", False),
    ("ma mère est morte", False),
])  # fmt: skip
def test_speaks_of_grown_children(text, grown):
    assert respond.speaks_of_grown_children(text) is grown
    assert not grown or respond.not_about_a_child(text)


@pytest.mark.parametrize(("best", "text", "chosen"), [
    ("oppose_newborn", "MAIS J AI PAS DE BEBE j ai 83 ans c est pour moi je veux refuser mon espace santé",
     "oppose_or_close"),
    ("oppose_newborn", "je veux refuser le profil de mon bébé", "oppose_newborn"),
    ("letter_code_2022", "non ma lettre elle est de cette annee pas de 2022 !! je l ai recu en novembre",
     "code_validity"),
    ("letter_code_2022", "y a un code sur la lettre il marche toujours la lettre est arrivé il y a 3 semaine",
     "code_validity"),
    ("letter_code_2022", "j'ai retrouvé un vieux courrier de 2022 avec un code", "letter_code_2022"),
    ("letter_code_2022", "j'ai reçu le courrier de 2022 avec un code, il marche ?", "letter_code_2022"),
    ("letter_code_2022", "la lettre je l'ai reçue en novembre", "code_validity"),
    # a persona of 76 (7 December 2026) who has no username yet
    ("forgot_identifier", "non je ne l'ai pas oublie je n'en ai pas encore ! je peux choisir bernadette ?",
     "identifier_rules"),
    ("forgot_identifier", "j'ai oublié mon identifiant", "forgot_identifier"),
])  # fmt: skip
def test_a_premise_denied_by_an_older_person_gives_way(best, text, chosen):
    """An 83-year-old with no baby got the baby's refusal twice, and a letter of November the 2022 letters' answer
    twice (a persona session, 6 December 2026)."""
    assert respond.chosen_unit(None, [(best, 0.9)], load_bank(), text).id == chosen


def test_an_answer_means_another_right_after_the_answer_that_says_so(tmp_path):
    """« j'ai plus le papier avec le code » right after closing got the activation's lost-code steps (a session of 6
    December 2026): the closing answers name the closing's code ``instead``."""
    closing = {**OTHER, "id": "close_it", "task": "closing", "instead": {"code_lost": "code_late"}}
    bank = load_bank(write(tmp_path, UNIT, OTHER, closing))
    assert bank.get("close_it").instead == (("code_lost", "code_late"),)
    ranking = [("code_lost", 0.97), ("code_late", 0.01), ("close_it", 0.01)]
    assert respond.in_context(ranking, "close_it", "j'ai plus le papier avec le code", bank) == [
        ("code_late", 0.97), ("close_it", 0.01)]
    # after another answer, or without one, the classifier's choice stays
    assert respond.in_context(ranking, "code_late", "j'ai plus le papier avec le code", bank) == ranking
    assert respond.in_context(ranking, None, "j'ai plus le papier avec le code", bank) == ranking
    assert respond.meant_after("close_it", "code_late", bank) is None
    # the real bank: the closing's code after the closing answers, the activation's after reopening
    real = load_bank()
    assert respond.meant_after("oppose_or_close", "code_missing", real) == "close_needs_code"
    assert respond.meant_after("change_mind", "code_missing", real) is None


def test_an_answer_the_follow_up_boost_brings_up_may_mean_another():
    """« donc il voit pas mes documents a moi c sur ? » after sharing a child's profile: the classifier's best was
    another answer, the boost of the children's answers brought up the teenagers' confidentiality, which there means
    who cannot see her own documents (a mother, 7 December 2026)."""
    ranking = [("refused_in_time", 0.09), ("teen_confidentiality", 0.05), ("who_can_see", 0.04)]
    text = "donc il voit pas mes documents a moi c sur? genre mes trucs de la maternite"
    assert respond.in_context(ranking, "child_other_parent", text, load_bank())[0][0] == "who_cannot_see"
    # an answer the classifier is sure of keeps its meaning (« et mon fils de 15 ans, il peut me cacher des trucs dans
    # son dossier ? », 0.71, a father, 7 December 2026)
    sure = [("teen_confidentiality", 0.71), ("someone_knows_password", 0.02)]
    said = "et mon fils de 15 ans, il peut me cacher des trucs dans son dossier ?"
    assert respond.in_context(sure, "child_other_parent", said, load_bank())[0][0] == "teen_confidentiality"


@pytest.mark.parametrize(("previous", "best", "meant"), [
    ("block_professional", "child_not_listed", "manage_access_list"),  # « le kiné apparaît pas dans la liste »
    ("separated_parents", "activation_requirements", "child_attached_other_parent"),  # « quel papier ? »
    ("child_contact_support", "activation_requirements", "child_attached_other_parent"),
    ("deceased_access", "teen_confidentiality", "deceased_access"),  # « si je veux pas que ma fille voie… »
    ("deceased_access", "child_close_profile", "deceased_access"),
    ("who_can_see", "child_not_listed", "child_not_listed"),  # elsewhere, the child's answer stays
    ("twins_same_birthdate", "document_missing", "child_not_listed"),  # « mais ils apparaissent pas » (7 December)
    ("access_notification", "activation_vs_creation", "notification_settings"),  # « faut activer qqch ? »
])  # fmt: skip
def test_follow_ups_of_the_seventh_of_december_mean_the_answer_in_context(previous, best, meant):
    """Follow-ups that got another topic's answer (personas of 7 December 2026: an advisor, a separated father, a
    widow of 83): the bank's ``instead`` of the previous answer."""
    ranking = [(best, 0.4), ("activity_history", 0.3)]
    assert respond.in_context(ranking, previous, "il apparaît pas dans la liste", load_bank())[0][0] == meant


def test_instead_must_name_two_answers_of_the_bank(tmp_path):
    with pytest.raises(BankError, match="instead"):
        load_bank(write(tmp_path / "a", {**UNIT, "instead": ["code_late"]}))
    bank = load_bank(write(tmp_path / "b", UNIT, {**OTHER, "instead": {"code_lost": "nowhere"}}))
    assert any("instead" in problem for problem in checks.check_units(bank, ""))


def test_situations_and_denials_must_name_another_answer_of_the_bank(tmp_path):
    """``in_situation`` and ``denied_premise`` live in the bank beside ``instead``: a situation bot/situation.py does
    not know, an answer that does not exist or an expression that does not compile is a problem for make validate."""
    with pytest.raises(BankError, match="in_situation"):
        load_bank(write(tmp_path / "a", {**UNIT, "in_situation": ["teen"]}))
    with pytest.raises(BankError, match="denied_premise"):
        load_bank(write(tmp_path / "b", {**UNIT, "denied_premise": {"by": "pas de bebe"}}))
    wrong = {**OTHER, "in_situation": {"teenager": "code_lost", "teen": "nowhere"},
             "denied_premise": {"by": "pas (de", "give": "code_late"}}
    problems = checks.check_units(load_bank(write(tmp_path / "c", UNIT, wrong)), "")
    assert sum("in_situation" in problem for problem in problems) == 2
    assert sum("denied_premise" in problem for problem in problems) == 2  # the expression, and itself as the answer
    right = {**OTHER, "in_situation": {"teen": "code_lost"},
             "denied_premise": {"by": r"\bpas de bebe\b", "give": "code_lost"}}
    bank = load_bank(write(tmp_path / "d", UNIT, right))
    assert not [p for p in checks.check_units(bank, "") if "in_situation" in p or "denied_premise" in p]
    assert respond.in_situation(OTHER["id"], ["minor", "teen"], bank) == "code_lost"
    assert respond.in_situation(OTHER["id"], ["minor"], bank) == OTHER["id"]
    assert respond.chosen_unit(None, [(OTHER["id"], 0.9)], bank, "Pas de bébé ici").id == "code_lost"
    assert respond.chosen_unit(None, [(OTHER["id"], 0.9)], bank, "mon bébé").id == OTHER["id"]


def test_and_for_her_daughter_after_the_messaging_is_about_writing_to_family():
    """« et pour sa fille ? » after « Écrire à mon médecin » got the child's profile settings; an advisor meant writing
    to the person's daughter (a session of 6 December 2026)."""
    bank = load_bank()
    assert respond.child_follow_up("message_pro_first", bank) == "message_family"
    assert respond.child_follow_up("secure_messaging", bank) == "message_family"


def test_a_minor_s_confidential_care_is_never_printed_on_the_sheet(tmp_path):
    """A father's printed sheet carried his 14-year-old daughter's « Confidentialité des adolescents » (an advisor's
    session, 6 December 2026)."""
    from bot.answers.render import sheet_sections

    bank = load_bank(write(tmp_path, UNIT, {**OTHER, "on_sheet": False}))
    assert [title for title, _ in sheet_sections(["code_lost", "code_late"], bank)] == ["Code perdu"]
    real = load_bank()
    assert not real.get("teen_confidentiality").on_sheet and real.get("block_professional").on_sheet


@pytest.mark.parametrize(("text", "kind"), [
    ("Source ? Je veux le texte de loi.", respond.PREVIOUS), ("c'est écrit où ?", respond.PREVIOUS),
    ("vos sources ?", respond.PREVIOUS), ("vous avez une source officielle ?", respond.PREVIOUS),
    ("Ça ne répond pas. Quel article dit que l'assureur n'a pas le droit ?", respond.SUBJECT),
    ("source ? pour le médecin du travail", respond.SUBJECT),
    ("Conseil constitutionnel 2024 ? source ? quelle décision ?", respond.SUBJECT),  # a persona, 7 December 2026
    ("je veux la source de mes documents médicaux", None), ("le labo est la source du document ?", None),
    ("comment activer mon espace ?", None), ("<b>source</b>", None),
])  # fmt: skip
def test_a_request_for_the_source(text, kind):
    assert respond.asks_for_source(text) == kind


def test_the_source_reply_names_the_page_the_date_and_the_articles():
    bank = load_bank()
    reply = source_reply(bank.get("occupational_doctor"), bank)
    assert "articles L1111-17, L1111-18 du code de la santé publique" in reply.text
    assert bank.get("occupational_doctor").source in reply.text and "Vérifié le" in reply.text
    assert [b["title"] for b in reply.buttons] == ["Ce que dit la loi", "Parler à un conseiller"]
    plain = source_reply(bank.get("code_missing"), bank)
    assert "loi" not in plain.text.lower() and [b["title"] for b in plain.buttons] == ["Parler à un conseiller"]
    ranking = [("occupational_doctor", 0.2)]
    assert respond.source_unit(respond.SUBJECT, ranking, "code_missing", bank, 0.3).id == "code_missing"
    assert respond.source_unit(respond.SUBJECT, ranking, "code_missing", bank, 0.1).id == "occupational_doctor"
    assert respond.source_unit(respond.PREVIOUS, ranking, None, bank, 0.1) is None


@pytest.mark.parametrize(("best", "text", "chosen"), [
    ("hide_all_documents", "Masquer ne me suffit pas, je veux qu'il disparaisse. Aucun moyen ?", "delete_document"),
    ("hide_document", "je ne veux pas juste le masquer, je veux le supprimer", "delete_document"),
    ("hide_all_documents", "comment masquer tous mes documents", "hide_all_documents"),
])  # fmt: skip
def test_hiding_denied_gives_the_deletion(best, text, chosen):
    """« Masquer ne me suffit pas, je veux qu'il disparaisse » got the answer that hides everything (a persona, 6
    December 2026)."""
    assert respond.chosen_unit(None, [(best, 0.8)], load_bank(), text).id == chosen


def test_and_for_the_baby_after_reading_a_document_is_about_the_childs_documents():
    """« et pour le bébé ? » after how to read documents got how to protect a child's file (a new father, 6 December
    2026): the document answers name the child's documents."""
    bank = load_bank()
    for unit in ("view_document", "add_document", "print_document", "show_on_phone"):
        assert respond.child_follow_up(unit, bank) == "child_add_documents"
    assert respond.child_follow_up("block_professional", bank) == "child_restrict_access"  # the task's default


def test_an_answer_for_adults_must_be_outside_the_childrens_task(tmp_path):
    """``for_adult`` names the answer a minors' answer gives way to: it must exist and not be about minors."""
    child = {**UNIT, "id": "teen", "task": "children", "for_adult": "code_late"}
    bank = load_bank(write(tmp_path / "ok", child, OTHER))
    assert bank.get("teen").for_adult == "code_late" and checks.check_replacements(bank.get("teen"), bank) == []
    wrong = load_bank(write(tmp_path / "ko", {**child, "for_adult": "other_teen"},
                            {**OTHER, "id": "other_teen", "task": "children"}))  # fmt: skip
    assert "for_adult" in checks.check_replacements(wrong.get("teen"), wrong)[0]


def test_a_minors_answer_gives_its_answer_for_adults_first():
    """« ma mère peut voir mon test IST ? jai 22 an » got the teenagers' answer (a young man, 7 December 2026)."""
    ranking = [("teen_confidentiality", 0.87), ("advance_directives", 0.02), ("who_can_see", 0.01)]
    text = "jai 22 an et ma mere elle peu voir mon test ist ?"
    assert respond.chosen_unit(None, ranking, load_bank(), text).id == "sensitive_care_visibility"


@pytest.mark.parametrize(("text", "chosen"), [
    ("Pardonnez-moi, mais mon mari n'est PAS sous tutelle ni sous curatelle. Ai-je le droit d'utiliser ses "
     "identifiants à sa place ?", "activate_for_someone"),
    ("elle est pas sous tutelle ma femme, jpeux pas le faire a sa place c sa ?", "activate_for_someone"),
    ("il n'y a aucune mesure de protection, je peux gérer son espace ?", "activate_for_someone"),
    ("mon mari est sous curatelle, je peux gérer son espace ?", "protected_adult"),
])  # fmt: skip
def test_a_person_said_not_to_be_under_protection_gets_another_answer(text, chosen):
    """« mon mari n'est PAS sous tutelle ni sous curatelle… » got the answer on tutelle again, and a father closing
    for his wife the same (two personas, 7 December 2026): the likeliest answer not about a protected adult."""
    ranking = [("protected_adult", 0.78), ("close_for_protected_adult", 0.1), ("activate_for_someone", 0.05)]
    assert respond.chosen_unit(None, ranking, load_bank(), text).id == chosen


@pytest.mark.parametrize(("text", "chosen"), [
    ("bonjour, ma mère est sourde et elle a reçu une lettre pour mon espace santé, elle doit faire quoi ?",
     "automatic_creation"),
    ("je suis malentendant, j'ai perdu mon code provisoire", "automatic_creation"),
    ("je suis sourd, comment contacter un conseiller", "deaf_hard_of_hearing"),  # a way to reach someone
    ("ma mère est sourde, comment joindre l'assistance", "deaf_hard_of_hearing"),
    ("sourd comment faire", "deaf_hard_of_hearing"),  # nothing else asked
    ("je suis sourde et muette, comment avoir de l'aide", "deaf_hard_of_hearing"),
])  # fmt: skip
def test_a_question_beside_hearing_trouble_gets_its_own_answer(text, chosen):
    """« ma mère est sourde et elle a reçu une lettre…, elle doit faire quoi ? » got the answer for deaf people (own
    chat, 7 December 2026): the hearing trouble is remembered and each answer ends with the video interpreter, so a
    message that asks something else than a way to reach someone gets the next likeliest answer."""
    ranking = [("deaf_hard_of_hearing", 0.8), ("automatic_creation", 0.023), ("what_is_mes", 0.01)]
    assert respond.chosen_unit(None, ranking, load_bank(), text).id == chosen
    # a next answer that is mere noise beside a sure hearing answer is no question (« je suis malentendante, comment
    # activer mon espace santé ? » got another insurance scheme's answer, own chat, 7 December 2026)
    noise = [("deaf_hard_of_hearing", 0.98), ("other_regime_msa", 0.009)]
    assert respond.chosen_unit(None, noise, load_bank(), text).id == "deaf_hard_of_hearing"


@pytest.mark.parametrize(("text", "chosen"), [
    ("ok mais si elle veut pas partager ? on s'entend pas trop bien", "separated_parents"),
    ("est-ce que c'est accessible en langue des signes ?", "deaf_hard_of_hearing"),
    ("il y a une aide pour les personnes malentendantes ?", "deaf_hard_of_hearing"),
])  # fmt: skip
def test_the_hearing_answer_needs_a_word_of_hearing(text, chosen):
    """« on s'entend pas trop bien » (we do not get along) was offered the deaf people's answer (a separated father,
    7 December 2026): that answer is given only to a message that speaks of hearing."""
    ranking = [("deaf_hard_of_hearing", 0.9), ("separated_parents", 0.05)]
    assert respond.chosen_unit(None, ranking, load_bank(), text).id == chosen
    assert respond.hearing_unasked(load_bank().get("deaf_hard_of_hearing"), text) is (chosen != "deaf_hard_of_hearing")


def test_a_doctor_said_to_work_in_france_is_not_the_foreign_doctors_answer():
    """« Ah non… l'hopital est en France… Le cardio est francais. Il peut voir mes documents directement ? » got the
    answer for doctors abroad twice more (a persona of 67, 8 December 2026)."""
    ranking = [("foreign_professional", 0.5), ("who_can_see", 0.2)]
    said = "l'hopital est en France, a Thionville. Le cardio est francais. Il peut voir mes documents directement ?"
    assert respond.chosen_unit(None, ranking, load_bank(), said).id == "who_can_see"
    abroad = "mon médecin est en Belgique, il peut voir mes documents ?"
    assert respond.chosen_unit(None, ranking, load_bank(), abroad).id == "foreign_professional"
