"""The README and docs/ point only inside the repository: every relative link and every
`docs/...`/file path they name exists, and none climbs out of the repository (the README
once linked to ../shared/docs/architecture.md, which a fresh clone does not have)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
NAMED = re.compile(r"`((?:\.\./|docs/|benchmarks/|resources/|tools/|packaging/)[\w./-]+)`")


def targets(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [t for t in LINK.findall(text) + NAMED.findall(text) if "://" not in t]


def test_docs_exist_and_name_the_architecture():
    assert (ROOT / "docs" / "architecture.md").is_file()
    assert "docs/architecture.md" in targets(ROOT / "README.md")


def test_every_link_stays_inside_the_repository_and_exists():
    broken = []
    for page in PAGES:
        for target in targets(page):
            base = ROOT if target.startswith(("docs/", "benchmarks/", "resources/", "tools/", "packaging/")) \
                else page.parent
            resolved = (base / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append((page.name, target))
    assert broken == []
