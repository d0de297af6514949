"""Reading aids in Debian's Chromium: « Écouter » (the browser's own speech synthesis) under each answer, and
« Taille du texte » (Normale / Grande / Très grande, kept in localStorage), on both pages."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_site import BOT, send, tab_to

pytestmark = pytest.mark.slow

LISTEN = ".chat-listen button"
# Headless Chromium may have no voice at all: speak and cancel are replaced by recorders.
RECORD_SPEECH = """
window.__spoken = [];
window.__cancels = 0;
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => {
    window.__spoken.push({ text: u.text, lang: u.lang, rate: u.rate, voice: u.voice ? u.voice.lang : null });
  };
  window.speechSynthesis.cancel = () => { window.__cancels += 1; };
}
"""
NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"


def new_tab(browser, site_url: str, init_script: str | None = None, path: str = "/"):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on(
        "request",
        lambda r: None if r.url.startswith((site_url, "data:", "blob:")) else page.problems.append(f"request: {r.url}"),
    )
    page.goto(site_url + path)
    return page


def spoken(page) -> list[dict]:
    return page.evaluate("window.__spoken")


def bubble_text(message) -> str:
    """The text of a message as seen (without its visually hidden « Assistant : »)."""
    return message.locator(".chat-msg__text").evaluate(
        "p => [...p.childNodes].filter(n => !(n.classList && n.classList.contains('fr-sr-only')))"
        ".map(n => n.textContent).join('')"
    )


def test_listen_reads_the_answer_in_french_and_toggles(browser, site_url):
    page = new_tab(browser, site_url, RECORD_SPEECH)
    send(page, "qui peut voir mes documents")
    answers = page.locator(BOT)
    assert answers.count() >= 2
    # every answer with a text has its « Écouter », and only one; user messages have none
    for i in range(answers.count()):
        if answers.nth(i).locator(".chat-msg__text").count():
            assert answers.nth(i).locator(LISTEN).count() == 1
    assert page.locator(f"#chat-log li[data-role='user'] {LISTEN}").count() == 0
    answer = answers.last
    button = answer.locator(LISTEN)
    assert button.inner_text().strip() == "Écouter"
    button.click()
    assert button.inner_text().strip() == "Arrêter"
    calls = spoken(page)
    assert len(calls) == 1
    assert calls[0]["lang"] == "fr-FR"
    assert abs(calls[0]["rate"] - 0.9) < 1e-6
    expected = bubble_text(answer)
    if "http" not in expected:
        assert calls[0]["text"].strip() == expected.strip()
    assert "http" not in calls[0]["text"]
    assert "Parler à un conseiller" not in calls[0]["text"]  # the buttons are not read
    # pressed again: the reading stops
    cancels = page.evaluate("window.__cancels")
    button.click()
    assert page.evaluate("window.__cancels") > cancels
    assert button.inner_text().strip() == "Écouter"
    assert len(spoken(page)) == 1
    # « Écouter » on another message stops the current one and reads that one
    button.click()
    first = answers.first.locator(LISTEN)
    cancels = page.evaluate("window.__cancels")
    first.click()
    assert page.evaluate("window.__cancels") > cancels
    assert button.inner_text().strip() == "Écouter"
    assert first.inner_text().strip() == "Arrêter"
    assert spoken(page)[-1]["text"].startswith("Bonjour, je suis l'assistant Mon espace santé.")
    assert page.problems == []
    page.context.close()


def test_links_are_said_le_lien_and_the_end_brings_listen_back(browser, site_url):
    """A saved answer with a URL (rendered from the tab's history): the URL is not spelt out."""
    record = RECORD_SPEECH.replace("window.__spoken.push", "window.__last = u; window.__spoken.push")
    page = new_tab(browser, site_url, record)
    text = "Plus d'infos : https://www.monespacesante.fr/questions-frequentes. Merci."
    history = [{"role": "bot", "text": text, "buttons": []}]
    page.evaluate("h => sessionStorage.setItem('mes-chat:history', h)", json.dumps(history))
    page.reload()
    button = page.locator(BOT).last.locator(LISTEN)
    button.click()
    assert spoken(page)[-1]["text"] == "Plus d'infos : le lien. Merci."
    assert button.inner_text().strip() == "Arrêter"
    page.evaluate("window.__last.onend(new Event('end'))")
    assert button.inner_text().strip() == "Écouter"
    button.click()
    page.evaluate("window.__last.onerror(new Event('error'))")
    assert button.inner_text().strip() == "Écouter"
    assert page.problems == []
    page.context.close()


@pytest.mark.parametrize("path", ["/", "/accompagnement"])
def test_no_listen_button_without_speech_synthesis(browser, site_url, path):
    page = new_tab(browser, site_url, NO_SPEECH, path)
    assert page.evaluate("!('speechSynthesis' in window) && typeof SpeechSynthesisUtterance === 'undefined'")
    page.wait_for_selector(BOT)
    if path == "/":
        send(page, "qui peut voir mes documents")
    assert page.locator(BOT).count() >= 1
    assert page.locator(LISTEN).count() == 0
    assert page.locator("text=Écouter").count() == 0
    assert page.problems == []
    page.context.close()


def font_size(page) -> float:
    return page.locator(f"{BOT} .chat-msg__text").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")


@pytest.mark.parametrize("path", ["/", "/accompagnement"])
def test_text_size_changes_the_messages_and_is_kept_after_reload(browser, site_url, path):
    page = new_tab(browser, site_url, path=path)
    page.wait_for_selector(BOT)
    legend = page.locator("fieldset.chat-text-size legend")
    assert legend.inner_text().strip() == "Taille du texte"
    assert page.is_checked("#chat-text-size-normal")
    normal = font_size(page)
    normal_input = page.eval_on_selector("#chat-input", "t => parseFloat(getComputedStyle(t).fontSize)")
    page.click("label[for='chat-text-size-xl']")
    assert font_size(page) == pytest.approx(normal * 1.5, rel=0.05)
    assert page.eval_on_selector("#chat-input", "t => parseFloat(getComputedStyle(t).fontSize)") > normal_input
    page.click("label[for='chat-text-size-lg']")
    assert font_size(page) == pytest.approx(normal * 1.25, rel=0.05)
    assert page.evaluate("document.documentElement.classList.contains('chat-text-lg')")
    page.reload()
    page.wait_for_selector(BOT)
    assert page.is_checked("#chat-text-size-lg")
    assert font_size(page) == pytest.approx(normal * 1.25, rel=0.05)
    page.click("label[for='chat-text-size-normal']")
    assert font_size(page) == pytest.approx(normal, rel=0.01)
    page.reload()
    page.wait_for_selector(BOT)
    assert font_size(page) == pytest.approx(normal, rel=0.01)
    assert page.problems == []
    page.context.close()


@pytest.mark.parametrize("path", ["/", "/accompagnement"])
def test_the_kept_text_size_is_applied_before_the_widget_runs(browser, site_url, path):
    """No flash at the normal size: the head's inline script sets the class, even with the modules blocked."""
    page = new_tab(browser, site_url, path=path)
    page.wait_for_selector(BOT)
    page.click("label[for='chat-text-size-xl']")
    page.route("**/assets/js/**", lambda route: route.abort())
    page.reload(wait_until="domcontentloaded")
    assert page.evaluate("document.documentElement.classList.contains('chat-text-xl')")
    assert not page.evaluate("document.documentElement.classList.contains('chat-text-lg')")
    assert not [p for p in page.problems if "Content Security Policy" in p]  # the inline script is allowed
    page.context.close()


def test_keyboard_only_text_size_and_listen(browser, site_url):
    page = new_tab(browser, site_url, RECORD_SPEECH)
    page.wait_for_selector(BOT)
    normal = font_size(page)
    tab_to(page, "chat-text-size-normal")
    # DSFR draws the focus on the radio's label
    assert page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle") != "none"
    page.keyboard.press("ArrowRight")  # radio group: arrows move and choose
    assert page.evaluate("document.activeElement.id") == "chat-text-size-lg"
    assert font_size(page) == pytest.approx(normal * 1.25, rel=0.05)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert page.is_checked("#chat-text-size-xl")
    assert font_size(page) == pytest.approx(normal * 1.5, rel=0.05)
    # Tab goes on to the conversation, then to the welcome's « Écouter »
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.chat-listen')"):
            break
    assert page.evaluate("!!document.activeElement.closest('.chat-listen')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Arrêter"
    assert len(spoken(page)) == 1
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Écouter"
    assert len(spoken(page)) == 1
    page.keyboard.press("Space")
    assert len(spoken(page)) == 2
    assert page.evaluate("document.activeElement.textContent.trim()") == "Arrêter"
    page.reload()
    page.wait_for_selector(BOT)
    assert page.is_checked("#chat-text-size-xl")  # chosen with the keyboard, kept
    assert page.problems == []
    page.context.close()


@pytest.mark.parametrize("path", ["/", "/accompagnement"])
def test_axe_with_the_reading_aids(browser, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page = new_tab(browser, site_url, path=path)
    page.wait_for_selector(BOT)
    if path == "/":
        send(page, "qui peut voir mes documents")
    assert page.locator(LISTEN).count() >= 1  # Debian's Chromium has speech synthesis
    assert page.locator("fieldset.chat-text-size").count() == 1
    page.click("label[for='chat-text-size-xl']")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], results.generate_report()
    page.context.close()
