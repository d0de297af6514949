"""What makes the pages light on a weak phone signal: one small DSFR stylesheet, versioned URLs, compression.

- ``site_css``: only the parts of DSFR the pages use (core, the components below, the icons below, then
  only the rules of the ``fr-*`` classes the pages use), put together once per process from the installed
  package (no build step), followed by chat.css, and served at ``/assets/site.css``: about 130 KB instead of
  DSFR's 1.1 MB (dsfr.min.css + icons.min.css), one render-blocking request instead of three.
  Add a component or an icon here when a page or chat.js starts using a new one.
- ``version``: a short hash of a file's content, added by ``render_page`` to the pages' CSS and JS URLs
  (``?v=…``); such a URL is cached for a year (``immutable``), anything else is revalidated (``no-cache``).
- ``COMPRESSIBLE``: the text files sent gzip-compressed to a browser that accepts it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

# In DSFR's own order (dist/component/component.css), so the cascade is the same as with dsfr.min.css.
COMPONENTS = ("logo", "button", "form", "input", "link", "callout", "segmented", "skiplink", "footer", "header")
# Every fr-icon-* class in the pages, their partials and chat.js (tests/web/test_assets.py checks it).
ICONS = (
    "delete-line", "error-warning-line", "file-text-line", "flag-line", "lock-line", "map-pin-2-line",
    "phone-line", "printer-line", "send-plane-line", "stop-circle-line", "volume-up-line",
)  # fmt: skip
CSS_URL = "/assets/site.css"  # site_css: the DSFR parts used, then chat.css (one render-blocking request)
# The fonts of the first view, preloaded by the pages (the same URLs as in DSFR's @font-face rules).
FONTS = ("/dsfr/fonts/Marianne-Regular.woff2", "/dsfr/fonts/Marianne-Bold.woff2")
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".webmanifest", ".txt", ".map"})
LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def version(content: bytes) -> str:
    """The version put in a URL: the first 12 hex digits of the content's SHA-256."""
    return hashlib.sha256(content).hexdigest()[:12]


def _absolute_urls(css: str, relative_to: str) -> str:
    """``url(../fonts/x.woff2)`` in dist/<relative_to> becomes ``url(/dsfr/fonts/x.woff2)``."""

    def absolute(match: re.Match[str]) -> str:
        quote, url = match.groups()
        if url.startswith(("data:", "/", "#", "http:", "https:")):
            return match.group(0)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(relative_to), url))
        return f"url({quote}/dsfr/{path}{quote})"

    return URL.sub(absolute, css)


def icon_rules(icons_css: str, icons: tuple[str, ...] = ICONS) -> list[str]:
    """The mask-image rule of each icon (DSFR's rules for current browsers, not the IE ones)."""
    rules = []
    for name in icons:
        icon = re.escape(name)
        pattern = rf"\.fr-icon-{icon}:after,\.fr-icon-{icon}:before\{{-webkit-mask-image:[^}}]*\}}"
        match = re.search(pattern, icons_css)
        if match is None:
            raise ValueError(f"icône DSFR inconnue : fr-icon-{name}")
        rules.append(match.group(0))
    return rules


MEDIUM_FACE = re.compile(r"@font-face\{[^}]*font-weight:500[^}]*Marianne-Medium[^}]*\}")


CLASS = re.compile(r"\.(fr-[a-zA-Z0-9_-]+)")
USED_CLASS = re.compile(r"\bfr-[a-z0-9_-]*[a-z0-9]")
# The files whose fr-* classes the stylesheet keeps (the pages, their partials, the widget's script and CSS).
SOURCES = ("index.html", "accompagnement.html", "partials/header.html", "partials/footer.html",
           "partials/chat.html", "chat.js", "chat.css")  # fmt: skip


def used_classes(static_dir: Path) -> set[str]:
    """Every fr-* word in the pages, their partials, chat.js and chat.css."""
    return {c for name in SOURCES for c in USED_CLASS.findall((static_dir / name).read_text(encoding="utf-8"))}


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``(prelude, body)`` pairs of minified CSS (an at-rule's body is its inner CSS)."""
    blocks, start, depth, prelude_end = [], 0, 0, 0
    for i, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude_end = i
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((css[start:prelude_end].strip(), css[prelude_end + 1 : i]))
                start = i + 1
    return blocks


def _selectors(prelude: str) -> list[str]:
    """The selectors of a rule, each without its ``:not(…)`` parts (a class there is not needed)."""
    selectors, current, depth, skip_from = [], [], 0, None
    i = 0
    while i < len(prelude):
        if prelude.startswith(":not(", i) and skip_from is None:
            skip_from, depth, i = depth, depth + 1, i + 5
            continue
        char = prelude[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if skip_from is not None and depth == skip_from:
                skip_from = None
                i += 1
                continue
        if skip_from is None:
            if char == "," and depth == 0:
                selectors.append("".join(current))
                current = []
            else:
                current.append(char)
        i += 1
    return [*selectors, "".join(current)]


def keep_used(css: str, used: set[str]) -> str:
    """``css`` without the rules whose every selector names an fr-* class the pages never use."""
    out = []
    for prelude, body in _blocks(css):
        if prelude.startswith(("@media", "@supports", "@layer")):
            inner = keep_used(body, used)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@") or any(set(CLASS.findall(s)) <= used for s in _selectors(prelude)):
            out.append(f"{prelude}{{{body}}}")
    return "".join(out)


def dsfr_css(dsfr_dir: Path, static_dir: Path | None = None) -> bytes | None:
    """The pages' DSFR stylesheet (core, COMPONENTS, ICONS) with absolute URLs, or None if DSFR is missing."""
    parts = ["core/core.min.css", *(f"component/{c}/{c}.min.css" for c in COMPONENTS)]
    try:
        chunks = [_absolute_urls((dsfr_dir / p).read_text(encoding="utf-8"), p) for p in parts]
        icons = "utility/icons/icons.min.css"
        chunks.append(_absolute_urls("".join(icon_rules((dsfr_dir / icons).read_text(encoding="utf-8"))), icons))
    except OSError:
        return None
    # Marianne Medium (weight 500: buttons, some titles) is one more 58 KB font on the first view: without its
    # @font-face the browser draws weight 500 with Marianne Regular (CSS font matching), the budget holds.
    chunks[0] = MEDIUM_FACE.sub("", chunks[0])
    if static_dir is not None:  # only the rules of the classes the pages use (about a third of DSFR's core)
        try:
            used = used_classes(static_dir)
        except OSError:
            return None
        chunks = [keep_used(chunk, used) for chunk in chunks]
    return ("\n".join(chunks) + "\n").encode("utf-8")


def site_css(dsfr_dir: Path, static_dir: Path) -> bytes | None:
    """The pages' one stylesheet: ``dsfr_css`` (only what the pages use), then chat.css; None if one is missing."""
    dsfr = dsfr_css(dsfr_dir, static_dir)
    try:
        chat = (static_dir / "chat.css").read_bytes()
    except OSError:
        return None
    return dsfr + b"\n/* chat.css */\n" + chat if dsfr is not None else None
