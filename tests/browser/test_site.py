"""The citizen site in Debian's Chromium (headless), driven by Playwright: what a person sees and does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

LOG = "#chat-log"
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "reports" / "browser"
BOT = f"{LOG} li[data-role='bot']"
USER = f"{LOG} li[data-role='user']"


def send(page, text: str) -> None:
    """Type a message and press Enter, then wait for the assistant's answer."""
    before = page.locator(BOT).count()
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    wait_for_answer(page, before)


def wait_for_answer(page, before: int) -> None:
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[BOT, before], timeout=60_000
    )
    page.wait_for_selector("#chat-typing", state="hidden")


def last_bot_texts(page, count: int = 1) -> str:
    texts = page.locator(BOT).all_inner_texts()
    return "\n".join(texts[-count:])


def test_page_says_what_it_is_and_never_asks_for_secrets(page):
    assert page.title()
    assert page.locator("h1").count() == 1
    body = page.inner_text("body")
    assert "numéro de sécurité sociale" in body and "3422" in body
    assert page.locator("a[href^='https://www.monespacesante.fr']").count() >= 1
    assert page.locator("a[href='tel:3422']").count() >= 1
    assert page.locator(BOT).count() == 1  # the welcome message
    assert page.locator(".chat-quick-replies button").count() >= 3
    assert page.problems == []


def test_ask_read_answer_click_quick_reply_and_links_are_safe(page):
    send(page, "j'ai perdu mon code provisoire")
    answer = page.locator(BOT).last
    assert "code" in answer.inner_text().lower()
    links = answer.locator("a")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("href").startswith("https://")
        assert "noopener" in link.get_attribute("rel")
    before = page.locator(BOT).count()
    quick = page.locator(BOT).last.locator(".chat-quick-replies button").first
    title = quick.inner_text()
    quick.click()
    wait_for_answer(page, before)
    assert page.locator(USER).last.inner_text().endswith(title)
    assert page.problems == []


def test_find_france_services_by_postcode(page):
    before = page.locator(BOT).count()
    page.locator(".chat-quick-replies button", has_text="France services").first.click()
    wait_for_answer(page, before)
    assert "commune" in last_bot_texts(page)
    send(page, "88000")
    results = page.locator(BOT).all_inner_texts()
    text = "\n".join(results[-5:])
    assert "Épinal (88)" in text
    assert len(re.findall(r"^[123]\. ", text, flags=re.M)) == 3
    assert page.locator(f"{BOT} a[href^='https://www.openstreetmap.org/']").count() == 3
    assert page.problems == []


def test_user_text_is_never_html(page):
    send(page, "<img src=x onerror=\"document.title='pwned'\"><b>gras</b>")
    assert page.locator(f"{LOG} img").count() == 0
    assert page.locator(f"{LOG} b").count() == 0
    assert "<b>gras</b>" in page.locator(USER).last.inner_text()
    assert page.title() != "pwned"


def test_conversation_survives_reload_until_cleared(page):
    send(page, "bonjour")
    assert page.locator(USER).count() == 1
    page.reload()
    assert page.locator(USER).count() == 1  # same tab: kept in session storage
    page.click("#chat-clear")
    assert page.locator(USER).count() == 0
    assert page.locator(BOT).count() == 1  # welcome again
    page.reload()
    assert page.locator(USER).count() == 0
    assert page.evaluate("Object.keys(sessionStorage).every(k => !sessionStorage.getItem(k).includes('bonjour'))")


def test_keyboard_only(page):
    tab_to(page, "chat-input")
    before = page.locator(BOT).count()
    page.keyboard.type("qui peut voir mes documents")
    page.keyboard.press("Enter")
    wait_for_answer(page, before)
    assert page.evaluate("document.activeElement.id") == "chat-input"  # focus not stolen by the answer
    # reach a quick reply of the last answer with Shift+Tab, activate it with Enter
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("!!document.activeElement.closest('.chat-quick-replies')"):
            break
    assert page.evaluate("!!document.activeElement.closest('.chat-quick-replies')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    before = page.locator(BOT).count()
    page.keyboard.press("Enter")
    wait_for_answer(page, before)
    # France Services by postcode, keyboard only: the page's button, then the postcode, then clear.
    tab_to(page, "page-find-france-services")
    before = page.locator(BOT).count()
    page.keyboard.press("Enter")
    wait_for_answer(page, before)
    tab_to(page, "chat-input", backwards=True)
    before = page.locator(BOT).count()
    page.keyboard.type("54000")
    page.keyboard.press("Enter")
    wait_for_answer(page, before)
    assert "Nancy (54)" in "\n".join(page.locator(BOT).all_inner_texts()[-5:])
    tab_to(page, "chat-clear")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#chat-log li[data-role=user]').length === 0")
    assert page.problems == []


def tab_to(page, element_id: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element with ``element_id`` has the focus."""
    for _ in range(80):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the keyboard")


def test_phone_width_320(browser, site_url):
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(site_url)
    send(page, "une France services près de Épinal")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path="reports/browser/phone_320.png", full_page=True)
    context.close()
    assert width <= 320


def test_position_is_asked_then_used(browser, site_url):
    context = browser.new_context(
        locale="fr-FR", geolocation={"latitude": 48.6921, "longitude": 6.1844}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto(site_url)
    send(page, "je cherche une france services")
    page.locator(f"{BOT} .chat-quick-replies button", has_text="position").last.click()
    page.wait_for_selector("#chat-consent", state="visible")
    before = page.locator(BOT).count()
    page.click("#chat-consent-yes")
    wait_for_answer(page, before)
    assert "votre position" in "\n".join(page.locator(BOT).all_inner_texts()[-5:])
    context.close()


def test_axe_finds_no_serious_or_critical_violation(page):
    from axe_playwright_python.sync_playwright import Axe

    send(page, "une France services près de Nancy")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], results.generate_report()


def test_rasa_down_is_said_plainly_and_the_message_is_kept(browser, site_without_rasa):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(site_without_rasa)
    page.fill("#chat-input", "bonjour")
    page.press("#chat-input", "Enter")
    alert = page.locator(f"{LOG} li[data-role='system']").last
    alert.wait_for()
    assert "ne répond pas" in alert.inner_text() and "3422" in alert.inner_text()
    assert page.input_value("#chat-input") == "bonjour"  # nothing lost
    assert page.locator(f"{LOG} li[data-role='system'] button", has_text="Réessayer").count() == 1
    page.screenshot(path="reports/browser/rasa_down.png")
    context.close()


def test_advisor_runs_a_procedure_and_prints_the_summary_sheet(browser, site_url):
    """France Services advisor page: one whole procedure, then the sheet printed to PDF by Chromium."""
    import io

    from pypdf import PdfReader

    from bot import procedures

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/accompagnement")
    page.wait_for_function("() => document.querySelectorAll('#chat-log li[data-role=bot]').length > 0")
    assert "Mode accompagnement" in page.locator(BOT).first.inner_text()
    before = page.locator(BOT).count()
    page.locator(".chat-quick-replies button", has_text="Masquer un document").first.click()
    wait_for_answer(page, before)
    total = len(procedures.PROCEDURES["hide_document"].steps)
    assert f"Étape 1 sur {total}" in last_bot_texts(page)
    assert "usager" in last_bot_texts(page, 2).lower()  # the advisor's wording
    for _ in range(total):
        before = page.locator(BOT).count()
        buttons = page.locator(BOT).last.locator(".chat-quick-replies button")
        buttons.filter(has_text="Fait").first.click()
        wait_for_answer(page, before)
    before = page.locator(BOT).count()
    page.click("#chat-summary-request")
    wait_for_answer(page, before)
    page.wait_for_selector("#summary")
    assert "Fiche récapitulative" in page.inner_text("#summary")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    (ARTIFACTS_DIR / "fiche_recapitulative.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    context.close()
    assert len(reader.pages) == 1
    assert "Fiche récapitulative" in text and "Ce qui a été fait" in text and "Vos prochaines étapes" in text
    assert procedures.PROCEDURES["hide_document"].summary_done.split(".")[0][:30] in " ".join(text.split())
    assert "3422" in text
    for absent in ("Votre message", "Envoyer", "Effacer la conversation", "Mode accompagnement"):
        assert absent not in text  # only the sheet is printed
