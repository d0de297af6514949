"""« Cette réponse vous a aidé ? » in Debian's Chromium: the site in front of a stub Rasa that answers with bank
answers (their id in a custom message, as Rasa's REST channel sends it), and a SQLite feedback database per test."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import web_front

pytestmark = pytest.mark.slow

LOG = "#chat-log"
BOT = f"{LOG} li[data-role='bot']"
FEEDBACK = ".chat-feedback"
STATUS = ".chat-feedback__status"
ADVISOR_WELCOME = "Mode accompagnement : suivez les étapes avec la personne."


def answer_for(message: str) -> list[dict]:
    """What the stub Rasa says: the advisors' welcome for the silent start, else one bank answer and its id."""
    if message.startswith("/set_audience"):
        return [{"text": ADVISOR_WELCOME, "buttons": [{"title": "Masquer un document", "payload": "/x"}]}]
    answer_id = "is_it_free" if "gratuit" in message else "code_missing"
    return [
        {"text": f"Réponse {answer_id}.\nPlus d'infos : https://www.ameli.fr",
         "buttons": [{"title": "Parler à un conseiller", "payload": '/faq{"answer": "ask_human"}'}]},
        {"custom": {"answer_id": answer_id}},
    ]  # fmt: skip


class StubRasa(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # http.server calls it by this name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = json.dumps(answer_for(body["message"])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def stub_rasa() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def database(tmp_path) -> str:
    return str(tmp_path / "feedback.db")


@pytest.fixture
def site(stub_rasa, database) -> Iterator[str]:
    with web_front(stub_rasa, "web_feedback.log", MES_FEEDBACK_DB_URL=f"sqlite:///{database}") as url:
        yield url


@pytest.fixture
def tab(browser, site):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.site = site
    yield page
    context.close()


def stored(database: str) -> list[tuple]:
    if not Path(database).exists():
        return []  # nothing was ever written
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT answer_id, helpful, reason, audience, date FROM feedback ORDER BY id").fetchall()


def today() -> str:
    return datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def ask(page, text: str) -> None:
    before = page.locator(BOT).count()
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    page.wait_for_function("([s, n]) => document.querySelectorAll(s).length > n", arg=[BOT, before])
    page.wait_for_selector("#chat-typing", state="hidden")


def active(page, expression: str = "document.activeElement.dataset.feedback || document.activeElement.id"):
    return page.evaluate(expression)


def test_no_then_a_reason_is_stored_and_thanked_once(tab, database):
    tab.goto(tab.site)
    assert tab.locator(FEEDBACK).count() == 0  # the local welcome is not an answer of the bank
    ask(tab, "je n'ai pas reçu mon code")
    answer = tab.locator(BOT).last
    control = answer.locator(FEEDBACK)
    assert control.get_attribute("role") == "group"
    assert "Cette réponse vous a aidé ?" in control.inner_text()
    assert answer.locator(".chat-quick-replies button").count() == 1  # the answer's own buttons are still there
    control.locator("button", has_text="Non").click()
    reasons = control.locator(".chat-feedback__why button")
    assert reasons.all_inner_texts() == ["Pas ma question", "Trop compliqué", "Information fausse", "Autre"]
    assert active(tab) == "pas_ma_question"  # the focus went to the first reason
    assert stored(database) == []  # nothing yet: one row per feedback, with its reason
    control.locator("button", has_text="Trop compliqué").click()
    tab.wait_for_function("s => document.querySelector(s).textContent.includes('Merci')", arg=f"{BOT} {STATUS}")
    assert control.locator(STATUS).inner_text() == "Merci, c'est noté."
    assert control.locator(STATUS).get_attribute("role") == "status"
    assert stored(database) == [("code_missing", 0, "trop_complique", "citizen", today())]
    assert all(b.get_attribute("aria-disabled") == "true" for b in control.locator("button").all())
    control.locator("button", has_text="Autre").click(force=True)  # disabled: nothing more is sent
    tab.wait_for_timeout(300)
    assert len(stored(database)) == 1
    ask(tab, "c'est gratuit ?")  # another answer: its own control
    tab.locator(BOT).last.locator(FEEDBACK).locator("button", has_text="Oui").click()
    tab.wait_for_function("s => [...document.querySelectorAll(s)].pop().textContent.includes('Merci')",
                          arg=f"{BOT} {STATUS}")  # fmt: skip
    assert stored(database)[-1] == ("is_it_free", 1, None, "citizen", today())
    tab.reload()  # the conversation comes back; the feedback given is not offered again
    assert tab.locator(BOT).count() == 3 and tab.locator(FEEDBACK).count() == 0
    stored_history = tab.evaluate("sessionStorage.getItem('mes-chat:history')")
    assert '"answerId":"code_missing"' in stored_history and "Trop compliqué" not in stored_history
    assert tab.problems == []


def test_keyboard_only_and_axe(tab, database):
    from axe_playwright_python.sync_playwright import Axe

    tab.goto(tab.site)
    tab.focus("#chat-input")
    tab.keyboard.type("je n'ai pas reçu mon code")
    tab.keyboard.press("Enter")
    tab.wait_for_selector(f"{BOT} {FEEDBACK}")
    assert active(tab) == "chat-input"  # the answer does not steal the focus
    for _ in range(30):  # back up from the input to « Non »
        tab.keyboard.press("Shift+Tab")
        if active(tab) == "no":
            break
    assert active(tab) == "no"
    assert tab.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    tab.keyboard.press("Enter")
    assert active(tab) == "pas_ma_question"
    tab.keyboard.press("Tab")
    tab.keyboard.press("Tab")
    assert active(tab) == "information_fausse"
    results = Axe().run(tab)  # the control with its reasons shown
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], results.generate_report()
    tab.keyboard.press("Space")
    tab.wait_for_function("s => document.querySelector(s).textContent === \"Merci, c'est noté.\"",
                          arg=f"{BOT} {STATUS}")  # fmt: skip
    assert active(tab) == "information_fausse"  # the focus stays where it was
    assert tab.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    assert stored(database) == [("code_missing", 0, "information_fausse", "citizen", today())]
    results = Axe().run(tab)  # after: disabled buttons, the thanks
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], results.generate_report()
    assert tab.problems == []


def test_advisors_report_an_inexact_step(tab, database):
    tab.goto(f"{tab.site}/accompagnement")
    tab.wait_for_function("s => document.querySelectorAll(s).length > 0", arg=BOT)
    assert ADVISOR_WELCOME in tab.locator(BOT).first.inner_text()
    assert tab.locator(FEEDBACK).count() == 0
    ask(tab, "la personne n'a pas reçu son code")
    control = tab.locator(BOT).last.locator(FEEDBACK)
    assert "Cette réponse vous a aidé ?" not in control.inner_text()
    assert control.locator("button").all_inner_texts() == ["Signaler une erreur"]
    control.locator("button", has_text="Signaler une erreur").click()
    reasons = control.locator(".chat-feedback__why button").all_inner_texts()
    assert reasons == ["Pas ma question", "Trop compliqué", "Information fausse", "Étape inexacte", "Autre"]
    assert "Quelle erreur ?" in control.inner_text()
    control.locator("button", has_text="Étape inexacte").click()
    tab.wait_for_function("s => document.querySelector(s).textContent.includes('Merci')", arg=f"{BOT} {STATUS}")
    assert stored(database) == [("code_missing", 0, "etape_inexacte", "advisor", today())]
    assert tab.problems == []


def test_a_refused_feedback_is_said_and_can_be_retried(tab, database):
    tab.goto(tab.site)
    ask(tab, "je n'ai pas reçu mon code")
    control = tab.locator(BOT).last.locator(FEEDBACK)
    tab.context.clear_cookies()  # the conversation cookie is gone (e.g. the site restarted with a new key)
    control.locator("button", has_text="Oui").click()
    tab.wait_for_function("s => document.querySelector(s).textContent.includes('expiré')", arg=f"{BOT} {STATUS}")
    assert control.locator("button", has_text="Oui").get_attribute("aria-disabled") is None  # usable again
    assert stored(database) == []
    tab.problems.clear()  # the browser logs the refused request (403) as a console error


def test_real_answers_of_the_bank_carry_the_control(page):
    """The whole stack (trained model, action server, Rasa's REST channel): the answer id reaches the page.
    Nothing is clicked: this site writes to the default feedback database."""
    from axe_playwright_python.sync_playwright import Axe

    ask(page, "qui peut voir mes documents")
    answers = page.locator(f"{BOT}:has({FEEDBACK})")
    assert answers.count() == 1
    assert "Cette réponse vous a aidé ?" in answers.last.inner_text()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], results.generate_report()
    assert page.problems == []
