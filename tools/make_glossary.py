"""Write chapters/glossary.md from data/glossary.csv (a test checks the page is up to date).

    python tools/make_glossary.py            # rewrite the page
    python tools/make_glossary.py --check    # exit 1 if the page is stale

The page uses Sphinx's glossary directive, so chapters link terms with {term}`ODA`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

import japan_central_asia as jca

PAGE = Path(__file__).resolve().parent.parent / "chapters" / "glossary.md"


def render(glossary: pd.DataFrame) -> str:
    lines = [
        "# Glossary",
        "",
        "Terms used in the module, in its own words. Japanese and Russian forms are given where they help",
        "with reading sources; the source of each definition follows it. Chapters link terms here.",
        "The page is generated from `data/glossary.csv` by `tools/make_glossary.py`.",
        "",
        "```{glossary}",
    ]
    seen = set(glossary["term"])
    for row in glossary.sort_values("term", key=lambda s: s.str.lower()).itertuples():
        lines.append(row.term)
        # "Official development assistance (ODA)" is also reachable as {term}`ODA`.
        alias = re.fullmatch(r".+\((.+)\)", row.term)
        if alias and alias.group(1) not in seen and not alias.group(1)[:1].isdigit():
            lines.append(alias.group(1))
            seen.add(alias.group(1))
        lines.append(f"  {row.definition}")
        forms = []
        if pd.notna(row.japanese):
            forms.append(f"Japanese: {row.japanese}")
        if pd.notna(row.russian):
            forms.append(f"Russian: {row.russian}")
        if forms:
            lines += ["", f"  {'; '.join(forms)}."]
        sources = []
        if pd.notna(row.source_url):
            sources += [f"<{url.strip()}>" for url in row.source_url.split(";")]
        if pd.notna(row.bibtex_key):
            sources += [f"{{cite:t}}`{key}`" for key in row.bibtex_key.split(";")]
        if pd.notna(row.see_also):
            lines += ["", "  See also: " + ", ".join(f"{{term}}`{t}`" for t in row.see_also.split(";")) + "."]
        lines += ["", f"  Source: {', '.join(sources)}.", ""]
    lines.append("```")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render(jca.load("glossary"))
    if "--check" in argv:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE} is stale: run python tools/make_glossary.py")
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
