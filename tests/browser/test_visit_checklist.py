"""« Préparer ma visite » in the browser: after a France Services search, the checklist printed on one A4 page."""

from __future__ import annotations

import io

import pytest

from tests.browser.test_site import ARTIFACTS_DIR, BOT, send, wait_for_answer

pytestmark = pytest.mark.slow


# Épinal, and the longest desk entry of the directory (two names, a long address: Sainte-Croix-Vallée-Française)
@pytest.mark.parametrize("place", ["88000", "Sainte-Croix-Vallée-Française"])
def test_the_visit_checklist_follows_the_search_and_prints_on_one_page(page, place):
    from pypdf import PdfReader

    send(page, f"France services près de {place}")
    results = "\n".join(page.locator(BOT).all_inner_texts()[-5:])
    nearest = results.split("1. ", 1)[1].split(",", 1)[0]  # « 1. <name>, à 2 km »
    before = page.locator(BOT).count()
    page.locator(BOT).last.locator(".chat-quick-replies button", has_text="Préparer ma visite").click()
    wait_for_answer(page, before)
    page.wait_for_selector("#summary")
    sheet = page.inner_text("#summary")
    assert "Préparer ma visite" in sheet and "À apporter" in sheet and "carte Vitale" in sheet
    assert nearest in sheet  # the desk found by the search
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS_DIR / f"preparer_ma_visite_{place[:5]}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 1
    assert "À apporter" in text and "Sur place" in text and "3422" in text and nearest in text
    for absent in ("Votre message", "Envoyer", "Effacer la conversation"):
        assert absent not in text  # only the sheet is printed
    assert page.problems == []
