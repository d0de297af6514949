"""Add phrasings to the bank's files, keeping their layout (used by `python -m tools review append`)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import yaml

from bot.answers.bank import BANK_FOLDER


class _Literal(str):
    pass


class _Flow(list):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|"))
_Dumper.add_representer(_Flow, lambda d, s: d.represent_sequence("tag:yaml.org,2002:seq", s, flow_style=True))


def _styled(unit: dict[str, Any]) -> dict[str, Any]:
    """Texts of several lines (citizen, simple, advisor…) as literal blocks, sections and next steps on one line,
    dates as dates."""
    styled = dict(unit)
    for key, value in unit.items():
        if isinstance(value, str) and "\n" in value:
            styled[key] = _Literal(value)
    for key in ("sections", "next"):
        if isinstance(styled.get(key), list):
            styled[key] = _Flow(styled[key])
    for key in ("checked", "recheck"):
        if isinstance(styled.get(key), str):
            styled[key] = dt.date.fromisoformat(styled[key])
    return styled


def dump(path: Path, units: list[dict[str, Any]]) -> None:
    """Write one bank file atomically, keeping its header comments."""
    header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True)[:5] if line.startswith("#"))
    body = yaml.dump({"answers": [_styled(u) for u in units]}, Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=120)  # fmt: skip
    temporary = path.with_suffix(".yml.tmp")
    temporary.write_text(header + body, encoding="utf-8")
    os.replace(temporary, path)


def add_phrasings(additions: dict[str, list[str]], folder: Path = BANK_FOLDER) -> list[Path]:
    """Append phrasings to the named units (ids of the bank); returns the files changed."""
    changed = []
    for path in sorted(Path(folder).glob("*.yml")):
        units = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("answers") or []
        touched = False
        for unit in units:
            for phrasing in additions.get(unit.get("id"), []):
                unit.setdefault("phrasings", []).append(phrasing)
                touched = True
        if touched:
            dump(path, units)
            changed.append(path)
    return changed
