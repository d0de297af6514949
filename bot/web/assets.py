"""What makes the pages light on a weak phone signal: one small DSFR stylesheet, versioned URLs, compression.

- ``site_css``: only the parts of DSFR the pages use (core, the components below, the icons below, then
  only the rules of the ``fr-*`` classes the pages use), put together once per process from the installed
  package (no build step), followed by chat.css, and served at ``/assets/site.css``: about 130 KB instead of
  DSFR's 1.1 MB (dsfr.min.css + icons.min.css), one render-blocking request instead of three.
  Add a component or an icon here when a page or the widget's modules start using a new one.
- ``version``: a short hash of a file's content, added by ``render_page`` to the pages' CSS and JS URLs
  (``?v=…``); such a URL is cached for a year (``immutable``), anything else is revalidated (``no-cache``).
- ``modules`` and ``modules_version``: the widget's ES modules (static/js/) and ONE version for them all,
  put in their path (``/assets/js/<version>/<name>.js``) so that their relative imports stay versioned.
- ``COMPRESSIBLE``: the text files sent gzip-compressed to a browser that accepts it.
- ``head_lines`` and ``script_lines``: the ``<head>`` the pages share (favicons, the preloaded ``FONTS``,
  ``CSS_URL``, print.css, ``TEXT_SIZE_SCRIPT``) and the scripts they end with, put in by ``render_page`` at
  each page's ``<!--#head-->`` and ``<!--#scripts-->``.
- ``TEXT_SIZE_SCRIPT``: the one inline script, allowed by its hash (``script_hash``, in app.CSP).
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from pathlib import Path

# In DSFR's own order (dist/component/component.css), so the cascade is the same as with dsfr.min.css.
COMPONENTS = ("logo", "button", "form", "input", "link", "callout", "segmented", "skiplink", "footer", "header")
# Every fr-icon-* class in the pages, their partials and the widget's modules (tests/web/test_assets.py checks it).
ICONS = (
    "delete-line", "error-warning-line", "file-text-line", "flag-line", "lock-line", "map-pin-2-line",
    "phone-line", "printer-line", "send-plane-line", "stop-circle-line", "volume-up-line",
)  # fmt: skip
CSS_URL = "/assets/site.css"  # site_css: the DSFR parts used, then chat.css (one render-blocking request)
# The fonts of the first view, preloaded by the pages (the same URLs as in DSFR's @font-face rules).
FONTS = ("/dsfr/fonts/Marianne-Regular.woff2", "/dsfr/fonts/Marianne-Bold.woff2")
PRINT_CSS = "/static/print.css"
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".webmanifest", ".txt", ".map"})
LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The widget's ES modules: static/js/*.js, served at MODULES_URL<version>/<name> (app.py), entry ENTRY_MODULE.
MODULES_DIR = "js"
MODULES_URL = "/assets/js/"
ENTRY_MODULE = "chat.js"
MODULE_NAME = re.compile(r"[a-z][a-z0-9_-]*\.js")
# « Taille du texte » applied before the first paint: the widget's modules are deferred, so without this
# the page would first show at the normal size. Same keys and classes as js/state.js and js/texts.js
# (tests/web/test_assets.py checks them); the widget applies the size again and keeps it up to date.
TEXT_SIZE_SCRIPT = (
    "try{var v=localStorage.getItem((location.pathname.indexOf('/accompagnement')===0"
    "?'mes-chat:advisor:':'mes-chat:')+'text-size');"
    "if(v==='lg'||v==='xl')document.documentElement.classList.add('chat-text-'+v)}catch(e){}"
)

URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def head_lines() -> list[str]:
    """The ``<head>`` lines every page shares after its own title and description (favicons, the preloaded
    fonts, the stylesheets), without indentation: put in at the page's ``<!--#head-->`` by app.render_page."""
    return [
        '<link rel="apple-touch-icon" href="/dsfr/favicon/apple-touch-icon.png">',
        '<link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml">',
        '<link rel="shortcut icon" href="/dsfr/favicon/favicon.ico" type="image/x-icon">',
        '<link rel="manifest" href="/dsfr/favicon/manifest.webmanifest" crossorigin="use-credentials">',
        "<!-- One stylesheet: only the DSFR parts the pages use, then chat.css (bot/web/assets.py). The two",
        "     Marianne weights of the first view are fetched early but after it"
        " (low priority, font-display: swap). -->",
        *(
            f'<link rel="preload" href="{font}" as="font" type="font/woff2" crossorigin fetchpriority="low">'
            for font in FONTS
        ),
        f'<link rel="stylesheet" href="{CSS_URL}">',
        f'<link rel="stylesheet" href="{PRINT_CSS}" media="print">',
        f"<script>{TEXT_SIZE_SCRIPT}</script>",
    ]


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def script_lines() -> list[str]:
    """The scripts every page ends its ``<body>`` with (DSFR's, then the widget's entry module), without
    indentation: put in at the page's ``<!--#scripts-->`` by app.render_page, before ``module_scripts``."""
    return [
        '<script type="module" src="/dsfr/dsfr.module.min.js" fetchpriority="low"></script>',
        '<script nomodule src="/dsfr/dsfr.nomodule.min.js"></script>',
        "<!-- The widget: served as /assets/js/<version>/chat.js, after a modulepreload per other module (app.py). -->",
        f'<script type="module" src="/static/{MODULES_DIR}/{ENTRY_MODULE}" fetchpriority="low"></script>',
    ]


def version(content: bytes) -> str:
    """The version put in a URL: the first 12 hex digits of the content's SHA-256."""
    return hashlib.sha256(content).hexdigest()[:12]


def modules(static_dir: Path) -> dict[str, bytes]:
    """The widget's ES modules (``static/js/*.js``, names as MODULE_NAME): name -> content, sorted by name;
    empty when the folder is missing."""
    folder = static_dir / MODULES_DIR
    if not folder.is_dir():
        return {}
    files = sorted(f for f in folder.iterdir() if MODULE_NAME.fullmatch(f.name) and f.is_file() and not f.is_symlink())
    return {f.name: f.read_bytes() for f in files}


def modules_version(files: dict[str, bytes]) -> str | None:
    """One version for the whole folder: ``version`` over each module's name and bytes, sorted by name (any
    change to any module, a new one or a removed one changes it); None without modules."""
    if not files:
        return None
    parts = (b"%s\0%d\0%s" % (name.encode(), len(files[name]), files[name]) for name in sorted(files))
    return version(b"".join(parts))


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
# The files whose fr-* classes the stylesheet keeps (the pages, their partials, the widget's CSS), and the
# widget's modules (static/js/*.js).
SOURCES = ("index.html", "accompagnement.html", "partials/header.html", "partials/footer.html",
           "partials/chat.html", "chat.css")  # fmt: skip


def used_classes(static_dir: Path) -> set[str]:
    """Every fr-* word in the pages, their partials, chat.css and the widget's modules (static/js/)."""
    texts = [(static_dir / name).read_text(encoding="utf-8") for name in SOURCES]
    if not (static_dir / MODULES_DIR).is_dir():
        raise FileNotFoundError(static_dir / MODULES_DIR)
    texts += [content.decode("utf-8") for content in modules(static_dir).values()]
    return {c for text in texts for c in USED_CLASS.findall(text)}


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
