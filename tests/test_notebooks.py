"""Every notebook follows the page rules: setup cell, headings in order, captioned figures with alt text."""

from pathlib import Path

import nbformat
import pytest

import notebooks as authoring  # tools/notebooks.py

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(
    p.relative_to(REPO) for folder in ("chapters", "exercises") for p in (REPO / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts and "autograder" not in p.parts
)


def test_there_are_notebooks():
    assert any(p.parts[0] == "chapters" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_notebook_follows_the_page_rules(path):
    chapter = path.parts[0] == "chapters" and path.stem != "datasets"
    assert authoring.check(REPO / path, chapter=chapter) == []


def test_setup_cell_follows_the_repository_setting(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://example.org/our/fork/\n", encoding="utf-8")
    source = authoring.setup_source(authoring.repository_url(config))
    assert "git+https://example.org/our/fork\"" in source
    assert authoring.setup_source() != source


def test_checker_catches_broken_pages(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Not a title\n\n#### Skipped a level"),
        nbformat.v4.new_code_cell("!pip install pandas"),
        nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]),
    ]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    problems = authoring.check(path, chapter=True)
    text = "\n".join(problems)
    for expected in ["no setup cell", "first heading must be the page title", "skips a level",
                     "pip install belongs", "needs a caption", "needs alt text",
                     "missing the template section '## Learning objectives'"]:
        assert expected in text


def test_sync_setup_rewrites_a_stale_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import old", metadata={"tags": ["setup", "remove-cell"]})]
    path = tmp_path / "stale.ipynb"
    nbformat.write(nb, path)
    assert authoring.sync_setup(path) is True
    assert authoring.sync_setup(path) is False
    assert authoring.setup_cell(nbformat.read(path, as_version=4)).source == authoring.setup_source()
