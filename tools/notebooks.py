"""Authoring tools for the book's notebooks.

    python tools/notebooks.py sync-setup NOTEBOOK...   # rewrite each setup cell from _config.yml
    python tools/notebooks.py execute NOTEBOOK...      # run in place, store outputs and widget state
    python tools/notebooks.py check NOTEBOOK...        # report notebooks that break the page rules

The setup cell is the first cell tagged ``setup``. It installs the helper package from the
book's repository only when the notebook runs outside the repository (Colab opens one file),
so its text depends on ``repository.url`` in ``_config.yml``: ``sync-setup`` keeps them in step.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parent.parent
SETUP_TAG = "setup"
#: Sections every chapter page has, in this order (the page template).
TEMPLATE_HEADINGS = ["Learning objectives", "Prerequisites and time", "Summary", "Exercises", "Further reading"]


def repository_url(config: Path = REPO / "_config.yml") -> str:
    """The repository URL: the one place it is set."""
    return yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]["url"].rstrip("/")


def setup_source(url: str | None = None) -> str:
    """The canonical text of the setup cell."""
    url = url or repository_url()
    return (
        "# Setup (hidden in the book). Outside the book's repository, e.g. when Colab opens this\n"
        "# notebook on its own, install the module's helper package, which carries the datasets.\n"
        "import importlib.util, subprocess, sys\n"
        "\n"
        'if importlib.util.find_spec("japan_central_asia") is None:\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",\n'
        f'                    "japan-central-asia @ git+{url}"], check=True)\n'
        "\n"
        "import japan_central_asia as jca\n"
        "from japan_central_asia import plotting, widgets\n"
        "\n"
        "plotting.use_style()"
    )


def setup_cell(nb) -> nbformat.NotebookNode | None:
    for cell in nb.cells:
        if cell.cell_type == "code" and SETUP_TAG in cell.metadata.get("tags", []):
            return cell
    return None


def sync_setup(path: Path) -> bool:
    """Rewrite the setup cell of ``path``; return True if it changed."""
    nb = nbformat.read(path, as_version=4)
    cell = setup_cell(nb)
    if cell is None:
        raise SystemExit(f"{path}: no code cell tagged '{SETUP_TAG}'")
    wanted = setup_source()
    if cell.source == wanted:
        return False
    cell.source = wanted
    nbformat.write(nb, path)
    return True


def execute(path: Path, timeout: int = 300) -> None:
    """Execute ``path`` in place from its own folder, keeping outputs and widget state."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(nb, path)


def _markdown_headings(nb) -> list[tuple[int, str]]:
    headings = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        in_fence = False
        for line in cell.source.splitlines():
            if line.strip().startswith(("```", ":::")):
                in_fence = not in_fence
            match = re.match(r"^(#{1,6})\s+(.*)", line)
            if match and not in_fence:
                headings.append((len(match.group(1)), match.group(2).strip()))
    return headings


def check(path: Path, chapter: bool) -> list[str]:
    """Problems with one notebook: setup cell, headings, figures, template, forbidden cells."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    cell = setup_cell(nb)
    if cell is None:
        problems.append("no setup cell (a code cell tagged 'setup')")
    else:
        if cell.source != setup_source():
            problems.append("setup cell differs from _config.yml's repository (run: make setup-cells)")
        if "remove-cell" not in cell.metadata.get("tags", []):
            problems.append("setup cell is not tagged remove-cell")
    headings = _markdown_headings(nb)
    if not headings or headings[0][0] != 1:
        problems.append("the first heading must be the page title (#)")
    if sum(1 for level, _ in headings if level == 1) > 1:
        problems.append("more than one title heading (#)")
    for (before, _), (level, text) in zip(headings, headings[1:]):
        if level > before + 1:
            problems.append(f"heading '{text}' skips a level (h{before} → h{level})")
    if chapter:
        titles = [text for level, text in headings if level == 2]
        positions = [next((i for i, t in enumerate(titles) if t.startswith(h)), None) for h in TEMPLATE_HEADINGS]
        for heading, position in zip(TEMPLATE_HEADINGS, positions):
            if position is None:
                problems.append(f"missing the template section '## {heading}'")
        found = [p for p in positions if p is not None]
        if found != sorted(found):
            problems.append("template sections are out of order: " + " → ".join(TEMPLATE_HEADINGS))
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if re.search(r"^\s*[!%]pip\s+install", cell.source, flags=re.MULTILINE):
            problems.append(f"cell {number}: pip install belongs in requirements.txt")
        tags = cell.metadata.get("tags", [])
        if "nbval-skip" in tags and "nbval-skip:" not in cell.source:
            problems.append(f"cell {number}: nbval-skip needs a comment '# nbval-skip: <reason>'")
        draws = any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
        if draws:
            mystnb = cell.metadata.get("mystnb", {})
            caption = mystnb.get("figure", {}).get("caption", "")
            alt = mystnb.get("image", {}).get("alt", "")
            if len(caption.strip()) < 20:
                problems.append(f"cell {number}: a figure needs a caption (mystnb.figure.caption)")
            if len(alt.strip()) < 20:
                problems.append(f"cell {number}: a figure needs alt text (mystnb.image.alt)")
            if not mystnb.get("figure", {}).get("name"):
                problems.append(f"cell {number}: a figure needs a name (mystnb.figure.name) for cross-references")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sync-setup", "execute", "check"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    failed = False
    for path in args.notebooks:
        if args.command == "sync-setup":
            print(f"{path}: {'updated' if sync_setup(path) else 'up to date'}")
        elif args.command == "execute":
            execute(path)
            print(f"{path}: executed")
        else:
            problems = check(path, chapter=path.parts[0] == "chapters" and path.stem not in {"datasets"})
            for problem in problems:
                print(f"{path}: {problem}")
            failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
