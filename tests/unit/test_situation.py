"""bot/situation.py: what a person said of their situation, and the line it puts before an answer."""

import pytest

from bot import situation as s
from bot.answers import respond
from bot.answers.bank import load_bank
from bot.answers.render import FRANCE_SERVICES_BUTTON, HUMAN_BUTTON, MAX_BUTTONS, render

BANK = load_bank()


@pytest.mark.parametrize("text", [
    "jai 80 ans et jai pas internet chez moi",
    "Je n'ai pas d'internet, comment je fais ?",
    "on a plus internet depuis des mois",
    "je n'ai ni ordinateur ni téléphone portable",
    "pas d'ordi ni de smartphone",
    "je vis sans internet",
    "JE N AI PAS LA WIFI",
])  # fmt: skip
def test_no_internet_is_heard(text):
    assert s.situations_in(text) == {s.NO_INTERNET}


@pytest.mark.parametrize("text", [
    "internet ne marche pas sur mon téléphone",
    "je ne sais pas utiliser internet",
    "je n'ai pas de problème avec internet",
    "j'ai un ordinateur mais pas de smartphone",
    "pas de code reçu",
    "",
])  # fmt: skip
def test_other_messages_state_no_situation(text):
    assert s.situations_in(text) == set()


def test_the_msa_is_heard_unless_denied():
    assert s.situations_in("je suis agriculteur à la MSA") == {s.MSA}
    assert s.situations_in("régime agricole, je vais où ?") == {s.MSA}
    assert s.situations_in("je ne suis pas à la MSA") == set()
    # a guardianship denied is none (« je suis pas tutrice lol », persona session, 6 December 2026)
    assert s.situations_in("je suis pas tutrice lol, c'est moi qui déclare") == set()
    assert s.situations_in("il n'est pas sous tutelle") == set()
    assert s.situations_in("sa tutrice veut activer") == {s.PROTECTED}
    assert s.situations_in(None) == set()


def test_situations_are_kept_by_name_only_in_a_fixed_order():
    kept = s.remembered([s.MSA, "something odd"], "et j'ai pas internet")
    assert kept == [s.NO_INTERNET, s.MSA]
    assert s.remembered(kept, "merci") == kept
    assert s.remembered("not a list", "bonjour") == []


def test_without_internet_an_online_answer_starts_with_where_a_person_helps():
    unit = BANK.get("activation_steps_overview")
    reply = render(unit, BANK, situations=[s.NO_INTERNET])
    assert reply.text.splitlines()[0] == s.LINES[s.NO_INTERNET]
    assert reply.text.splitlines()[1:] == render(unit, BANK).text.splitlines()
    assert FRANCE_SERVICES_BUTTON in reply.buttons and len(reply.buttons) <= MAX_BUTTONS
    assert HUMAN_BUTTON in reply.buttons or FRANCE_SERVICES_BUTTON in reply.buttons


def test_the_line_is_not_added_where_it_would_repeat_or_for_an_advisor():
    no_means = BANK.get("no_computer_no_phone")  # names the France Services already
    assert render(no_means, BANK, situations=[s.NO_INTERNET]).text == render(no_means, BANK).text
    help_unit = next(u for u in BANK if u.task == "help")
    assert render(help_unit, BANK, situations=[s.NO_INTERNET]).text == render(help_unit, BANK).text
    unit = BANK.get("activation_steps_overview")
    advisor = render(unit, BANK, "advisor", situations=[s.NO_INTERNET, s.MSA])
    assert advisor == render(unit, BANK, "advisor")


def test_a_member_of_the_msa_is_told_their_caisse_where_an_answer_names_the_cpam():
    naming_cpam = [u for u in BANK if "CPAM" in u.citizen and "MSA" not in u.citizen]
    assert naming_cpam, "no answer names the CPAM alone: the MSA line is never used"
    reply = render(naming_cpam[0], BANK, situations=[s.MSA])
    assert reply.text.splitlines()[0] == s.LINES[s.MSA]
    naming_both = BANK.get("cpam_help")
    assert render(naming_both, BANK, situations=[s.MSA]).text == render(naming_both, BANK).text


@pytest.mark.parametrize("text", ["elle veut fermer son espace et celui de son mari décédé", "mon père est mort en mai",
                                  "je suis veuve", "après le décès de ma mère"])  # fmt: skip
def test_a_death_is_heard(text):
    assert s.situations_in(text) == {s.DECEASED}


@pytest.mark.parametrize("text", ["si je ferme et que je regrette, je peux le rouvrir ? ou c'est mort",
                                  "c'était mort pour le code, il a expiré"])  # fmt: skip
def test_the_idiom_it_is_over_is_no_death(text):
    """« ou c'est mort » (is it over?) put the line for a late person before the answer on reopening."""
    assert s.DECEASED not in s.situations_in(text)


def test_after_a_death_answers_that_log_in_close_or_delete_say_not_to_use_the_codes():
    """« pour le mari elle veut que ses données soient supprimées » got the ordinary closure, through his account."""
    close = BANK.get("data_after_closing")
    assert s.lines_for([s.DECEASED], close.task, close.citizen) == [s.LINES[s.DECEASED]]
    own = BANK.get("deceased_access")  # already about a death: no line
    assert s.lines_for([s.DECEASED], own.task, own.citizen) == []
    free = BANK.get("is_it_free")
    assert s.lines_for([s.DECEASED], free.task, free.citizen) == []
    assert s.situations_in("un mort de rire") == set() and s.lines_for([], close.task, close.citizen) == []


def test_an_advisor_gets_the_lines_about_the_person_not_about_the_computer_or_the_caisse():
    close = BANK.get("data_after_closing")
    assert render(close, BANK, audience="advisor", situations=[s.DECEASED]).text.startswith(s.LINES[s.DECEASED])
    code = BANK.get("code_missing")
    assert render(code, BANK, audience="advisor", situations=[s.PROTECTED]).text.startswith(s.LINES[s.PROTECTED])
    code = BANK.get("code_missing")
    assert not render(code, BANK, audience="advisor", situations=[s.NO_INTERNET, s.MSA]).text.startswith(
        (s.LINES[s.NO_INTERNET], s.LINES[s.MSA]))


@pytest.mark.parametrize("text", ["un jeune de 17 ans veut activer son espace", "ma fille a 15 ans",
                                  "mon fils 16 ans il a perdu le code", "elle a 17ans", "ma fille ado",
                                  "le tuteur de mon fils mineur"])  # fmt: skip
def test_a_minor_is_heard(text):
    assert s.situations_in(text) == {s.MINOR}


@pytest.mark.parametrize("text", ["jsp si g besoin de ça en vrai jai 16 ans", "je suis mineure", "moi j'ai 17 ans",
                                  "je suis au lycée", "wsh, jsuis en terminale g 17 ans"])  # fmt: skip
def test_a_minor_who_types_is_heard(text):
    assert s.situations_in(text) == {s.MINOR, s.TEEN}


def test_a_minor_who_types_is_told_before_who_sees_what_that_parents_manage_the_profile():
    """A persona of 16 (6 December 2026) asked whether her mother would see her contraception, then « donc si c masqué
    ma mère elle le voit pas c ça ? »: the masking answer let her think so."""
    hide = BANK.get("hide_document")
    assert s.lines_for([s.MINOR, s.TEEN], hide.task, hide.citizen) == [s.LINES[s.TEEN]]
    assert s.lines_for([s.MINOR], hide.task, hide.citizen) == []  # a parent speaking of their child: not to them
    teen = BANK.get("teen_confidentiality")
    assert s.lines_for([s.MINOR, s.TEEN], teen.task, teen.citizen) == []
    assert "Pour vos parents, nos sources ne le précisent pas." in s.LINES[s.TEEN]


@pytest.mark.parametrize("text", ["mon père est sous curatelle renforcée", "elle est majeure protégée",
                                  "je suis sa tutrice", "habilitation familiale pour ma mère",
                                  "j'ai un mandat de protection future pour mon père"])  # fmt: skip
def test_a_protected_adult_is_heard(text):
    assert s.situations_in(text) == {s.PROTECTED}


@pytest.mark.parametrize("text", ["il y a 2 ans j'ai activé", "ma mère a 80 ans", "ma fille de 25 ans",
                                  "depuis 3 ans", "il a 18 ans"])  # fmt: skip
def test_ages_of_adults_and_durations_are_not_a_minor(text):
    assert s.MINOR not in s.situations_in(text)


@pytest.mark.parametrize("text", [
    "salut, jai 19 ans et c ma mere qui gerait mon espace santé qd jetais mineur", "je suis majeur jte rappelle",
    "quand j'étais ado ma mère gérait tout", "j'ai eu 18 ans en mars",
])  # fmt: skip
def test_a_young_adult_speaking_of_when_they_were_a_minor_is_not_a_minor(text):
    """A persona of 19 (6 December 2026) was answered as the parent, then read the minors' lines, after
    « qd jetais mineur » and again after « jsuis majeur »."""
    assert not s.situations_in(text) & {s.MINOR, s.TEEN}


def test_a_person_who_says_they_are_an_adult_is_no_longer_taken_for_a_minor():
    assert s.remembered([s.MINOR, s.TEEN, s.MSA], "jsuis majeur, j'ai 19 ans") == [s.MSA]
    assert s.remembered([s.MINOR], "et pour activer ?") == [s.MINOR]
    assert s.remembered([], "moi j'ai 19 ans, et ma fille de 15 ans ?") == [s.MINOR]  # the daughter is
    assert s.speaks_as_adult("je suis majeure") and not s.speaks_as_adult("ma fille est majeure")
    # a majority to come is none (a persona of 17, 6 December 2026)
    later = "laisse tomber. jai 18 ans en mars, ca se passe comment ?"
    assert s.remembered([s.MINOR, s.TEEN], later) == [s.MINOR, s.TEEN]
    assert not s.speaks_as_adult("j'ai bientôt 18 ans") and not s.speaks_as_adult("j'aurai 18 ans dans deux mois")
    assert s.speaks_as_adult("j'ai 18 ans depuis mars")


def test_a_minor_who_types_gets_the_minors_answers_not_the_adults():
    """« ma mere peut voir mon ordonnance dans SON compte » got « Pas à ce jour » (the adults' caregiver answer), then
    « votre famille n'y a pas accès », then the adults' activation steps (a persona of 17, 6 December 2026)."""
    assert respond.in_situation("caregiver_access", [s.MINOR, s.TEEN], BANK) == "teen_confidentiality"
    assert respond.in_situation("sensitive_care_visibility", [s.TEEN], BANK) == "teen_confidentiality"
    # its button under the teenagers' answer: that answer is not given again (a mother, 7 December 2026)
    assert respond.in_situation("sensitive_care_visibility", [s.TEEN], BANK,
                                just_sent="teen_confidentiality") == "sensitive_care_visibility"
    assert respond.in_situation("activation_steps_overview", [s.MINOR, s.TEEN], BANK) == "minor_direct_access"
    # « jpeux pas carrement fermer mon profil moi meme ? » (a persona of 17): his parents manage it
    assert respond.in_situation("oppose_or_close", [s.MINOR, s.TEEN], BANK) == "minor_direct_access"
    assert respond.in_situation("oppose_or_close", [s.MINOR], BANK) == "oppose_or_close"
    # an advisor about a minor: as it was
    assert respond.in_situation("caregiver_access", [s.MINOR], BANK) == "caregiver_access"
    for unit in ("teen_confidentiality", "minor_direct_access"):
        assert BANK.get(unit) is not None
    assert respond.in_situation("activate_for_someone", [s.DECEASED], BANK) == "deceased_access"


def test_after_a_minor_or_a_protected_adult_an_adults_answer_says_how_it_goes_for_them():
    """An advisor's persona session (6 December 2026): « un jeune de 17 ans », then « comment il active ? » got the
    adult's steps; the curatelle was forgotten the same way."""
    steps = BANK.get("activation_steps_overview")
    assert s.lines_for([s.MINOR], steps.task, steps.citizen) == [s.LINES[s.MINOR]]
    assert s.lines_for([s.PROTECTED], steps.task, steps.citizen) == [s.LINES[s.PROTECTED]]
    assert s.lines_for([s.MINOR, s.PROTECTED], steps.task, steps.citizen) == [s.LINES[s.MINOR]]
    child = next(u for u in BANK if u.task == "children" and "activ" in u.citizen)
    assert s.lines_for([s.MINOR], child.task, child.citizen) == []  # already about a child
    free = BANK.get("is_it_free")  # does not have the person act on the account
    assert s.lines_for([s.MINOR, s.PROTECTED], free.task, free.citizen) == []
    assert s.LINES[s.MINOR].startswith("Avant 18 ans") and s.LINES[s.PROTECTED].startswith("Sous tutelle")


def test_each_line_is_told_once():
    sent = ["Bonjour", f"{s.LINES[s.DECEASED]}\nPour fermer…"]
    assert s.not_yet_told([s.NO_INTERNET, s.DECEASED], sent) == [s.NO_INTERNET]
    assert s.not_yet_told([s.DECEASED, "unknown"], []) == [s.DECEASED, "unknown"]
    # an answer that already spoke of it (the one on a late wife's space)
    assert s.not_yet_told([s.DECEASED, s.MSA], ["La démarche pour une personne décédée n'est pas décrite."]) == [s.MSA]


def test_after_a_death_the_answers_for_a_living_spouse_or_caregiver_give_way():
    assert respond.in_situation("spouse_documents", [s.DECEASED], BANK) == "deceased_access"
    assert respond.in_situation("caregiver_access", [s.MSA, s.DECEASED], BANK) == "deceased_access"
    assert respond.in_situation("spouse_documents", [s.MSA], BANK) == "spouse_documents"
    assert respond.in_situation("hide_document", [s.DECEASED], BANK) == "hide_document"
    assert respond.in_situation("spouse_documents", None, BANK) == "spouse_documents"


@pytest.mark.parametrize(("text", "kept"), [
    ("pour fermer vous dites code provisoire. la lettre avec le code, je l'ai jetée. je fais comment", False),
    ("je veux fermer mon espace", False),
    ("mon fils veut fermer son espace", True), ("comment je ferme le profil de ma fille de 12 ans", True),
    ("il a 9 ans pas bébé, j'appelle le 3422 ?", True), ("et pour le petit ?", True),
    ("comment on ferme ?", True),  # no one named: kept
])  # fmt: skip
def test_a_parent_speaking_only_of_themselves_does_not_get_the_minors_line(text, kept):
    assert (s.MINOR in s.for_the_message([s.MSA, s.MINOR], text)) is kept
    assert s.MSA in s.for_the_message([s.MSA, s.MINOR], text)


def test_a_minor_who_types_keeps_the_minors_line():
    assert s.for_the_message([s.MINOR, s.TEEN], "je veux fermer mon espace") == [s.MINOR, s.TEEN]
    assert s.for_the_message([s.MINOR], None) == [s.MINOR]


def test_after_a_death_closing_means_the_late_persons_space_and_an_adult_under_tutelle_is_no_minor():
    """A widower asking whether to close his late wife's space was told that activating is optional, and « un mari
    compte-t-il ? » got the parents of a minor; an advisor asking whether the tuteur of a man of 50 may share his
    profile got a minor's guardian, then turning 18 (persona sessions, 6 December 2026)."""
    for unit in ("oppose_or_close", "close_online_steps", "close_in_app", "data_after_closing"):
        assert respond.in_situation(unit, [s.DECEASED], BANK) == "close_for_deceased"
    assert respond.in_situation("oppose_or_close", [s.TEEN, s.DECEASED], BANK) == "minor_direct_access"  # list order
    assert respond.in_situation("unmarried_parents", [s.DECEASED], BANK) == "deceased_access"
    assert respond.in_situation("legal_guardian", [s.PROTECTED], BANK) == "protected_adult"
    assert respond.in_situation("child_turning_18", [s.PROTECTED], BANK) == "protected_adult"
    assert respond.in_situation("legal_guardian", [s.MINOR], BANK) == "legal_guardian"
    # a parent asking who sees a minor's intimate care: the minors' confidentiality, not « votre famille n'y a pas
    # accès »
    assert respond.in_situation("sensitive_care_visibility", [s.MINOR], BANK) == "teen_confidentiality"


@pytest.mark.parametrize("text", [
    "je recoit pas le code par sms j ai change de numero y a 2 mois",
    "ma caisse a encore mon ancien numéro",
    "je n'ai plus accès à mon adresse mail",
    "jai plus mon numero",
    "mon numéro a changé",
    "il a un nouveau numéro de portable",
    "c'est plus le même numéro",
])  # fmt: skip
def test_a_new_number_or_e_mail_is_heard(text):
    assert s.situations_in(text) == {s.NEW_CONTACT}


@pytest.mark.parametrize("text", [
    "comment changer de numéro dans l'application ?",  # a question, not a change already made
    "j'ai changé de téléphone",  # a new phone keeps its number
    "mon numéro de sécurité sociale",
    "je n'ai pas reçu d'e-mail",
    "je ne reçois plus le mail de connexion",  # a message that stopped coming, not an address lost
])  # fmt: skip
def test_a_question_about_a_number_is_no_new_number(text):
    assert s.NEW_CONTACT not in s.situations_in(text)


def test_after_a_new_number_the_provisional_code_answers_say_to_tell_the_caisse_first():
    """« je reçois pas le code par sms… j'ai changé de numéro » was told to request the code by SMS, with « si votre
    caisse connaît votre téléphone » last (a persona's and an advisor's sessions, 6 and 7 December 2026)."""
    for audience in ("citizen", "advisor"):
        reply = render(BANK.get("code_missing"), BANK, audience, situations=[s.NEW_CONTACT])
        assert reply.text.splitlines()[0] == s.LINES[s.NEW_CONTACT]
    # answers that already say to update the contact details, or speak of the login code, which goes elsewhere
    for unit_id in ("wrong_contact_details", "code_needs_contact_details", "login_code_not_received",
                    "cannot_login_new_number", "sms_received", "typing_someone_elses_code"):
        unit = BANK.get(unit_id)
        assert render(unit, BANK, situations=[s.NEW_CONTACT]).text == render(unit, BANK).text, unit_id


@pytest.mark.parametrize("text", [
    "JE SUIS MALENTENDANT",
    "j'entends mal au téléphone",
    "ma mère est sourde",
    "je porte un appareil auditif",
    "il est un peu dur d'oreille",
    "j entend plus rien au tel",
])  # fmt: skip
def test_hearing_trouble_is_heard(text):
    assert s.HARD_OF_HEARING in s.situations_in(text)


@pytest.mark.parametrize("text", [
    "je m'entends mal avec mon médecin",  # not getting on
    "la caisse fait la sourde oreille",
    "je ne suis pas sourd, je veux juste un mail",
    "on entend parler de mon espace santé à la télé",
])  # fmt: skip
def test_other_messages_say_nothing_of_hearing(text):
    assert s.HARD_OF_HEARING not in s.situations_in(text)


def test_after_hearing_trouble_the_video_interpreter_replaces_the_phone_every_time():
    """A persona of 82, hard of hearing, said so and was then sent to the 3422 only; a deaf widow of 80 read « appelez
    le 3422 » in nearly every reply after saying she could not phone (7 December 2026): an answer that sends the
    person to a phone line loses its lines that only say to call, and ends with the application's video interpreter
    (sections 2.6, 8.1), each time."""
    unit = BANK.get("insurer_cannot_require")  # « On vous demande l'accès ? Vous pouvez refuser. Besoin d'aide ? … »
    hotline = BANK.get("hotline_3422")
    plain = render(hotline, BANK).text
    for audience, line in (("citizen", s.LINES[s.HARD_OF_HEARING]), ("advisor", s.ADVISOR_LINES[s.HARD_OF_HEARING])):
        reply = render(unit, BANK, audience, situations=[s.HARD_OF_HEARING]).text
        assert line in reply and reply.index(line) > reply.index(unit.citizen.splitlines()[0] if audience == "citizen"
                                                                  else unit.advisor.splitlines()[0])  # fmt: skip
    code = BANK.get("code_missing")  # ends with « Besoin d'aide ? Appelez le 3422, du lundi au vendredi… »
    assert "Besoin d'aide ? Appelez le 3422" in render(code, BANK).text
    heard = render(code, BANK, situations=[s.HARD_OF_HEARING]).text
    assert "Besoin d'aide ? Appelez le 3422" not in heard and s.LINES[s.HARD_OF_HEARING] in heard
    # an answer that already names the video interpreter, or sends nobody to a phone, is unchanged
    for unit_id in ("ask_human", "hotline_3422", "deaf_hard_of_hearing", "child_add_documents"):
        other = BANK.get(unit_id)
        assert render(other, BANK, situations=[s.HARD_OF_HEARING]).text == render(other, BANK).text, unit_id
    assert render(hotline, BANK, situations=[s.HARD_OF_HEARING]).text == plain
    # never « told »: it follows each answer it fits, unlike the other lines
    assert s.not_yet_told([s.HARD_OF_HEARING, s.MSA], [s.LINES[s.HARD_OF_HEARING], s.LINES[s.MSA]]) == [
        s.HARD_OF_HEARING]


def test_a_death_said_before_does_not_hold_for_someones_own_space():
    """« l'usagère peut-elle donner accès à son propre espace MES à sa fille ? » after her late husband's space got
    the deceased's answer again (an advisor, 7 December 2026)."""
    known = [s.DECEASED, s.MSA]
    text = "non pas les FS ! l'usagere peut-elle donner acces a son propre espace MES a sa fille ?"
    assert s.for_ones_own_space(known, text) == [s.MSA]
    assert s.for_ones_own_space(known, "elle peut télécharger les documents de son mari ?") == known
    # « ses propres documents dans son espace à elle », « Madame est vivante » (an advisor beside a widow, 8 December)
    for own in ("elle veut savoir qui peut voir ses propres documents dans son espace à elle",
                "Madame est vivante, elle veut que sa fille puisse voir ses documents de santé à elle"):
        assert s.for_ones_own_space(known, own, for_advisor=True) == [s.MSA], own
        assert s.for_ones_own_space(known, own) == known, own  # a citizen speaks of someone else
    assert s.for_ones_own_space(known, "elle peut voir ses documents ?", for_advisor=True) == known
    # a widower's « son espace à elle » is his late wife's
    assert s.for_ones_own_space(known, "je veux fermer son espace a elle, par telephone") == known
    widow = "c'est mon petit-fils qui connaît mon mot de passe. Il peut s'y connecter à ma place ? dois-je le changer ?"
    assert s.for_ones_own_space(known, widow) == [s.MSA]
    assert s.for_ones_own_space(known, "je peux utiliser mon mot de passe pour ouvrir son dossier ?") == known
    assert s.for_ones_own_space(known, "mon mari est décédé, je change mon mot de passe ?") == known
    assert s.for_ones_own_space(known, "mon petit-fils peut-il voir mon dossier depuis chez lui ?") == [s.MSA]
    assert s.for_ones_own_space(known, "je veux fermer son espace et garder mon espace") == known

