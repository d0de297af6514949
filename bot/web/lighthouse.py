"""`make lighthouse`: measure both pages with Lighthouse (mobile, simulated slow 4G) and fail under the bars.

Starts the site on a free port in front of a stub Rasa (the advisors' page sends one silent /api/chat at
load), runs ``npx lighthouse`` (the exact version of package.json, installed by ``make install``) with
Debian's Chromium on ``/`` and ``/accompagnement``, keeps the reports in reports/lighthouse/<page>.report.{json,html}
and prints the figures in French. Exit status 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.web.app import create_app
from bot.web.settings import ROOT, Settings

PAGES = {"accueil": "/", "accompagnement": "/accompagnement"}
REPORTS = ROOT / "reports" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
# The bars (issue 15): mobile profile, first visit.
MIN_PERFORMANCE = 95
MAX_FCP_MS = 1800
MAX_TRANSFER_KB = 250  # kilo-octets of 1,024 bytes, as Lighthouse shows them (KiB)
MIN_ACCESSIBILITY = 100
TIMEOUT_S = 120


async def _stub_rasa(request: web.Request) -> web.Response:
    return web.json_response([{"text": "Bonjour, je suis l'assistant."}])


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


def figures(report: dict[str, Any]) -> dict[str, float]:
    """Performance and accessibility scores (0-100), first contentful paint (ms) and transfer (KiB)."""
    categories, audits = report["categories"], report["audits"]
    return {
        "performance": round((categories["performance"]["score"] or 0) * 100),
        "accessibility": round((categories["accessibility"]["score"] or 0) * 100),
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "transfer_kb": audits["total-byte-weight"]["numericValue"] / 1024,
    }


def misses(name: str, f: dict[str, float]) -> list[str]:
    """The bars ``f`` misses, one French sentence each."""
    missed = []
    if f["performance"] < MIN_PERFORMANCE:
        missed.append(f"{name} : performance {f['performance']} < {MIN_PERFORMANCE}")
    if f["fcp_ms"] > MAX_FCP_MS:
        missed.append(f"{name} : premier affichage {f['fcp_ms'] / 1000:.1f} s > {MAX_FCP_MS / 1000:.1f} s")
    if f["transfer_kb"] > MAX_TRANSFER_KB:
        missed.append(f"{name} : {f['transfer_kb']:.0f} Ko transférés > {MAX_TRANSFER_KB} Ko")
    if f["accessibility"] < MIN_ACCESSIBILITY:
        missed.append(f"{name} : accessibilité {f['accessibility']} < {MIN_ACCESSIBILITY}")
    return missed


def describe(name: str, f: dict[str, float]) -> str:
    return (
        f"{name:<15} performance {f['performance']:>3}  premier affichage {f['fcp_ms'] / 1000:.1f} s  "
        f"transfert {f['transfer_kb']:.0f} Ko  accessibilité {f['accessibility']}"
    )


async def lighthouse(url: str, output: Path, chrome: str) -> dict[str, Any]:
    """Run Lighthouse on ``url``; return its JSON report (also written to ``output``.report.json/.html)."""
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("npx (Node.js) manque : installez-le, puis lancez « make install ».")
    command = [
        npx, "--no-install", "lighthouse", url, "--output", "json", "--output", "html",
        "--output-path", str(output), f"--chrome-flags={CHROME_FLAGS}", "--quiet",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, env={**os.environ, "CHROME_PATH": chrome}, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        code = await asyncio.wait_for(process.wait(), TIMEOUT_S)
    except asyncio.TimeoutError:
        process.kill()
        raise SystemExit(f"Lighthouse n'a pas fini en {TIMEOUT_S} s sur {url}.") from None
    if code != 0:
        raise SystemExit(f"Lighthouse a échoué sur {url} (code {code}).")
    return json.loads(Path(f"{output}.report.json").read_text(encoding="utf-8"))


async def measure(chrome: str, pages: dict[str, str]) -> dict[str, dict[str, float]]:
    stub = web.Application()
    stub.router.add_post("/webhooks/rest/webhook", _stub_rasa)
    stub.router.add_get("/", lambda request: web.Response(text="Hello from Rasa"))
    stub_runner, rasa_url = await _serve(stub)
    settings = Settings(rasa_url=rasa_url, actions_health_url=f"{rasa_url}/")
    site_runner, site_url = await _serve(create_app(settings))
    REPORTS.mkdir(parents=True, exist_ok=True)
    try:
        results = {}
        for name, path in pages.items():
            results[name] = figures(await lighthouse(site_url + path, REPORTS / name, chrome))
        return results
    finally:
        await site_runner.cleanup()
        await stub_runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args.chrome, PAGES))
    missed = []
    for name, f in results.items():
        print(describe(name, f))
        missed += misses(name, f)
    print(f"Rapports : {REPORTS.relative_to(ROOT)}/<page>.report.html")
    if missed:
        print("Seuils manqués (mobile, 4G lente simulée) :\n- " + "\n- ".join(missed), file=sys.stderr)
        return 1
    print(
        f"Seuils tenus : performance ≥ {MIN_PERFORMANCE}, premier affichage ≤ {MAX_FCP_MS / 1000:.1f} s, "
        f"≤ {MAX_TRANSFER_KB} Ko, accessibilité {MIN_ACCESSIBILITY}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
