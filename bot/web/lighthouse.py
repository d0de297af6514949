"""`make lighthouse`: measure both pages with Lighthouse (mobile, simulated slow 4G) and fail under the bars.

Starts the site on a free port in front of a stub Rasa (the advisors' page sends one silent /api/chat at
load), runs ``npx lighthouse`` (the exact version of package.json, installed by ``make install``) with
Debian's Chromium on ``/`` and ``/accompagnement``, ``RUNS`` times each, and keeps the median run (by first
contentful paint), as Lighthouse's own documentation advises against the variability of one run on a shared
machine: its report in reports/lighthouse/<page>.report.{json,html}, its figures printed in French. Exit status 1
when a bar is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
from collections.abc import Awaitable, Callable
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
ATTEMPTS = 3  # per run, when Lighthouse itself fails to record the trace (seen once in CI: NO_NAVSTART)
RUNS = 3  # per page; the median run is kept (one run's first paint varied from 1.2 s to 1.9 s here)


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


def median_run(runs: list[dict[str, float]]) -> int:
    """The index of the run with the median first contentful paint (the lower middle one for an even count)."""
    order = sorted(range(len(runs)), key=lambda i: runs[i]["fcp_ms"])
    return order[(len(runs) - 1) // 2]


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


def tool_failure(stderr: str) -> bool:
    """Whether Lighthouse stopped on its own trace or protocol error (``NO_NAVSTART``, ``PROTOCOL_TIMEOUT``…).

    Such a run measured nothing: it is run again. A page that fails to load is not one of these."""
    return "Runtime error encountered" in stderr and "FAILED_DOCUMENT_REQUEST" not in stderr


RunOnce = Callable[[list[str], str, str], Awaitable[tuple[int, str]]]


async def _run_once(command: list[str], chrome: str, url: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": chrome},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT_S)
    except asyncio.TimeoutError:
        process.kill()
        raise SystemExit(f"Lighthouse n'a pas fini en {TIMEOUT_S} s sur {url}.") from None
    return process.returncode or 0, stderr.decode("utf-8", "replace")


async def lighthouse(url: str, output: Path, chrome: str, run_once: RunOnce = _run_once) -> dict[str, Any]:
    """Run Lighthouse on ``url``; return its JSON report (also written to ``output``.report.json/.html).

    A run that Lighthouse itself could not record (``tool_failure``) is tried again, up to ``ATTEMPTS`` times."""
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("npx (Node.js) manque : installez-le, puis lancez « make install ».")
    command = [
        npx, "--no-install", "lighthouse", url, "--output", "json", "--output", "html",
        "--output-path", str(output), f"--chrome-flags={CHROME_FLAGS}", "--quiet",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]  # fmt: skip
    for attempt in range(1, ATTEMPTS + 1):
        code, stderr = await run_once(command, chrome, url)
        if code == 0:
            return json.loads(Path(f"{output}.report.json").read_text(encoding="utf-8"))
        sys.stderr.write(stderr)
        if not tool_failure(stderr):
            break
        if attempt < ATTEMPTS:
            print(f"Lighthouse n'a pas pu enregistrer la page ({url}) : nouvel essai {attempt + 1}/{ATTEMPTS}.")
    raise SystemExit(f"Lighthouse a échoué sur {url} (code {code}).")


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
            runs = [figures(await lighthouse(site_url + path, REPORTS / f"{name}-run{i}", chrome)) for i in range(RUNS)]
            median = median_run(runs)
            for suffix in (".report.json", ".report.html"):
                (REPORTS / f"{name}-run{median}{suffix}").replace(REPORTS / f"{name}{suffix}")
                for i in range(RUNS):
                    (REPORTS / f"{name}-run{i}{suffix}").unlink(missing_ok=True)
            results[name] = runs[median]
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
