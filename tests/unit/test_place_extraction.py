"""Finding the place inside a whole sentence (real gazetteer)."""

from pathlib import Path

import pytest
import yaml

from bot.places import Gazetteer
from bot.places.extract import _word_runs, find_place

DATA = Path(__file__).resolve().parents[2] / "data" / "geo"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(DATA)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("une France services près de Épinal", "Épinal"),
        ("France services près d'Épinal", "Épinal"),
        ("france services pres de epinal", "Épinal"),
        ("je cherche une france services à Saint-Dié-des-Vosges svp", "Saint-Dié-des-Vosges"),
        ("j'habite au 88000", "Épinal"),
        ("une france services dans le 54 000 ?", "Nancy"),
        ("où est la maison france services la plus proche de chez moi à Metz ?", "Metz"),
        ("France Services Nancy", "Nancy"),
        ("une france services près de remiremont", "Remiremont"),
        ("c'est à Paris 15e", "Paris 15e Arrondissement"),
        ("et à Nancy ?", "Nancy"),
        # in capitals: a sizeable town, or any commune after a strong cue
        ("une france services a NANCY", "Nancy"),
        ("JE SUIS A STENAY", "Stenay"),
        ("qui peut m'aider en vrai ? je peux conduire jusqu'à Stenay ou Verdun", "Stenay"),
        ("je peux conduire jusqu'a epinal", "Épinal"),
        ("je suis à la mairie de Nancy", "Nancy"),
        # a small town in lower case, with its department named after it (a persona of 82, 7 December 2026: Épinal)
        ("ya quelqun a neufchateau pour maider? jhabite a coté dans les vosges", "Neufchâteau"),
        # an age is not a department: « a 85 ans » is not the Vendée
        ("ma mere a 85 ans, qui peut l'aider ? elle habite à Saint-Dié-des-Vosges", "Saint-Dié-des-Vosges"),
        ("mon père a 88 ans et vit à Remiremont, où trouver de l'aide", "Remiremont"),
        # a shortened name beats a shorter exact one: « st die » is not « st » (Le Saint, 56)
        ("elle habite a st die", "Saint-Dié-des-Vosges"),
        ("je vis à st dié svp", "Saint-Dié-des-Vosges"),
        # a town's whole name of two words or more, in lower case with no cue before it
        ("aide charleville mezieres pour le numerique", "Charleville-Mézières"),
        ("besoin d aide la roche sur yon", "La Roche-sur-Yon"),
        ("aide numerique saint denis 93", "Saint-Denis"),  # with its department after it, no cue
        # right after « France services à », a smaller town in lower case that ends the sentence (7,400 people)
        ("ya une france services a remiremont ?", "Remiremont"),
        ("y a t il une france service à xertigny svp", "Xertigny"),
        # « j'habite à » then « à côté de »: the town after « à côté de », not the village La Côte (70)
        ("j habite a cote de remiremont dans les vosges", "Remiremont"),
        ("j'habite à côté de Nancy", "Nancy"),
        # « pas loin de », with or without the apostrophe, not the village Le Pas (53) after « j'habite »
        ("j'habite pas loin de Remiremont", "Remiremont"),
        ("j habite pas tres loin d epinal", "Épinal"),
        ("je suis pres d epinal", "Épinal"),
        # a negation says where the person is not
        ("je ne suis plus à Nancy, je suis à Metz maintenant", "Metz"),
        ("j'habite pas à Nancy mais à Toul", "Toul"),
        ("j'habite Le Pas", "Le Pas"),  # with its article, the village
        ("france services a orange", "Orange"),  # a word, but a town of 28,000 too: not among the everyday words
        # an SMS « je suis à », and a compound name in lower case, whatever the commune's size (not the Meuse)
        ("cest ou la france service la plus pres jsuis a dun sur meuse", "Dun-sur-Meuse"),
        ("france services a dun sur meuse", "Dun-sur-Meuse"),
        ("france services a pont a mousson", "Pont-à-Mousson"),
        # an advisor's introduction is not the place; what they ask for is
        ("je cherche un conseiller france services a Epinal", "Épinal"),  # a citizen, looking for one
        ("je suis conseillère France Services à Rambervillers, où est celle la plus proche de Toul ?", "Toul"),
        # a department named by an everyday word, after a cue (its biggest commune is given)
        ("je suis dans le Cher, qui peut m'aider ?", "Bourges"), ("j'habite dans le cher", "Bourges"),
        # a cue that holds the article (« au Havre ») still names a commune known with its article
        ("une france services au Havre", "Le Havre"), ("je suis au Mans", "Le Mans"),
    ],
)
def test_place_in_a_request(gaz, sentence, name):
    found = find_place(gaz, sentence)
    assert found is not None and found.resolution.status == "found", sentence
    assert found.resolution.places[0].name == name


@pytest.mark.parametrize(
    ("sentence", "dep_code"),
    [
        # « Chaumont, en » is no beginning of Chaumont-en-Vexin (Oise): a persona in Chaumont got the desks of the Oise
        ("où puis-je me faire aider en personne à Chaumont, en Haute-Marne ?", "52"),
        ("une France services à Chaumont en Haute-Marne", "52"),
        # an ambiguous commune whose department is named too: that one, not the most populous
        ("France services à Saint-Denis, Seine-Saint-Denis", "93"),
        ("je suis à Chaumont-en-Vexin", "60"),
    ],
)
def test_a_department_named_after_the_commune(gaz, sentence, dep_code):
    found = find_place(gaz, sentence)
    assert found is not None and found.resolution.status == "found", sentence
    assert found.resolution.places[0].dep_code == dep_code


@pytest.mark.parametrize(
    "sentence",
    [
        "trouver une france services",
        "je voudrais de l'aide",
        "aide en ligne",  # "ligne" is also a village (Ligné): not taken after a weak cue
        "j'ai besoin d'aide à la mairie",
        "je ne sais pas",
        "mon père a 88 ans, qui peut l'aider ?",
        "j'habite à 10 km de la mairie",
        # two words that are a town's name only without their article (Sens, La Garde): not a place
        "c'est quoi le sens de la vie",
        # a first name that is a commune only with its article (La Pierre, 38): a wife who named her husband got the
        # desks of Isère twice (7 December 2026)
        "Est-ce que mon propre médecin, qui n'est pas celui de Pierre, peut voir le dossier de mon mari ?",
        # after « France services a », the verb: Changé (6,900 people) is not taken, nor Ligné after « en »
        "la france services a change",
        "la france services a change d'horaires",
        "une france services en ligne",
        "avant de décider si je le garde, à quoi sert mon espace santé",
        "non moi j habite pas nancy c est mon fils",
        "SCAN NE MARCHE PAS",
        "je n'arrive pas à lire les chiffres de ma carte vitale",  # not Lire, now Orée d'Anjou
        "pourquoi je ne peux pas cocher plus de 10 documents",  # not the Aube
        # a count of things is no department (« en 3 lignes » got the desks of the Allier, a persona, 7 December 2026)
        "resumez moi en 3 lignes ce que je dois faire pour toute la famille",
        "j'ai 3 enfants, qui peut m'aider",
        "mon fichier fait 8 Mo",
        "bonjour",
        # everyday words that also name a commune, in lower case after a weak cue (newcomers' session, 5 December 2026)
        "ma mère a la garde de mes enfants, qui peut m'aider ?",
        "elle a la garde des enfants par décision du juge",
        "je viens en avion",
        "l'ordinateur du salon suffit pour activer ?",
        "les visites apparaissent dans l'agenda ?",  # not Agen, by a typo
        "bonne nuit et a demain",  # not Denain
        "Et quand on habite à l'étranger ?",  # not Le Tranger
        "mon père peut se faire aider à l'agence ?",
        # a word in capitals is no name, and a measure is no department (persona sessions, 5 December 2026: Méré
        # (78) for « ma MERE », La Rochelle for a blood pressure of « 17 sur 10 »)
        "non stop!! c est ma MERE, pas mon enfant. je veux activer son espace avec mon mail",
        "ma tension est de 17 sur 10",
        "ma tension ce matin 17 sur 10 et mal a la tete, je le note ou je vois le medecin ?",
        "elle a eu 12/8 de tension chez le pharmacien",
        # places of everyday life, even after a strong cue: not Magrie, Aoste, Ville or École
        "code valable jusqu'a quand", "quels soignants ai-je autorisés jusqu'à maintenant",
        "je suis à la mairie", "je peux aller jusqu'à la poste", "il est à la pharmacie", "il est à l'école",
        "Parfait, merci pour votre aide. Bonne journée.",  # not Bonne (74), a persona in Metz
        # a landmark after a cue of nearness (a persona in Charleville, 7 December 2026: the desks of L'Hôpital (57))
        "celle de manchester c'est a coté de l'hopital. qu'est ce que je dois amener ?", "pas loin de la gare",
        # a person's name after a title (a persona session, 5 December 2026: the desks of Caen for Mathieu (14))
        "bonjour madame, le docteur Mathieu m a dit de faire mon espace sante, est ce que c est obligé",
        "mon medecin le Dr. Nancy m'a envoyé un document, je le vois pas",
        # a department named by an everyday word, with a capital but without a cue (a persona session: Bourges)
        "LE 3422 CA COUTE CHER ?", "ça coûte Cher ?", "C EST TROP CHER POUR MOI",
        # the advisor's own desk
        "Bonjour, je suis conseillère France Services à Rambervillers. Comment aider une dame sans code ?",
        "Bonjour, M. Rousseau, conseiller France Services (54). J'ai une usagère qui ne peut plus se connecter",
        "",
        "x" * 400,
    ],
)
def test_no_place_in_ordinary_sentences(gaz, sentence):
    assert find_place(gaz, sentence) is None


def test_answer_mode_accepts_typos_and_bare_names(gaz):
    assert find_place(gaz, "epinla", answer=True).resolution.places[0].name == "Épinal"
    assert find_place(gaz, "nancy svp", answer=True).resolution.places[0].name == "Nancy"
    assert find_place(gaz, "epinla") is None  # a typo alone is not trusted inside a request


def test_ambiguous_name_is_reported_not_guessed(gaz):
    found = find_place(gaz, "je suis à Saint Denis")
    assert found.resolution.status == "ambiguous"
    assert {"93", "974"} <= {code for code, _ in found.resolution.departments}


def test_the_cheap_name_test_never_rejects_what_resolve_finds_by_its_exact_name(gaz):
    """``may_be_exact_name`` only skips work: each current commune of two words or more, alone, with its
    department after it or in brackets, and in a « département de » phrase, passes it."""
    for name in ("saint denis", "Saint-Denis 93", "saint denis (974)", "La Roche-sur-Yon", "la roche sur yon 85",
                 "Charleville-Mézières", "l'Haÿ-les-Roses"):  # fmt: skip
        assert gaz.resolve(name, fuzzy=False).kind == "commune", name
        assert gaz.may_be_exact_name(name), name
    for words in ("je voudrais savoir", "pour activer mon", "saint denis pour"):
        assert not gaz.may_be_exact_name(words), words


def test_the_cheap_name_test_agrees_with_resolve_on_every_run_of_words_of_the_place_questions(gaz):
    questions = yaml.safe_load((Path(__file__).parents[1] / "places" / "questions.yml").read_text(encoding="utf-8"))
    texts = [q["text"] for q in questions["questions"]] + [
        "aide numerique saint denis 93 svp",
        "je vis a la roche sur yon 85",
        "france services pont a mousson ou vitry le francois",
    ]
    checked = found = 0
    for text in texts:
        for run in _word_runs(text):
            checked += 1
            if gaz.resolve(run, fuzzy=False).kind == "commune":
                found += 1
                assert gaz.may_be_exact_name(run), run
    assert checked > 500 and found >= 10


@pytest.mark.parametrize(
    "sentence",
    [
        # « Y a-t-il » opening a sentence is the pronoun, not Y (Somme) (newcomers' session, 5 December 2026)
        "Y a-t-il un endroit où quelqu'un pourrait m'aider en personne ?",
        "Y a quelqu'un pour m'aider ?",
        # a capital that only starts a sentence: « L'hôpital », not L'Hôpital (Moselle)
        "Bonjour, conseillère France Services. J'ai devant moi un monsieur. L'hôpital lui a dit que le compte rendu "
        "était envoyé, mais on ne le trouve pas. Où chercher ?",
    ],
)
def test_the_pronoun_y_is_no_place(gaz, sentence):
    assert find_place(gaz, sentence) is None
    assert find_place(gaz, sentence, answer=True) is None


def test_a_grammatical_word_that_starts_a_sentence_is_no_place(gaz):
    """« Son courrier avec le code provisoire a expiré » got an advisor the desks of Son (Ardennes), 7 December 2026."""
    said = ("J'accompagne un usager de 82 ans qui souhaite activer son MES avec sa CV. Son courrier avec le code "
            "provisoire a expiré. Pouvez-vous me donner la marche à suivre ?")
    assert find_place(gaz, said) is None
    assert find_place(gaz, "Tout le monde peut m'aider ?") is None


def test_everyday_words_in_a_reply_are_no_place_but_a_bare_name_is(gaz):
    # the reply to « which commune? » is a sentence: « près » (Les Prés) and « en personne » (Péronne) are words
    assert find_place(gaz, "y a t il une france services près de chez moi", answer=True) is None
    assert find_place(gaz, "la garde", answer=True).resolution.places[0].name == "La Garde"
    assert find_place(gaz, "j'habite à Y").resolution.places[0].name == "Y"  # after a strong cue, the village
    assert find_place(gaz, "j'habite à Son").resolution.places[0].name == "Son"
    assert find_place(gaz, "je suis à L'Hôpital").resolution.places[0].name == "L'Hôpital"
    assert find_place(gaz, "L'Hôpital", answer=True).resolution.places[0].name == "L'Hôpital"


@pytest.mark.parametrize(("reply", "town"), [
    ("saint dizier je vous l'ai deja dit. je demande pour le bus itinérant", "Saint-Dizier"),
    ("on m'a dit d'appeler le 3422 mais je suis sourde presque je peux pas telephoner est ce que je peux ecrire a la "
     "place", None),
    ("non mais je veux juste savoir si un enfant peut activer le compte de son parent âgé à sa place", None),
    ("pres de chez moi a bus", "Bus"),  # a short reply still trusts its cues
])  # fmt: skip
def test_a_whole_sentence_in_reply_to_which_commune_trusts_weak_cues_no_more_than_a_request(gaz, reply, town):
    """« je demande pour le bus itinérant » got the desks of Bus (Pas-de-Calais) and « est ce que je peux ecrire a la
    place » those of Placé (Mayenne), a persona of 71 on 7 December 2026."""
    found = find_place(gaz, reply, answer=True)
    assert (found.resolution.places[0].name if found else None) == town
