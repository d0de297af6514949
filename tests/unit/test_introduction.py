"""An advisor's introduction of themselves is left out of what is ranked and of where the person is."""

import pytest

from bot.introduction import ends_with_next_person, opens_with_next_person, without_introduction


@pytest.mark.parametrize(
    ("message", "question"),
    [
        # newcomers' session, 5 December 2026: both got the nearest France Services
        # an advisor's persona session, 6 December 2026: « FS », the advisors' own short name, got the desks of Sedan
        ("bonjour, conseiller FS Sedan. J'ai une dame 82 ans sous tutelle, sa fille veut fermer son espace",
         "J'ai une dame 82 ans sous tutelle, sa fille veut fermer son espace"),
        ("je suis agent FS a Givet, un monsieur a perdu son code", "un monsieur a perdu son code"),
        ("Bonjour, je suis conseillère France Services à Rambervillers. J'accompagne une dame qui n'a aucun code.",
         "Bonjour, J'accompagne une dame qui n'a aucun code."),
        ("Bonjour, M. Rousseau, conseiller France Services (54). J'ai une usagère qui ne peut plus se connecter",
         "J'ai une usagère qui ne peut plus se connecter"),
        ("je suis conseiller france services a epinal et j'ai une dame qui a perdu son code",
         "et j'ai une dame qui a perdu son code"),
        ("Conseillère France Services à Bar-le-Duc : une usagère veut fermer son espace",
         "une usagère veut fermer son espace"),
        ("je travaille à la maison France Services de Neufchâteau, une personne sans mail peut activer ?",
         "une personne sans mail peut activer ?"),
        ("Non, je SUIS la France Services. Ma question : la grand-mère a la garde",
         "Non, Ma question: la grand-mère a la garde"),
        # a heading after a greeting (newcomers' second round, 5 December 2026)
        ("Bonjour, conseillère France Services a Saint-Dizier. J'ai une dame qui n'ouvre pas une pièce jointe",
         "J'ai une dame qui n'ouvre pas une pièce jointe"),
        ("Bonjour, France Services Charleville. J'ai devant moi un monsieur qui veut fermer l'espace de sa mère.",
         "J'ai devant moi un monsieur qui veut fermer l'espace de sa mère."),
        ("Bonjour, Mme Benali conseillère France Services à Verdun. J'accompagne un monsieur sans adresse mail.",
         "J'accompagne un monsieur sans adresse mail."),
        # an SMS greeting (an advisor in Bar-le-Duc, 7 December 2026: she got her own desk)
        ("bjr, conseillère France Services Bar-le-Duc. J'ai une usagère de 81 ans, veuve",
         "J'ai une usagère de 81 ans, veuve"),
        # a first name before the desk (an advisor in Bar-le-Duc, 7 December 2026: she got her own desk again)
        ("Bonjour, Sophie, France Services Bar-le-Duc. Usager 45a, a perdu son code provisoire. Comment on procede ?",
         "Usager 45a, a perdu son code provisoire. Comment on procede ?"),
        ("Bonjour, Laure de France Services Charleville-Mézières. J'ai un usager de 60 ans devant moi.",
         "J'ai un usager de 60 ans devant moi."),
        # a first name before the role (an advisor in Sedan, 7 December 2026: she got the desks of Sedan)
        ("Bonjour, Samia, conseillère France Services Sedan. J'ai une usagère 55 ans à côté de moi",
         "J'ai une usagère 55 ans à côté de moi"),
        # as the site passes it on, the name redacted (bot/privacy)
        ("Bonjour, M. [nom], conseiller France Services (54). J'ai une usagère qui ne peut plus se connecter",
         "J'ai une usagère qui ne peut plus se connecter"),
        ("Bonjour, Mme [nom] France Services à Verdun. J'accompagne un monsieur sans adresse mail.",
         "Bonjour, J'accompagne un monsieur sans adresse mail."),
    ],
)  # fmt: skip
def test_the_introduction_is_left_out(message, question):
    assert without_introduction(message) == question


@pytest.mark.parametrize(
    "message",
    [
        "je cherche un conseiller france services a epinal",  # a citizen looking for one
        "je cherche une FS à Sedan",
        "FS Sedan horaires ?",
        "conseiller france services epinal",
        "où est la france services la plus proche de nancy",
        "je suis à Remiremont, qui peut m'aider ?",
        "je suis perdue avec mon code",
        # the desk alone in front of a question about a desk, or of a request for help, is what is looked for
        "France Services Épinal : c'est ouvert le samedi ?",
        "France services Épinal, c'est où ?",
        "france services nancy. je voudrais de l'aide pour activer",
    ],
)
def test_a_message_that_introduces_no_one_is_kept_whole(message):
    assert without_introduction(message) == message


def test_an_introduction_still_found_once_the_site_has_redacted_the_name():
    from bot.privacy.redact import redact

    typed = "Bonjour, Mme Benali conseillère France Services à Verdun. J'accompagne un monsieur sans adresse mail."
    assert without_introduction(redact(typed)).endswith("J'accompagne un monsieur sans adresse mail.")


def test_an_introduction_alone_leaves_nothing():
    alone = "Bonjour, je suis conseillère numérique à la France Services de Mirecourt."
    assert without_introduction(alone) == "Bonjour"
    assert without_introduction("M. Rousseau, conseiller France Services (54).") == ""
    assert without_introduction(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "opens"), [
    ("3e usagere : a perdu sa CV. et elle a recu un SMS", True), ("dame suivante : elle veut activer", True),
    ("usager suivant, il a perdu son code provisoire", True), ("ok merci. dame suivante elle veut imprimer", True),
    ("nouvelle usagère: code perdu", True), ("Merci. Là c'est un monsieur, il a masqué des documents", True),
    ("jai une dame qui a perdu son code", True), ("il y a un monsieur qui attend, il a perdu son code", True),
    ("la dame veut activer", False), ("c'est un problème de code", False), ("j'ai un souci avec le code", False),
    ("Usagère suivante", False),  # nothing asked: the classifier's « new_person » (action_new_person)
    ("Suivante : une dame veut fermer son espace", True), ("Suivant : jeune papa, bébé de 2 mois", True),
    ("au suivant, il a perdu sa carte", True), ("c'est un papa qui veut ajouter son bébé", True),
    ("suivant les étapes, il bloque", False), ("la suivante ne marche pas", False),
    ("merci c'est bon pour lui. personne suivante : une maman, veut mettre ses 2 enfants", True),
    ("Parfait, fini pour elle ! Usager suivant, il a perdu son code", True),
    ("merci c'est bon pour lui. personne suivante", False), ("il est parti. la suivante ne marche pas", False),
    ("merci c'est imprimé, ils sont partis contents. J'ai un autre monsieur : il a reçu un SMS", True),
    ("tant pis. Je passe à une nouvelle personne, une jeune femme qui a changé de médecin", True),
    ("on passe au monsieur suivant, il a perdu son code", True), ("je passe à la caisse demain", False),
    ("Suivant. un monsieur me demande si son pharmacien voit tous ses traitements", True),
    ("mon usager veut activer", False), ("un autre usager ce matin avait le même souci", False),
    # numbered notes (an advisor's session, 7 December 2026)
    ("usager 3 : grand mère veut voir le profil de son petit fils", True),
    ("ok merci. usager 2 : monsieur a changé de numéro de portable", True), ("usagère n°4 - une dame, son code", True),
    ("l'usager a 2 enfants à inscrire", False), ("usager : il veut activer", False),
])  # fmt: skip
def test_an_advisor_moving_on_to_the_next_person_is_heard(text, opens):
    assert opens_with_next_person(text) is opens


@pytest.mark.parametrize(("text", "ends"), [
    ("la fiche dit à la fois activé et à terminer, c'est contradictoire. Je passe à l'usager suivant", True),
    ("ok merci, c'est bon pour elle. Usagère suivante.", True),
    ("c'est réglé. personne suivante", True),
    ("Usagère suivante", False),  # one sentence: the classifier's « new_person »
    ("c'est réglé. usager suivant : il a perdu son code", False),  # a request follows: opens_with_next_person
    ("je passe à la caisse demain. et pour le code ?", False),
])  # fmt: skip
def test_an_advisor_ending_a_message_by_moving_on_is_heard(text, ends):
    """« … c'est contradictoire, et y a rien sur le mari décédé. Je passe à l'usager suivant » got the previous
    person's answer again (an advisor, 7 December 2026)."""
    assert ends_with_next_person(text) is ends
