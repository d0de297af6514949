"""« Est-ce une arnaque ? » (bot/scam.py) on the published messages of tests/scam/messages.yml, and its promises.

Every published scam gets at least one warning sign; no official message is called a scam; the answer always
ends with the same closing line and never says a message is safe; the text is redacted before it is read, so
personal data pasted with the message never comes back in the answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import scam
from bot.privacy import redact
from tests import privacy_strategies as ps

MESSAGES_FILE = Path(__file__).resolve().parent.parent / "scam" / "messages.yml"
KNOWLEDGE = Path(__file__).resolve().parent.parent.parent / "docs" / "knowledge" / "mon-espace-sante.md"
# Words that would tell the reader the message is genuine or harmless: never in an answer.
SAFE_CLAIMS = re.compile(
    r"sûr|sure\b|sans danger|sans risque|est fiable|est authentique|est officiel|est vrai\b|vient bien|"
    r"pas une arnaque|aucun risque|rassur",
    re.IGNORECASE,
)
# How an answer says it found warning signs (citizen and advisor wording).
FRAUD_HEADING = re.compile(r"J'ai trouvé \d+ signes? d'alerte dans ce message|Le message montre \d+ signes? d'alerte")
# The disclaimer of an answer without warning signs, which must not read as a claim that the message is genuine.
DISCLAIMERS = ("ne prouve pas que le message est vrai", "ne prouve pas qu'il est vrai")
AUDIENCES = (None, "citizen", "advisor")


def says_safe(reply: str) -> bool:
    """The reply tells the reader the message is genuine or harmless (its disclaimer aside)."""
    for disclaimer in DISCLAIMERS:
        reply = reply.replace(disclaimer, "")
    return SAFE_CLAIMS.search(reply) is not None


def read_messages() -> list[dict]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))["messages"]


MESSAGES = read_messages()
SCAMS = [m for m in MESSAGES if m["kind"] == "scam"]
OFFICIALS = [m for m in MESSAGES if m["kind"] == "official"]


def settings_for(count: int) -> settings:
    return settings(max_examples=count, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


# ---------------------------------------------------------------- the test set itself


def test_the_set_has_enough_sourced_published_messages():
    assert len(SCAMS) >= 15 and len(OFFICIALS) >= 5
    ids = [m["id"] for m in MESSAGES]
    assert len(ids) == len(set(ids))
    bad = [
        m["id"]
        for m in MESSAGES
        if not re.match(r"https?://\S+$", m["source"])
        or m["kind"] not in ("scam", "official")
        or m["published_as"] not in ("quoted", "described")
        or m["channel"] not in ("sms", "email", "call")
        or not str(m["text"]).strip()
    ]
    assert bad == []


def test_the_header_counts_match_the_messages():
    header = MESSAGES_FILE.read_text(encoding="utf-8").split("\nmessages:", 1)[0]
    assert f"scam ({len(SCAMS)})" in header and f"official ({len(OFFICIALS)})" in header
    quoted = sum(m["published_as"] == "quoted" for m in SCAMS)
    assert f"Dont {quoted} cités (`quoted`) et {len(SCAMS) - quoted} décrits" in header


def test_the_published_messages_hold_no_personal_data():
    """Pasted as published, the messages lose nothing to the redaction but the official sender's address."""
    changed = [m["id"] for m in MESSAGES if redact(m["text"]) != m["text"] and m["id"] != "official-01"]
    assert changed == []


# ---------------------------------------------------------------- verdicts on the published messages


@pytest.mark.parametrize("message", SCAMS, ids=[m["id"] for m in SCAMS])
def test_every_published_scam_shows_a_warning_sign(message):
    report = scam.check(message["text"])
    assert report.flagged, report
    for audience in AUDIENCES:
        reply = scam.render(report, audience)
        assert FRAUD_HEADING.search(reply)


@pytest.mark.parametrize("message", OFFICIALS, ids=[m["id"] for m in OFFICIALS])
def test_no_official_message_is_called_a_scam(message):
    report = scam.check(message["text"])
    assert report.alerts == (), report.alerts
    for audience in AUDIENCES:
        reply = scam.render(report, audience)
        assert not FRAUD_HEADING.search(reply)
        assert "ne prouve pas" in reply  # « no usual sign » is never « genuine »


@pytest.mark.parametrize("message", MESSAGES, ids=[m["id"] for m in MESSAGES])
def test_every_answer_ends_with_the_closing_line_and_never_says_safe(message):
    report = scam.check(message["text"])
    for audience in AUDIENCES:
        reply = scam.render(report, audience)
        assert reply.splitlines()[-1] == scam.CLOSING
        assert not says_safe(reply), reply


# ---------------------------------------------------------------- each sign


@pytest.mark.parametrize(
    ("text", "kind", "detail"),
    [
        ("Activez votre espace : https://monespacesante-fr.com/x", "look_alike_link", "monespacesante-fr.com"),
        ("Rendez-vous sur ameli-fr.info pour continuer", "look_alike_link", "ameli-fr.info"),
        ("Connectez-vous sur www.monespace-sante.fr", "look_alike_link", "monespace-sante.fr"),
        ("Votre dossier : https://bit.ly/3xYzAbC", "short_link", "bit.ly"),
        ("Votre dossier : https://exemple-colis.net/x", "foreign_link", "exemple-colis.net"),
        ("Votre compte : https://amel\u0456.fr/connexion", "look_alike_link", "xn--amel-o9d.fr"),  # Cyrillic і
        ("Détails sur https://www.monespacesante.fr/questions-frequentes", "official_link", "monespacesante.fr"),
        ("Détails sur https://declare.ameli.fr", "official_link", "declare.ameli.fr"),
    ],
)
def test_links_are_judged_by_their_domain(text, kind, detail):
    signs = {(s.kind, s.detail) for s in (*scam.check(text).alerts, *scam.check(text).notes)}
    assert (kind, detail) in signs


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Merci de nous communiquer votre mot de passe pour finaliser", "secrets"),
        ("Confirmez vos identifiants FranceConnect", "secrets"),
        ("Donnez-nous le code reçu par SMS", "secrets"),
        ("Envoyez votre RIB pour le remboursement", "bank"),
        ("Indiquez votre IBAN", "bank"),
        ("Saisissez votre numéro de carte bancaire", "bank"),
        ("Des frais de 1,90 € sont à payer", "payment"),
        ("Merci de régler la somme due", "payment"),
        ("Répondez sous 24h", "urgency"),
        ("Dernier rappel avant clôture", "urgency"),
        ("Votre compte est suspendu", "urgency"),
        ("Votre accès expire demain", "urgency"),
        ("Votre dossier est bloqué", "urgency"),
        ("Commandez votre nouvelle carte Vitale", "vitale"),
        ("Rappelez-nous au 08 99 12 34 56", "call_number"),
        ("On m'a proposé de m'aider à créer mon espace santé", "help_create"),
        ("Merci de nous indiquer votre numéro de sécurité sociale", "nir"),
    ],
)
def test_each_warning_sign_is_found(text, kind):
    assert kind in {s.kind for s in scam.check(text).alerts}


@pytest.mark.parametrize(
    "text",
    [
        "Pour toute question, appelez le 3422.",
        "Votre service Mon espace santé a été créé. Rendez-vous sur monespacesante.fr.",
        "Bonjour, voici votre rendez-vous de mardi.",
    ],
)
def test_plain_messages_show_no_warning_sign(text):
    assert scam.check(text).alerts == ()


def test_empty_text_or_a_button_payload_is_not_a_message():
    for text in ("", "   ", None, '/faq{"answer": "report_phishing"}'):
        report = scam.check(text)
        assert report.empty and not report.flagged
        assert scam.render(report).splitlines()[-1] == scam.CLOSING


# ---------------------------------------------------------------- redaction first


def test_check_reads_only_what_the_redaction_returns(monkeypatch):
    """A planted redaction that returns another text: check() must see that text, never the one it was given."""
    calls = []

    def fake_redact(text):
        calls.append(text)
        return "Rendez-vous sur https://bit.ly/leurre"

    monkeypatch.setattr(scam, "redact", fake_redact)
    report = scam.check("Votre compte : https://monespacesante.fr")
    assert calls == ["Votre compte : https://monespacesante.fr"]
    assert {s.kind for s in report.alerts} == {"short_link"}
    assert "official_link" not in report.kinds


def test_pasted_phone_email_and_nir_never_come_back():
    text = (
        "Assurance Maladie : votre carte Vitale expire. Rappelez Mme Jeanne Martin au 06 12 34 56 78 "
        "ou écrivez à jeanne.martin@exemple-mail.fr avec votre numéro 1 85 05 78 006 084 36 : "
        "https://ameli-vital.fr/?mail=jeanne.martin@exemple-mail.fr&tel=0612345678"
    )
    for audience in AUDIENCES:
        reply = scam.render(scam.check(text), audience)
        digits = re.sub(r"\D", "", reply)
        assert "12345678" not in digits and "1850578" not in digits and "08436" not in digits
        assert "jeanne" not in reply.lower() and "martin" not in reply.lower() and "exemple-mail" not in reply
        assert "ameli-vital.fr" in reply  # the warning sign is still named


def _template_patterns() -> list[re.Pattern[str]]:
    """Every line an answer may hold: the fixed lines and the templates (the detail is a web address)."""
    fixed = [scam.CLOSING, scam.HOURS]
    lines = []
    for texts in (scam._CITIZEN, scam._ADVISOR):
        lines += [re.escape(t).replace(re.escape("{detail}"), r"[a-z0-9.-]+") for t in texts.values()]
    lines += [re.escape(line) for line in fixed]
    return [re.compile(line) for line in lines]


TEMPLATES = _template_patterns()
HEADINGS = re.compile(r"J'ai trouvé \d+ signes? d'alerte dans ce message :|Le message montre \d+ signes? d'alerte :")


def _unknown_lines(reply: str) -> list[str]:
    """Lines that are not made only of template sentences (a heading line, or one or two sign sentences)."""
    unknown = []
    for line in reply.splitlines():
        rest = line
        for pattern in TEMPLATES:
            rest = pattern.sub("", rest)
        rest = HEADINGS.sub("", rest)
        if rest.strip() and rest not in line_free_text():
            unknown.append(line)
    return unknown


def line_free_text() -> set[str]:
    """The lines render() writes outside the sign templates."""
    return {
        scam._NEVER, scam._ALREADY, scam._ADVISOR_ALREADY,
        "Je n'ai trouvé aucun des signes d'alerte habituels dans ce message.",
        "Cela ne prouve pas que le message est vrai.",
        "Le message ne montre aucun des signes d'alerte habituels. Cela ne prouve pas qu'il est vrai.",
        "Je n'ai pas reçu de message à vérifier.", "Aucun message à vérifier n'a été reçu.",
        "Je n'ai pas pu lire ce message.", "Le message n'a pas pu être analysé.",
    }  # fmt: skip


@settings_for(150)
@given(
    planted=st.one_of(ps.nir_sentences(), ps.phone_sentences(), ps.email_sentences()),
    message=st.sampled_from([m["text"] for m in MESSAGES]),
    audience=st.sampled_from(AUDIENCES),
)
def test_personal_data_pasted_with_a_published_message_never_comes_back(planted, message, audience):
    raw = f"{message}\n{planted.text}"
    report = scam.check(raw)
    reply = scam.render(report, audience)
    assert reply == scam.render(scam.check(redact(raw)), audience)  # the same answer as for the redacted text
    assert _unknown_lines(reply) == []  # only template sentences: nothing of the message is copied
    assert [s.detail for s in (*report.alerts, *report.notes) if s.detail and planted.leaks(s.detail)] == []
    assert reply.splitlines()[-1] == scam.CLOSING


@settings_for(300)
@given(text=st.text(max_size=400), audience=st.sampled_from(AUDIENCES))
def test_any_text_gets_the_closing_line_and_never_a_safe_verdict(text, audience):
    reply = scam.render(scam.check(text), audience)
    assert reply.splitlines()[-1] == scam.CLOSING
    assert not says_safe(reply)
    assert _unknown_lines(reply) == []


# ---------------------------------------------------------------- the wording comes from the knowledge file


def test_the_facts_of_the_answers_are_in_the_knowledge_file():
    knowledge = KNOWLEDGE.read_text(encoding="utf-8")
    for fact in ("assurance-maladie@info.ameli.fr", "3422", "8h30", "17h30", "monespacesante.fr", "ameli.fr",
                 "32 millions", "septembre 2024", "mi-février 2025", "renouvellement de carte Vitale",
                 "aider à créer Mon espace santé", "usurpation d'identité", "coordonnées bancaires", "mot de passe",
                 "numéro de sécurité sociale", "urgence", "demande de paiement"):  # fmt: skip
        assert fact in knowledge, fact
    assert "tapez monespacesante.fr vous-même" in scam.CLOSING


def test_the_question_never_asks_for_a_secret():
    asking = re.compile(
        r"(donnez|envoyez|indiquez|tapez|écrivez)[- ]moi .*(code|mot de passe|numéro de sécurité)", re.I
    )
    for audience in AUDIENCES:
        text = scam.ask_text(audience)
        assert text.startswith("Copiez ici le message reçu") and not asking.search(text)


@pytest.mark.parametrize(("text", "asked"), [
    ("ameli-vitale-maj.com c un vrai site ameli ou pas", True),  # imitates an official address
    ("ya un lien bizarre genre ameli-vitale-maj.com jsp", True),
    ("est-ce que www.monespacesante.fr est le vrai site ?", True),  # an official one, with a doubt
    ("bit.ly/3xYz on me dit de cliquer", True),  # a shortened link
    ("monespacesante.fr ne marche pas", False),
    ("comment activer sur monespacesante.fr", False),
    # where to click on the official site is no doubt about it (an advisor's session, 6 December 2026)
    ("on est sur monespacesante.fr avec elle. mdp oublié, on clique où ? ça envoie un truc sur sa boite ?", False),
    ("je dois cliquer sur monespacesante.fr ?", True), ("ameli-vitale-maj.com on clique où ?", True),
    ("je vais sur doctolib.fr pour un rdv", False),
    ("g recu un sms avec un lien", False),  # no address: the classifier's answer on suspicious messages
    ("mon e-mail est jean.dupont@gmail.com c normal ?", False),  # an e-mail address is no web address
    ("/faq{\"answer\": \"report_phishing\"}", False),
])  # fmt: skip
def test_an_address_asked_about_is_recognised(text, asked):
    assert scam.asks_about_a_link(text) is asked


def test_a_question_about_an_address_is_no_message_claiming_to_come_from_the_assurance_maladie():
    asked = "ameli-vitale-maj.com c un vrai site ameli ou pas"
    assert "sender_claim" in scam.check(asked).kinds
    report = scam.check_addresses(asked)
    assert report.kinds == {"look_alike_link"} and report.flagged
    assert "ni monespacesante.fr ni ameli.fr" in scam.render(report)
