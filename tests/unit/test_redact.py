"""Personal data never survives redact(); ordinary chatbot sentences come out untouched."""

from __future__ import annotations

import importlib
import random
import time
import uuid

import pytest

from bot.privacy import engine
from bot.privacy.engine import MAX_CHARS
from bot.privacy.kinds import KINDS, MASKED, PLACEHOLDERS, TRUNCATED
from bot.privacy.redact import find_personal_data, redact, redact_value

NIR = "numéro de sécurité sociale"
VITALE = "numéro de carte Vitale"
EMAIL = "adresse e-mail"
PHONE = "numéro de téléphone"
ADDRESS = "adresse"
CODE = "code"
BIRTH = "date de naissance"
BANK = "coordonnées bancaires"
NAME = "nom"

# (message, secret that must disappear, kind found)
MUST_REDACT = [
    # Social security number (NIR)
    ("mon numéro de sécu est 1 85 05 78 006 084 36", "1 85 05 78 006 084 36", NIR),
    ("185057800608436", "185057800608436", NIR),
    ("1.85.05.78.006.084.36 voilà", "1.85.05.78.006.084.36", NIR),
    ("1-85-05-78-006-084 36", "1-85-05-78-006-084 36", NIR),
    ("NIR : 2 93 12 2A 123 456 78", "2 93 12 2A 123 456 78", NIR),
    ("1 85 05 2A 123 456 78", "1 85 05 2A 123 456 78", NIR),
    ("sécu 1 85 05 2B 123 456", "1 85 05 2B 123 456", NIR),
    ("numéro provisoire 7 80 01 99 123 456 12", "7 80 01 99 123 456 12", NIR),
    ("c'est le 1850578006084 sans la clé", "1850578006084", NIR),
    ("n° sécu:185057800608436.", "185057800608436", NIR),
    ("1 85 05 78 006 084 - 36", "1 85 05 78 006 084 - 36", NIR),
    ("ma fille 2 12 06 88 160 015 97 a une carte", "2 12 06 88 160 015 97", NIR),
    ("1\u00a085\u00a005\u00a078\u00a0006\u00a0084\u00a036", "006\u00a0084", NIR),
    # Carte Vitale serial number
    ("mon numéro de série est 12345678", "12345678", VITALE),
    ("numéro de carte vitale : 1234 5678 901", "1234 5678 901", VITALE),
    ("le numéro de série de ma carte est 123456789012", "123456789012", VITALE),
    ("voici le numéro 12345678901", "12345678901", VITALE),
    ("sur ma Vitale il y a 98765432", "98765432", VITALE),
    ("série : 0012345678", "0012345678", VITALE),
    # E-mail
    ("jean.dupont@gmail.com", "jean.dupont@gmail.com", EMAIL),
    ("mon mail : Jean-Pierre.Dupont+mes@orange.fr merci", "Jean-Pierre.Dupont+mes@orange.fr", EMAIL),
    ("jean . dupont @ gmail . com", "dupont", EMAIL),
    ("jean.dupont(at)gmail.com", "jean.dupont", EMAIL),
    ("écrivez à jean.dupont [at] laposte [dot] net", "laposte", EMAIL),
    ("marie_durand88@free.fr est mon adresse", "marie_durand88", EMAIL),
    ("jean.dupont arobase gmail point com", "jean.dupont", EMAIL),
    ("JEAN.DUPONT@WANADOO.FR", "JEAN.DUPONT@WANADOO.FR", EMAIL),
    ("mail:a.b@sante-88.gouv.fr.", "a.b@sante-88.gouv.fr", EMAIL),
    # Phone
    ("appelez-moi au 06 12 34 56 78", "06 12 34 56 78", PHONE),
    ("0612345678", "0612345678", PHONE),
    ("06.12.34.56.78", "06.12.34.56.78", PHONE),
    ("06-12-34-56-78", "06-12-34-56-78", PHONE),
    ("+33 6 12 34 56 78", "6 12 34 56 78", PHONE),
    ("+33612345678", "612345678", PHONE),
    ("0033 6 12 34 56 78", "6 12 34 56 78", PHONE),
    ("+33 (0)6 12 34 56 78", "6 12 34 56 78", PHONE),
    ("à La Réunion : +262 692 12 34 56", "692 12 34 56", PHONE),
    ("mon portable 0692 12 34 56", "0692 12 34 56", PHONE),
    ("tél.: 03 29 82 53 32", "03 29 82 53 32", PHONE),
    # Street address (the postcode and the commune stay)
    ("j'habite 12 rue de la Paix 88000 Épinal", "rue de la Paix", ADDRESS),
    ("3 bis avenue Foch 75016 Paris", "avenue Foch", ADDRESS),
    ("15, boulevard Saint-Michel, 75005 Paris", "Saint-Michel", ADDRESS),
    ("lieu-dit Les Granges, 88300 Removille", "Les Granges", ADDRESS),
    ("8 place Stanislas 54000 Nancy", "Stanislas", ADDRESS),
    ("25 chemin des Vignes 88100 Saint-Dié-des-Vosges", "chemin des Vignes", ADDRESS),
    ("au 4 allée des Tilleuls", "Tilleuls", ADDRESS),
    ("7 impasse du Moulin à Golbey", "impasse du Moulin", ADDRESS),
    ("120 route de Colmar 88400 Gérardmer", "route de Colmar", ADDRESS),
    ("2 quai de la Moselle", "quai de la Moselle", ADDRESS),
    ("10 cours Mirabeau 13100 Aix-en-Provence", "Mirabeau", ADDRESS),
    ("j'habite résidence Les Lilas à Vittel", "Les Lilas", ADDRESS),
    ("bâtiment B, appartement 12", "appartement 12", ADDRESS),
    ("BP 123 88026 Épinal Cedex", "BP 123", ADDRESS),
    ("12 rue du 8 Mai 1945 88000 Épinal", "8 Mai 1945", ADDRESS),
    # Codes, passwords, identifiers
    ("mon code provisoire est A7K2P9QX", "A7K2P9QX", CODE),
    ("x9Fk2LmQ", "x9Fk2LmQ", CODE),
    ("mdp: Ab3!xY9#zz", "Ab3!xY9#zz", CODE),
    ("mot de passe = tournesol", "tournesol", CODE),
    ("code reçu par SMS : 482913", "482913", CODE),
    ("mon identifiant : jeandupont", "jeandupont", CODE),
    ("le code ABCDEFGH ne marche pas", "ABCDEFGH", CODE),
    ("mon mot de passe c'est MonChat2024!", "MonChat2024", CODE),
    ("identifiant jean.dupont ça ne marche pas", "jean.dupont", CODE),
    ("j'ai tapé 7XK29QPA et ça ne marche pas", "7XK29QPA", CODE),
    # Dates of birth
    ("je suis né le 12/03/1950", "12/03/1950", BIRTH),
    ("date de naissance : 12 mars 1950", "12 mars 1950", BIRTH),
    ("née le 1er janvier 1948", "1er janvier 1948", BIRTH),
    ("ddn 03.07.1962", "03.07.1962", BIRTH),
    ("J'ai 2 enfants nés le 01/02/2010 et le 03/04/2012", "03/04/2012", BIRTH),
    # More of everything
    ("identifiant jean-dupont88", "jean-dupont88", CODE),
    ("mot de passe: Azerty123!", "Azerty123", CODE),
    ("J'ai essayé avec A1B2C3 puis A1B2C4", "A1B2C4", CODE),
    ("Résidence du Parc, bât. C, appt 24", "appt 24", ADDRESS),
    ("hameau Les Feignes 88250", "Feignes", ADDRESS),
    ("14 Rue Pasteur 88000 EPINAL", "Pasteur", ADDRESS),
    ("appelle moi 06 12 34 56 78 ou 07.11.22.33.44", "07.11.22.33.44", PHONE),
    # Separators the first rules did not expect (normalised first, or read by libphonenumber / python-stdnum)
    ("mon numéro 06–12–34–56–78", "12–34", PHONE),
    ("06/12/34/56/78", "06/12/34/56/78", PHONE),
    ("06_12_34_56_78", "06_12_34_56_78", PHONE),
    ("appelez (+33) 6 12 34 56 78", "6 12 34 56 78", PHONE),
    ("Nouméa +687 75 12 34", "75 12 34", PHONE),
    ("tel 06\u200b12 34 56 78", "34 56 78", PHONE),
    ("sécu 1 85 05\n78 006 084 36", "006 084", NIR),
    ("1/85/05/78/006/084/36", "006/084", NIR),
    ("185 0578 0060 8436", "0578 0060", NIR),
    ("1\t85\t05\t78\t006\t084\t36", "006", NIR),
    # Bank details (mod 97, Luhn)
    ("mon IBAN FR76 3000 6000 0112 3456 7890 189 merci", "3456 7890", BANK),
    ("iban fr7630006000011234567890189", "fr7630006000011234567890189", BANK),
    ("ma carte bancaire 4970 1012 3456 7893", "3456 7893", BANK),
    # Spelled-out e-mails
    ("jean point dupont arobase gmail point com", "jean point dupont", EMAIL),
    ("écrivez à jean.dupont at gmail dot com", "jean.dupont", EMAIL),
    # Codes in groups, bare, in lower case after « : »
    ("mon code 1234 5678 ne marche pas", "5678", CODE),
    ("code provisoire : abcdefgh", "abcdefgh", CODE),
    ("482913", "482913", CODE),
    # Abbreviated and spelled streets
    ("12 r. de la Paix 88000 Épinal", "de la Paix", ADDRESS),
    ("j'habite au 12 de la rue Victor Hugo", "Victor Hugo", ADDRESS),
    # Dates of birth in words, after a birthplace
    ("née le douze mars mille neuf cent cinquante", "douze mars mille neuf cent cinquante", BIRTH),
    ("né à Lyon le 3 avril 1948", "3 avril 1948", BIRTH),
    # Names after their cues
    ("je m'appelle jean dupont et j'ai perdu mon code", "dupont", NAME),
    ("Bonjour, je m'appelle Jeanne Martin.", "Martin", NAME),
    ("mon nom est Dupont", "Dupont", NAME),
    ("Mme Lefèvre ne reçoit pas le code", "Lefèvre", NAME),
    ("ma fille Chloé a 3 ans", "Chloé", NAME),
    ("il s'appelle Lucas Martin et il a 4 ans", "Lucas", NAME),
]

MUST_KEEP = [
    "j'ai perdu mon code provisoire",
    "mon numéro de série est illisible",
    "je suis né en 1950",
    "100 documents",
    "appelez le 3422",
    "le 3646, le 15, le 112, le 114 ou le 3919",
    "Paris 15e",
    "13003",
    "88000 Épinal",
    "une France services à 88000 Épinal ou à 13003 Marseille",
    "ouvert de 8h30 à 17h30",
    "8h30-17h30",
    "il est joignable de 10h-12h",
    "COVID-19",
    "le vaccin COVID19 de mon fils",
    "Corse-du-Sud (2A), Haute-Corse 2B, Vosges 88",
    "Marseille 13ème",
    "je n'ai pas reçu de SMS",
    "comment télécharger le PDF ?",
    "ma carte Vitale est perdue",
    "mot de passe oublié",
    "mon mot de passe est bloqué",
    "code postal 88000",
    "mon code est faux",
    "le code à 6 chiffres reçu par SMS ne marche pas",
    "mon identifiant FranceConnect ne marche pas",
    "j'ai 2 enfants de 3 et 12 ans",
    "mon fils a 18ans",
    "une France services près de Saint-Dié-des-Vosges",
    "ma résidence principale est à Nancy",
    "je suis dans la rue",
    "j'ai reçu 2 mails",
    "mon taux d'HbA1c",
    "24h/24 et 7j/7",
    "le 1er mars",
    "en 2022, 10 millions de profils activés",
    "rendez-vous le 12/03/2024 à 14h30",
    "accès en cas d'urgence",
    "voir https://www.service-public.fr/particuliers/actualites/A17211",
    "Mon espace santé, c'est quoi ?",
    "j'ai 65 ans et 2 petits-enfants",
    "page 2/3",
    "le code de la carte vitale",
    "les 11 derniers chiffres du numéro de série",
    "je ne le trouve pas",
    "mon iPhone12 n'affiche pas l'appli",
    "version 3.6.21",
    "il faut 30min et un document au format A4",
    "Vitale",
    "le 2e enfant et le 1er",
    "mon code provisoire : celui reçu par courrier",
    "identifiants : risque d'usurpation",
    "un **code provisoire** et la **carte Vitale**",
    "voir l'art. R1111-27 du code de la santé publique",
    "child_turning_18",
    "https://www.bfmtv.com/tech/mon-espace-sante_AV-202202040213.html sur la carte Vitale",
    "Pas de code : choisissez le lien « Je n'ai pas de code provisoire »",
    "objectif : 2 000 structures mi-2026",
    "j'ai 3 cours de yoga par semaine",
    "il y a 2 places de parking",
    "activation le 12/03/2024",
    "RDV 14h00-15h30",
    "N° 3422",
    "mon fils a 12 ans et 3 mois",
    "j'habite dans un hameau de la commune de Fresse-sur-Moselle",
    "CODE REJETÉ",
    "code 88000",
    "je ne sais pas",
    "je suis née en 1950 à Nancy",
    "Madame, je voudrais de l'aide",
    "M. le maire de Nancy",
    "ma mère Elle ne sait pas",
    "mon fils Mon espace santé ne marche pas",
    "rendez-vous le 12 mars 2026 à 8h30",
    "près de 48.69, 6.18",
    "code : choisissez le lien",
    '127.0.0.1 "GET / HTTP/1.1" 200 "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0.0.0"',
]


@pytest.mark.parametrize(("text", "secret", "kind"), MUST_REDACT, ids=[c[0][:40] for c in MUST_REDACT])
def test_personal_data_is_replaced(text, secret, kind):
    redacted = redact(text)
    assert secret not in redacted
    assert PLACEHOLDERS[kind] in redacted
    assert kind in find_personal_data(text)


def test_a_role_after_a_name_is_kept():
    # « Mme Benali conseillère France Services » lost « conseillère » with the name (5 December 2026)
    typed = "Bonjour, Mme Benali conseillère France Services à Verdun."
    assert redact(typed) == "Bonjour, Mme [nom] conseillère France Services à Verdun."
    assert redact("M. Jean Dupont agent d'accueil") == "M. [nom] agent d'accueil"


@pytest.mark.parametrize("text", MUST_KEEP)
def test_ordinary_sentences_are_kept(text):
    assert redact(text) == text
    assert find_personal_data(text) == []


@pytest.mark.parametrize("text", [c[0] for c in MUST_REDACT] + MUST_KEEP)
def test_redaction_is_idempotent(text):
    once = redact(text)
    assert redact(once) == once
    assert find_personal_data(once) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("j'habite 12 rue de la Paix 88000 Épinal", "j'habite [adresse] 88000 Épinal"),
        ("3 bis avenue Foch, 75016 Paris", "[adresse], 75016 Paris"),
        ("7 impasse du Moulin à Golbey", "[adresse] à Golbey"),
        ("né le 12/03/1950 à Nancy", "né le [date de naissance] à Nancy"),
        ("mon code provisoire est A7K2P9QX.", "mon code provisoire est [code]."),
        ("tel 06 12 34 56 78, mail jean@free.fr", "tel [numéro de téléphone], mail [adresse e-mail]"),
        ("NIR 1 85 05 78 006 084 36 et 88000", "NIR [numéro de sécurité sociale] et 88000"),
        # a position is rounded to about 1 km, not hidden: the nearest desks can still be found
        ("je suis à 48.692345, 6.184417", "je suis à 48.69, 6.18"),
        ('{"latitude": 48.692345, "longitude": -6.184417}', '{"latitude": 48.69, "longitude": -6.18}'),
        ("je m'appelle Jeanne Martin, 88000 Épinal", "je m'appelle [nom], 88000 Épinal"),
    ],
)
def test_exact_rendering(text, expected):
    assert redact(text) == expected


def test_kinds_are_reported_in_priority_order_once():
    text = "jean@free.fr, 06 12 34 56 78, 1 85 05 78 006 084 36, jeanne@free.fr"
    assert find_personal_data(text) == [NIR, EMAIL, PHONE]
    assert list(KINDS) == [NIR, VITALE, "coordonnées bancaires", EMAIL, PHONE, ADDRESS, CODE, BIRTH, "nom", "position"]


def test_overlaps_take_the_higher_priority_placeholder():
    assert redact("185057800608436@gmail.com") == PLACEHOLDERS[NIR]
    assert redact("mon numéro de carte vitale 0612345678") == "mon numéro de carte vitale " + PLACEHOLDERS[VITALE]


def test_redact_value_walks_rasa_events():
    event = {
        "event": "user",
        "timestamp": 1718000000.5,
        "text": "mon mail est jean.dupont@gmail.com",
        "parse_data": {
            "intent": {"name": "inform", "confidence": 0.93},
            "entities": [{"entity": "email", "value": "jean.dupont@gmail.com", "start": 13, "end": 34}],
            "text": "mon mail est jean.dupont@gmail.com",
        },
        "metadata": {"audience": "advisor", "flags": ("06 12 34 56 78", True, None)},
        "jean.dupont@gmail.com": 1,
    }
    copy = redact_value(event)
    assert copy is not event and copy["parse_data"] is not event["parse_data"]
    assert "jean.dupont@gmail.com" not in repr({k: v for k, v in copy.items() if k != "jean.dupont@gmail.com"})
    assert copy["text"] == "mon mail est [adresse e-mail]"
    assert copy["parse_data"]["entities"][0] == {"entity": "email", "value": "[adresse e-mail]", "start": 13, "end": 34}
    assert copy["parse_data"]["intent"] == {"name": "inform", "confidence": 0.93}
    assert copy["timestamp"] == 1718000000.5
    assert copy["metadata"]["flags"] == ("[numéro de téléphone]", True, None)
    assert "jean.dupont@gmail.com" in copy  # keys are untouched
    assert event["text"] == "mon mail est jean.dupont@gmail.com"  # the original is not modified


def test_redact_value_survives_cycles_and_odd_objects():
    looping: list = ["06 12 34 56 78"]
    looping.append(looping)
    copy = redact_value(looping)
    assert copy[0] == "[numéro de téléphone]"
    assert "06 12" not in repr(copy)
    marker = object()
    assert redact_value(marker) is marker
    assert redact_value({1, "jean@free.fr"}) == {1, "[adresse e-mail]"}


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no")


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        0,
        3.5,
        True,
        b"jean@free.fr",
        bytearray(b"\xff\xfe"),
        _Unprintable(),
        "\x00\ud800",
        "🙂" * 50,
        "[",
        "@",
    ],
)
def test_never_raises(value):
    assert isinstance(redact(value), str)
    assert isinstance(find_personal_data(value), list)


def test_none_and_bytes():
    assert redact(None) == ""
    assert redact(b"jean@free.fr") == PLACEHOLDERS[EMAIL]
    assert redact(_Unprintable()) == MASKED


def test_fails_closed_when_a_detector_breaks(monkeypatch):
    module = importlib.import_module("bot.privacy.engine")

    def broken(text):
        raise ValueError(text)

    monkeypatch.setattr(module, "spans", broken)
    assert redact("jean@free.fr") == MASKED
    assert find_personal_data("jean@free.fr") == []


def test_long_text_is_truncated_after_max_chars():
    filler = "Bonjour, comment activer Mon espace santé ? " * (MAX_CHARS // 44 + 10)
    text = filler[: MAX_CHARS - 10] + " 1 85 05 78 006 084 36 " + "x" * 5000 + " jean@free.fr"
    redacted = redact(text)
    assert redacted.endswith(TRUNCATED)
    assert "jean@free.fr" not in redacted
    assert "006 084" not in redacted and "1 85 05" not in redacted  # the NIR crossing the limit goes whole
    assert len(redacted) < MAX_CHARS + 100


# Guards against catastrophic regex backtracking (seconds per message), not speed measurements: those belong to
# make bench. Measured here: about 0.3 ms per typical message, 4 to 110 ms for a 100 kB body, depending on the load.
def test_no_catastrophic_slowness_on_typical_messages():
    messages = [
        "Bonjour, j'ai perdu mon code provisoire et je n'arrive pas à activer Mon espace santé, que faire ?",
        "Comment ajouter mon enfant de 12 ans sur mon profil ? Je voudrais voir ses vaccins et ses documents.",
        "une France services près de 88000 Épinal, ouverte le samedi matin de 8h30 à 12h",
        "mon numéro de sécu est 1 85 05 78 006 084 36 et mon mail jean.dupont@gmail.com, tel 06 12 34 56 78",
        "Je n'ai jamais reçu le courrier, ma carte Vitale est sans photo et le numéro de série est effacé",
    ]
    redact(messages[0])  # the published desks' contacts are read once per process, not per message
    start = time.perf_counter()
    for i in range(10_000):
        redact(messages[i % len(messages)])
    elapsed = time.perf_counter() - start
    print(f"10,000 messages: {elapsed * 1000:.0f} ms ({elapsed * 100:.1f} µs per message)")
    assert elapsed < 10  # 1 ms per message on average


def test_no_catastrophic_slowness_on_a_100_kb_body():
    body = ("mon mail jean.dupont@gmail.com et le 06 12 34 56 78, j'habite 12 rue de la Paix 88000 Épinal. " * 1100)[
        :100_000
    ]
    start = time.perf_counter()
    redacted = redact(body)
    elapsed = time.perf_counter() - start
    print(f"100 kB body: {elapsed * 1000:.1f} ms")
    assert "jean.dupont" not in redacted
    assert elapsed < 1


def test_conversation_and_message_ids_are_kept():
    """Sender ids (UUIDs) and message or model ids (hex digests) often hold long digit runs."""
    rng = random.Random(7)
    for _ in range(2_000):
        sender = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        message_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        line = f"sender {sender} message_id={message_id}"
        assert redact(line) == line
    event = {"event": "user", "text": "jean@free.fr", "message_id": "b2d650af313b42b7983631890063e42f"}
    assert redact_value(event)["message_id"] == "b2d650af313b42b7983631890063e42f"
    assert redact("12345678-1234-4123-8123-123456789012") == "12345678-1234-4123-8123-123456789012"


def test_glued_fragments_stay_idempotent():
    """Secrets glued to each other or to odd characters: a placeholder must not reveal a new match."""
    rng = random.Random(20261201)
    fragments = [case[0] for case in MUST_REDACT] + [case[1] for case in MUST_REDACT] + MUST_KEEP
    fragments += ["[code]", "]", "[", "@", "+", "+33 (0)", "0", "12", "é", "\u00a0", "http://x.fr/", "code :"]
    glue = ["", " ", ",", ".", "-", "/", ":", "[", "]", "(", "@", "+", "_", "é", "\n"]
    for _ in range(3_000):
        text = "".join(rng.choice(fragments) + rng.choice(glue) for _ in range(rng.randrange(1, 5)))
        once = redact(text)
        assert redact(once) == once, text


def test_redact_value_rounds_positions_in_slots_and_payloads():
    events = [
        {"event": "slot", "name": "fs_latitude", "value": 48.692345},
        {"event": "slot", "name": "fs_longitude", "value": 6.184417},
        {"event": "user", "parse_data": {"entities": [{"entity": "position", "latitude": 48.692345, "lon": 6.1844}]}},
        {"event": "slot", "name": "fs_failures", "value": 2.5},
        {"event": "user", "parse_data": {"entities": [{"entity": "latitude", "value": 48.692345}]}},
    ]
    rounded = redact_value(events)
    assert rounded[0]["value"] == 48.69 and rounded[1]["value"] == 6.18
    entity = rounded[2]["parse_data"]["entities"][0]
    assert entity["latitude"] == 48.69 and entity["lon"] == 6.18
    assert rounded[3]["value"] == 2.5  # not a position: untouched
    assert rounded[4]["parse_data"]["entities"][0]["value"] == 48.69  # the share_position payload's entity


def test_every_detector_is_needed():
    """Each detector finds something the others miss: taking one out lets a secret through."""
    examples = {kind: [t for t, _, k in MUST_REDACT if k == kind] for kind in KINDS}
    for detector in engine.DETECTORS:
        others = tuple(d for d in engine.DETECTORS if d is not detector)
        original = engine.DETECTORS
        engine.DETECTORS = others
        try:
            missed = [t for t, secret, k in MUST_REDACT if k == detector.kind and secret in redact(t)]
        finally:
            engine.DETECTORS = original
        assert missed or not examples[detector.kind], f"{detector.find.__module__} is never needed"


@pytest.mark.parametrize(
    "text",
    [
        "France services de la préfecture de Nancy, 6 rue Sainte Catherine, 54000 Nancy, tél. 03 83 34 26 27",
        "appelez le 04 50 56 87 49 ou écrivez à franceservices@ccpb01.fr",
        "+33 4 50 56 87 49",
    ],
)
def test_france_services_desks_public_data_is_kept(text):
    assert redact(text) == text


def test_a_private_number_next_to_a_desk_is_still_redacted():
    text = "la France services 03 83 34 26 27 m'a dit d'appeler mon fils au 06 12 34 56 78"
    assert redact(text) == "la France services 03 83 34 26 27 m'a dit d'appeler mon fils au [numéro de téléphone]"


def test_a_clean_text_is_read_once_and_remembered_only_by_its_digest(monkeypatch):
    reads = []
    found_in = engine._found_in
    monkeypatch.setattr(engine, "_found_in", lambda text: reads.append(text) or found_in(text))
    clean = "Votre code provisoire est valable 3 mois. Activez votre espace sur monespacesante.fr."
    assert redact(clean) == redact(clean) == clean
    assert reads == [clean]
    assert all(isinstance(digest, bytes) and len(digest) == 16 for digest in engine._clean)
    assert clean not in engine._clean


def test_a_text_with_personal_data_is_read_every_time_and_never_remembered(monkeypatch):
    reads = []
    found_in = engine._found_in
    monkeypatch.setattr(engine, "_found_in", lambda text: reads.append(text) or found_in(text))
    secret = "écrivez-moi à marie.curie@example.org"
    before = set(engine._clean)
    assert redact(secret) == redact(secret) != secret
    assert reads.count(secret) == 2 and engine._clean == before


def test_the_clean_texts_are_forgotten_when_the_detectors_change(monkeypatch):
    text = "appelez le 06 12 34 56 78"
    without_phone = tuple(d for d in engine.DETECTORS if d.kind != "numéro de téléphone")
    monkeypatch.setattr(engine, "DETECTORS", without_phone)
    assert redact(text) == text  # clean for these detectors, and remembered
    monkeypatch.undo()
    assert redact(text) != text  # all the detectors again: read again, and the phone is hidden


def test_the_remembered_digests_are_bounded(monkeypatch):
    monkeypatch.setattr(engine, "CLEAN_DIGESTS_MAX", 3)
    for number in range(7):
        redact(f"texte propre numéro {number}")
        assert len(engine._clean) <= 3



def test_what_the_assistant_says_it_masks_is_what_redact_masks():
    """« donc les noms et les trucs de santé c'est pas masqué ? » (an advisor, 7 December 2026): the answer
    « utter_assistant_privacy » says names it recognises and birth dates are masked, health and age are not."""
    from pathlib import Path

    import yaml

    shared_file = Path(__file__).resolve().parents[2] / "data" / "guides" / "_shared.yml"
    shared = yaml.safe_load(shared_file.read_text(encoding="utf-8"))
    text = shared["shared_responses"]["utter_assistant_privacy"][0]["text"]
    assert "Mme Martin" in text and "dates de naissance" in text and "santé ou de l'âge n'est pas masqué" in text
    masked = redact("Mme Martin, née le 12/03/1941, a 85 ans et du diabète")
    assert "Martin" not in masked and "1941" not in masked
    assert "85 ans" in masked and "diabète" in masked
