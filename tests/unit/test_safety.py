"""Emergency words always win; questions about the emergency feature do not match."""

import pytest

from bot.safety import is_medical_emergency
from bot.text import normalize


@pytest.mark.parametrize(
    "text",
    [
        "J'ai très mal à la poitrine",
        "jai une douleur dans la poitrine depuis 1h",
        "mon mari ne peut plus respirer",
        "je n'arrive pas a respirer",
        # after a thank-you, it got « Avec plaisir » (a persona of 71, 6 December 2026)
        "Je vous remercie. Justement, le petit a 40 de fièvre et il a du mal à respirer",
        "elle a des difficultés à respirer depuis ce matin",
        "ma mère est inconsciente",
        "il s'est évanoui et ne répond plus",
        "je crois que mon père fait un AVC",
        "sa bouche est de travers et son bras ne bouge plus",
        "je pense au suicide",
        "mon fils a avalé des médicaments, intoxication",
        "crise cardiaque !!",
        "Il SAIGNE BEAUCOUP",
        "douleur thoracique",
        "si j'ai des saignements la nuit, je peux écrire à ma sage-femme par la messagerie ?",
        "je suis enceinte de 5 mois et je saigne un peu",
        "pertes de sang pendant la grossesse, je fais quoi",
        # a danger described, then a question about the record: still the 15 first
        "ma femme est inconsciente, si j'appelle le 15 ils voient son dossier ?",
        "si elle ne respire plus, que faire ?",
        "en cas de crise cardiaque je fais quoi",
        # a doubt, someone else, or another clause: still the 15
        "je sais pas si c'est grave, ma femme est inconsciente, le samu peut voir son dossier ?",
        "je ne sais pas si je fais un AVC, les pompiers voient mon dossier ?",
        "s'il est inconscient, le SAMU voit son dossier ?",
        "ma femme est inconsciente, si j'appelle le 15 ils pourront voir son dossier ?",
        "mon père est inconscient, ce n'est pas une urgence vitale ? on peut voir son dossier ?",
        "si je veux, mon mari est inconscient là, les pompiers ont accès à son dossier ?",
        "il fait un avc la",
        "signes d'avc chez ma mère",
    ],
)
def test_emergencies_are_detected(text):
    assert is_medical_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "comment marche l'accès en cas d'urgence ?",
        # « avc » typed for « avec » (newcomers' session, 5 December 2026)
        "jai kun tel pa d ordi, jpeu tout faire avc l appli ou faut un pc ?",
        "je viens avc ma fille",
        # a danger imagined to ask who sees the record (newcomers' session, 5 December 2026)
        "Et si j'ai un accident et que j'arrive aux urgences inconsciente, ils voient le document masqué ou pas ?",
        "si je suis inconsciente, les urgences ont accès à mon dossier ?",
        "en cas d'AVC, les pompiers peuvent consulter mes directives dans mon espace ?",
        # someone else's danger imagined, in a question on what will be seen (an advisor, 7 December 2026)
        "si ce medecin est de garde aux urgences et qu'il arrive inconscient, le medecin pourra voir son dossier "
        "malgre le blocage ?",
        "si mon père fait un AVC, le SAMU pourra voir son dossier ?",
        # a nurse on her patients' consent and the emergency access (« bris de glace »), 7 December 2026
        "Pour mes patients hospitalisés : le consentement, ça marche comment ? Et si le patient est inconscient, aux "
        "urgences ?",
        "Non, ce n'est pas une urgence, je parle du mode d'accès bris de glace pour un patient inconscient.",
        "le SAMU peut-il voir mon dossier",
        "je veux masquer un document en cas d'urgence",
        "j'ai perdu mon code provisoire",
        "mal au dos depuis une semaine",
        "je suis enceinte, est-ce qu'il y a un suivi de grossesse dans l'appli ?",
        "ma prise de sang est arrivée, la sage-femme peut la voir ?",
        "",
        None,
    ],
)
def test_ordinary_questions_are_not_emergencies(text):
    assert not is_medical_emergency(text)


def test_normalize_removes_accents_case_and_apostrophes():
    assert normalize("J’ai  REÇU l'Élément") == "j ai recu l element"
